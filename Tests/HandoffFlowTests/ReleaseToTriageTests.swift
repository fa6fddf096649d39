import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

/// Issue 17's *Reassign to triage*: the rep who holds a lead hands it back to the fallback queue
/// (a `release` event). The rep's assignment closes, the queue's opens, the first-touch clock
/// stops with nothing left to fire, the queue is alerted, the ledger says who gave it back and
/// why; a manager's `assign` then starts a fresh clock for the next rep.
@Suite struct ReleaseToTriageTests {
    typealias F = EngineFixture

    static func release(_ id: String, lead: String, at: Date, rep: String, reason: String? = "not my territory") -> InboundEvent {
        InboundEvent(eventID: id, kind: .release, occurredAt: at, leadID: lead, body: .release(.init(repID: rep, reason: reason)))
    }

    /// L1 is a fit lead whose demo request hands it to ana (high priority) at 09:10Z on Monday.
    static func handedToAna() async throws -> (HandoffEngine, SQLiteHandoffStore) {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        let handed = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        try #require(handed.effects.contains { if case .handedOff("ana", .high, _) = $0.kind { true } else { false } }, "\(handed.effects)")
        return (engine, store)
    }

    @Test func theHolderHandsTheLeadBackAndItsClockStops() async throws {
        let (engine, store) = try await Self.handedToAna()
        let released = try await engine.apply(Self.release("r1", lead: "L1", at: F.monday(9, 30), rep: "ana"))
        #expect(
            released.effects == [
                EngineEffect(leadID: "L1", at: F.monday(9, 30), kind: .handedBack(repID: "ana", queue: "sales-triage", reason: "not my territory"))
            ], "\(released.effects.map(\.summary))")
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.assignments.map(\.target) == [.rep("ana"), .fallbackQueue("sales-triage")])
        #expect(timeline.assignments[0].unassignReason == "handed back to sales-triage by ana: not my territory")
        #expect(timeline.assignments[1].rule == "released:ana" && timeline.assignments[1].unassignedAt == nil)
        // The timer is cancelled: nothing is due any more, so a tick long after the deadline fires nothing.
        #expect(timeline.timers.allSatisfy { !$0.state.isOpen }, "\(timeline.timers)")
        #expect(try await engine.tick(at: F.monday(23)).isEmpty)
        // The next event folds the clock from the store as stopped: ana's later call is sales
        // activity on a lead she no longer holds, not a first touch.
        let call = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(11), rep: "ana"))
        #expect(call.effects.isEmpty, "\(call.effects.map(\.summary))")
        // The queue is told; the ledger has the SLA half (ana's clock stopped) and the routing half.
        let alerts = try await store.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture)).alerts
        #expect(alerts.contains { $0.kind == "handed-back" && $0.target == "sales-triage" && $0.leadID == "L1" })
        let ledger = try await store.decisionLedger(leadID: "L1").map { try $0.decoded() }
        let routing = try #require(ledger.last { $0.kind == .routing }?.routing)
        #expect(routing.method == .handedBack && routing.queue == "sales-triage" && routing.reassignedFrom == "ana")
        #expect(routing.queuedBecause == "handed back by ana: not my territory")
        let sla = try #require(ledger.last { $0.kind == .sla }?.sla)
        #expect(sla.event == "handed_back" && sla.repID == "ana" && sla.phaseAfter == "pending" && sla.effects == ["handed_back"])
        // 09:10Z → 09:30Z in ana's calendar: 20 business minutes had run.
        #expect(sla.elapsedBusinessSeconds == 1200 && sla.remainingBusinessSeconds == 0)
    }

    @Test func aManagerAssignsItFromTheQueueWithAFreshClock() async throws {
        let (engine, store) = try await Self.handedToAna()
        _ = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 20), rep: "ana"))
        _ = try await engine.apply(Self.release("r1", lead: "L1", at: F.monday(9, 30), rep: "ana", reason: nil))
        let assigned = try await engine.apply(AssignByHandTests.assign("m1", lead: "L1", at: F.monday(10), rep: "bob"))
        #expect(
            assigned.effects.first
                == EngineEffect(leadID: "L1", at: F.monday(10), kind: .assignedByHand(repID: "bob", from: .fallbackQueue("sales-triage"), by: "lee")))
        // bob's hour starts at 14:00Z (09:00 in New York): the high-priority touch is due 15:00Z, and ana's call does not count.
        #expect(
            assigned.effects.last
                == EngineEffect(leadID: "L1", at: F.monday(10), kind: .handedOff(repID: "bob", priority: .high, deadline: F.monday(15))))
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.assignments.map(\.target) == [.rep("ana"), .fallbackQueue("sales-triage"), .rep("bob")])
        #expect(timeline.assignments[0].unassignReason == "handed back to sales-triage by ana")
    }

    @Test func onlyTheHolderOfAnOpenHandOffCanGiveItBack() async throws {
        let (engine, store) = try await Self.handedToAna()
        func refused(_ event: InboundEvent) async -> EngineError? { await F.refused(engine, event) }
        let before = try await store.counts()
        guard case .invalidField("r1", "rep_id", let notHolder)? = await refused(Self.release("r1", lead: "L1", at: F.monday(9, 30), rep: "bob"))
        else {
            Issue.record("a rep who does not hold the lead gave it back")
            return
        }
        #expect(notHolder.contains("does not hold lead 'L1' (it is held by rep 'ana')"), "\(notHolder)")
        #expect(
            await refused(Self.release("r2", lead: "L1", at: F.monday(9, 30), rep: "zed"))
                == .unknownRep(eventID: "r2", repID: "zed", field: "rep_id", known: ["ana", "bob", "cy"]))
        #expect(
            await refused(Self.release("r3", lead: "L9", at: F.monday(9, 30), rep: "ana"))
                == .unknownLead(eventID: "r3", leadID: "L9", type: "release"))
        #expect(try await store.counts() == before)
        // Once in the queue, a second hand-back (a re-sent button with another id) is refused too.
        _ = try await engine.apply(Self.release("r4", lead: "L1", at: F.monday(9, 40), rep: "ana"))
        let after = try await store.counts()
        guard case .invalidField("r5", "rep_id", let queued)? = await refused(Self.release("r5", lead: "L1", at: F.monday(9, 50), rep: "ana")) else {
            Issue.record("a lead in the queue was given back again")
            return
        }
        #expect(queued.contains("held by fallback queue 'sales-triage'"), "\(queued)")
        #expect(try await store.counts() == after)
        // The same event again is a duplicate that changes nothing.
        #expect(try await engine.apply(Self.release("r4", lead: "L1", at: F.monday(9, 40), rep: "ana")).status == .duplicate)
        #expect(try await store.counts() == after)
    }

    @Test func aStepAlreadyDueFiresBeforeTheHandBack() async throws {
        let (engine, store) = try await Self.handedToAna()
        // ana's touch was due 10:10Z; the hand-back at 10:20Z comes after the breach, which stands.
        let released = try await engine.apply(Self.release("r1", lead: "L1", at: F.monday(10, 20), rep: "ana"))
        #expect(
            released.effects.contains(
                EngineEffect(leadID: "L1", at: F.monday(10, 20), kind: .breach(repID: "ana", kind: .firstTouch, deadline: F.monday(10, 10)))))
        #expect(released.effects.last?.kind == .handedBack(repID: "ana", queue: "sales-triage", reason: "not my territory"))
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.timers.allSatisfy { !$0.state.isOpen })
    }

    @Test func theEventReadsAndWritesItsJSONShape() throws {
        let json = #"{"event_id":"r1","type":"release","occurred_at":"2026-03-02T10:00:00Z","lead_id":"L1","rep_id":"fay","reason":"wrong region"}"#
        let event = try JSONDecoder().decode(InboundEvent.self, from: Data(json.utf8))
        #expect(event.body == .release(.init(repID: "fay", reason: "wrong region")))
        #expect(try JSONDecoder().decode(InboundEvent.self, from: try JSONEncoder().encode(event)) == event)
        let noRep = #"{"event_id":"r1","type":"release","occurred_at":"2026-03-02T10:00:00Z","lead_id":"L1"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InboundEvent.self, from: Data(noRep.utf8)) }
        let badReason = #"{"event_id":"r1","type":"release","occurred_at":"2026-03-02T10:00:00Z","lead_id":"L1","rep_id":"fay","reason":{}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InboundEvent.self, from: Data(badReason.utf8)) }
    }
}
