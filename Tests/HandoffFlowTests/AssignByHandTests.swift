import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

/// Issue 21 item 5: the fallback-queue alert said "assign it by hand", and nothing could. An
/// `assign` event hands the lead to a named rep and starts their first-touch clock from then.
@Suite struct AssignByHandTests {
    typealias F = EngineFixture

    static func assign(_ id: String, lead: String, at: Date, rep: String, by: String? = "lee", priority: String? = nil) -> InboundEvent {
        InboundEvent(eventID: id, kind: .assign, occurredAt: at, leadID: lead, body: .assign(.init(repID: rep, assignedBy: by, priority: priority)))
    }

    @Test func aParkedLeadLeavesTheQueueForTheNamedRepWithAClockFromThen() async throws {
        let (engine, store) = try await F.engine()
        var fields = F.fitLead
        fields["region"] = "apac"
        _ = try await engine.apply(F.created("e1", lead: "L3", at: F.monday(9), fields: fields))
        let parked = try await engine.apply(F.engagement("e2", lead: "L3", at: F.monday(9, 10), type: "demo_request"))
        #expect(parked.effects.contains { if case .queued("sales-triage", _) = $0.kind { true } else { false } })

        // 10:00Z is 05:00 in New York: bob's hour starts at 09:00 NY = 14:00Z, so the high-intent touch is due 15:00Z.
        let assigned = try await engine.apply(Self.assign("m1", lead: "L3", at: F.monday(10), rep: "bob"))
        #expect(
            assigned.effects == [
                EngineEffect(leadID: "L3", at: F.monday(10), kind: .assignedByHand(repID: "bob", from: .fallbackQueue("sales-triage"), by: "lee")),
                EngineEffect(leadID: "L3", at: F.monday(10), kind: .handedOff(repID: "bob", priority: .high, deadline: F.monday(15))),
            ], "\(assigned.effects.map(\.summary))")
        let timeline = try #require(try await store.leadTimeline(leadID: "L3"))
        #expect(timeline.assignments.map(\.target) == [.fallbackQueue("sales-triage"), .rep("bob")])
        #expect(timeline.assignments[0].unassignReason == "assigned by hand to bob by lee")
        #expect(timeline.assignments[1].rule == "manual:lee" && timeline.assignments[1].unassignedAt == nil)
        let alerts = try await store.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture)).alerts
        #expect(alerts.contains { $0.kind == "assigned-by-hand" && $0.target == "sales-triage" })
        #expect(alerts.contains { $0.kind == "new-high-priority" && $0.target == "bob" })
        // The clock runs: bob's breach fires at 15:00Z.
        let fired = try await engine.tick(at: F.monday(15, 30))
        #expect(fired.contains(EngineEffect(leadID: "L3", at: F.monday(15), kind: .breach(repID: "bob", kind: .firstTouch, deadline: F.monday(15)))))
    }

    @Test func aLeadTakenFromARepWhoTouchedItGivesTheNewRepAFreshClock() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        _ = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 20), rep: "ana"))
        // 11:00Z is 06:00 in New York: cy's touch is due 15:00Z, standard priority as asked.
        let moved = try await engine.apply(Self.assign("m1", lead: "L1", at: F.monday(11), rep: "cy", priority: "standard"))
        #expect(moved.effects.first == EngineEffect(leadID: "L1", at: F.monday(11), kind: .assignedByHand(repID: "cy", from: .rep("ana"), by: "lee")))
        guard case let .handedOff("cy", .standard, deadline)? = moved.effects.last?.kind else {
            Issue.record("\(moved.effects)")
            return
        }
        #expect(deadline > F.monday(11))
        let alerts = try await store.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture)).alerts
        #expect(alerts.contains { $0.kind == "assigned-by-hand" && $0.target == "ana" })
        // The next event folds the same state from the store: cy's call is cy's first touch, ana's now an assist.
        let call = try await engine.apply(F.attempt("e4", lead: "L1", at: F.monday(14, 30), rep: "cy"))
        #expect(call.effects.contains { if case .firstTouch("cy", 1800, true) = $0.kind { true } else { false } }, "\(call.effects)")
        let assist = try await engine.apply(F.attempt("e5", lead: "L1", at: F.monday(14, 40), rep: "ana"))
        #expect(assist.effects.map(\.kind) == [.assist(repID: "ana", ownerID: "cy")])
    }

    @Test func refusalsNameTheFieldAndStoreNothing() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let before = try await store.counts()
        func refused(_ event: InboundEvent) async -> EngineError? { await F.refused(engine, event) }
        guard case .invalidField("m1", "rep_id", let already)? = await refused(Self.assign("m1", lead: "L1", at: F.monday(10), rep: "ana")) else {
            Issue.record("assigning the holder was accepted")
            return
        }
        #expect(already.contains("already holds"))
        #expect(
            await refused(Self.assign("m2", lead: "L1", at: F.monday(10), rep: "zed"))
                == .unknownRep(eventID: "m2", repID: "zed", field: "rep_id", known: ["ana", "bob", "cy"]))
        #expect(
            await refused(Self.assign("m3", lead: "L9", at: F.monday(10), rep: "cy")) == .unknownLead(eventID: "m3", leadID: "L9", type: "assign"))
        #expect(try await store.counts() == before)
    }

    @Test func theEventReadsAndWritesItsJSONShape() throws {
        let json =
            #"{"event_id":"m1","type":"assign","occurred_at":"2026-03-02T10:00:00Z","lead_id":"L1","rep_id":"fay","assigned_by":"lee@example.com","priority":"high"}"#
        let event = try JSONDecoder().decode(InboundEvent.self, from: Data(json.utf8))
        #expect(event.body == .assign(.init(repID: "fay", assignedBy: "lee@example.com", priority: "high")))
        let again = try JSONDecoder().decode(InboundEvent.self, from: try JSONEncoder().encode(event))
        #expect(again == event)
        let bad = #"{"event_id":"m1","type":"assign","occurred_at":"2026-03-02T10:00:00Z","lead_id":"L1","rep_id":"fay","priority":"urgent"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InboundEvent.self, from: Data(bad.utf8)) }
        let noRep = #"{"event_id":"m1","type":"assign","occurred_at":"2026-03-02T10:00:00Z","lead_id":"L1"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InboundEvent.self, from: Data(noRep.utf8)) }
    }
}
