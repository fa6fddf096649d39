import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

/// Issue 16, the decision ledger through the engine: every routing decision and SLA transition
/// of a lead is in the store, written in the unit of the event (or SLA firing) that made it.
@Suite struct DecisionLedgerFlowTests {
    typealias F = EngineFixture

    func ledger(_ store: SQLiteHandoffStore, _ lead: String) async throws -> [DecisionLedgerEntry] {
        try await store.decisionLedger(leadID: lead).map { try $0.decoded() }
    }

    /// L1 (emea, demo request) goes to ana, the emea specialist; bob covers na only and cy is a
    /// generalist. Nobody touches it: breach at 10:10, manager at 11:10, reassignment at 12:10
    /// (ana's Berlin hours: high intent is 1 business hour), when only cy is left.
    @Test func routingAndEveryClockStepAreExplained() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        #expect(try await ledger(store, "L1").isEmpty, "a lead not qualified for hand-off has no decision yet")
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        var entries = try await ledger(store, "L1")
        #expect(entries.map(\.kind) == [.routing, .sla])
        let routing = try #require(entries[0].routing)
        #expect(entries[0].source == "e2" && entries[0].at == "2026-03-02T09:10:00Z")
        #expect(routing.method == .router && routing.repID == "ana" && routing.assignmentRule == "territory:emea")
        #expect(routing.rules.map(\.key) == ["emea"])
        #expect(routing.candidates.map(\.repID) == ["ana", "bob", "cy"])
        #expect(routing.candidates.map(\.verdict) == [.chosen, .skipped, .skipped])
        #expect(routing.candidates.map(\.reason) == ["weight", "territory", "specialist"])
        let handoff = try #require(entries[1].sla)
        #expect(handoff.event == "hand_off" && handoff.repID == "ana" && handoff.policy == "high")
        #expect(handoff.firstTouchDeadline == "2026-03-02T10:10:00Z" && handoff.timeZone == "Europe/Berlin")
        #expect(handoff.remaining == [.init(from: "2026-03-02T09:10:00Z", to: "2026-03-02T10:10:00Z", businessSeconds: 3600)])

        _ = try await engine.tick(at: F.monday(12, 30))
        entries = try await ledger(store, "L1")
        #expect(entries.map(\.kind) == [.routing, .sla, .sla, .sla, .sla, .routing, .sla])
        #expect(entries[2...4].map { $0.sla?.effects ?? [] } == [["breach", "remind_rep"], ["notify_manager"], ["reassign"]])
        #expect(entries[2].source == "L1/handoff-1@2026-03-02T10:10:00Z")
        // 09:10 → 12:10 UTC is 3 business hours in Berlin (10:10 → 13:10 local).
        #expect(
            abs((entries[4].sla?.elapsedBusinessSeconds ?? 0) - 3 * 3600) < 0.001,
            "\(String(format: "%.17g", entries[4].sla?.elapsedBusinessSeconds ?? 0))")
        let again = try #require(entries[5].routing)
        #expect(again.reassignedFrom == "ana" && again.repID == "cy")
        #expect(again.candidates.map(\.reason) == ["excluded", "territory", "weight"])
        #expect(again.candidates[2].detail == "the only rep who could take it (weight 1)")
        #expect(again.repWasWorking == false, "12:10 UTC is 07:10 in New York")
        #expect(entries[5].summary == "reassigned from ana: assigned to cy (the only rep left)")
        // cy's clock starts at cy's next opening, 09:00 New York = 14:00 UTC.
        #expect(entries[6].sla?.remaining.first?.from == "2026-03-02T14:00:00Z")

        // A manager hands it to bob: the ledger names who, from whom, and bob's fresh clock.
        let assign = InboundEvent(
            eventID: "m1", kind: .assign, occurredAt: F.monday(13), leadID: "L1", body: .assign(.init(repID: "bob", assignedBy: "lee")))
        _ = try await engine.apply(assign)
        entries = try await ledger(store, "L1")
        let byHand = try #require(entries.dropLast().last?.routing)
        #expect(byHand.method == .byHand && byHand.repID == "bob" && byHand.reassignedFrom == "cy" && byHand.assignedBy == "lee")
        #expect(byHand.candidates.isEmpty)
        #expect(entries.last?.sla?.event == "assigned_by_hand")

        // A retried event adds nothing.
        _ = try await engine.apply(assign)
        #expect(try await ledger(store, "L1").count == entries.count)
    }

    /// A lead nobody covers is parked, and the ledger says which rule stopped it for every rep.
    @Test func aParkedLeadSaysWhyForEveryRep() async throws {
        let (engine, store) = try await F.engine()
        var fields = F.fitLead
        fields["region"] = "apac"
        _ = try await engine.apply(F.created("e1", lead: "L3", at: F.monday(9), fields: fields))
        _ = try await engine.apply(F.engagement("e2", lead: "L3", at: F.monday(9, 10), type: "demo_request"))
        let entries = try await ledger(store, "L3")
        #expect(entries.map(\.kind) == [.routing], "no SLA clock runs for a parked lead")
        let routing = try #require(entries.first?.routing)
        #expect(routing.outcome == "queued" && routing.queue == "sales-triage" && routing.repID == nil)
        #expect(routing.queuedBecause?.contains("has no mapping for region = `apac`") == true)
        #expect(routing.candidates.allSatisfy { $0.reason == "rule_unresolved" && $0.verdict == .skipped })
    }

    /// The first touch stops the clock: elapsed business time is what the rep took.
    @Test func theFirstTouchShowsTheBusinessTimeTaken() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        _ = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 40), rep: "ana"))
        let touch = try #require(try await ledger(store, "L1").last?.sla)
        #expect(touch.event == "contact_attempt" && touch.phaseBefore == "awaiting_first_touch" && touch.phaseAfter == "working")
        #expect(touch.elapsedBusinessSeconds == 1800 && touch.effects == ["first_touch"])
        #expect(touch.remaining.isEmpty)
    }
}
