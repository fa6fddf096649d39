import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

/// Issue 16: a first-touch clock pauses with an audited reason and resumes; the deadlines move by
/// the business time it stood still, and that time is not the rep's. Worked by hand in ana's
/// calendar (Berlin, 09:00–17:00, UTC+1 in early March): handed off Monday 09:10Z (10:10 local)
/// with a 1-hour high-priority target, so due 10:10Z; paused at 09:40Z (10:40 local) with 30
/// business minutes left, until Tuesday 09:00Z (10:00 local).
@Suite struct SLAPauseTests {
    typealias F = EngineFixture

    static func pause(_ id: String, at: Date, until: Date, reason: String = "prospect_requested") -> InboundEvent {
        InboundEvent(eventID: id, kind: .slaPause, occurredAt: at, leadID: "L1", body: .clock(.init(reason: reason, until: until)))
    }

    static func resume(_ id: String, at: Date) -> InboundEvent {
        InboundEvent(eventID: id, kind: .slaResume, occurredAt: at, leadID: "L1", body: .clock(.init(reason: nil)))
    }

    static let tuesday9 = F.utc(2026, 3, 3, 9, 0)

    static func pausedLead() async throws -> (HandoffEngine, SQLiteHandoffStore) {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let paused = try await engine.apply(Self.pause("p1", at: F.monday(9, 40), until: Self.tuesday9))
        #expect(paused.effects.map(\.kind) == [.slaPaused(reason: "prospect_requested", until: Self.tuesday9)])
        return (engine, store)
    }

    @Test func aTouchAfterThePauseIsJudgedOnTheMovedDeadline() async throws {
        let (engine, store) = try await Self.pausedLead()
        // Past the old deadline nothing fires: the clock stands still (and the next event, folded
        // from the store, still finds it paused).
        #expect(try await engine.tick(at: F.monday(12)).isEmpty)
        let engagement = try await engine.apply(F.engagement("e3", lead: "L1", at: F.monday(13), type: "webinar_attended"))
        #expect(!engagement.effects.contains { if case .breach = $0.kind { true } else { false } }, "\(engagement.effects.map(\.summary))")
        // Tuesday 09:10Z: the pause ended at 09:00Z, so the 30 minutes left run to 09:30Z. Stood
        // still: Monday 10:40–17:00 and Tuesday 09:00–10:00 local, 7 h 20 = 26,400 s. Speed to
        // contact: 8 business hours since the hand-off less those, 2,400 s, within the SLA.
        let touch = try await engine.apply(F.attempt("e4", lead: "L1", at: F.utc(2026, 3, 3, 9, 10), rep: "ana"))
        #expect(touch.effects.map(\.kind).contains(.slaResumed(pausedBusinessSeconds: 26_400)), "\(touch.effects.map(\.summary))")
        #expect(touch.effects.map(\.kind).contains(.firstTouch(repID: "ana", businessSeconds: 2_400, withinSLA: true)))
        // The ledger keeps the audit: paused, why, until when; resumed.
        let sla = try await store.decisionLedger(leadID: "L1").map { try $0.decoded() }.compactMap(\.sla)
        #expect(sla.map(\.event).contains("paused") && sla.contains { $0.effects.contains("resumed") })
    }

    @Test func withoutATouchTheMovedDeadlineBreaches() async throws {
        let (engine, _) = try await Self.pausedLead()
        #expect(try await engine.tick(at: F.utc(2026, 3, 3, 9, 20)).allSatisfy { if case .breach = $0.kind { false } else { true } })
        let fired = try await engine.tick(at: F.utc(2026, 3, 3, 9, 31))
        #expect(
            fired.contains(
                EngineEffect(
                    leadID: "L1", at: F.utc(2026, 3, 3, 9, 30), kind: .breach(repID: "ana", kind: .firstTouch, deadline: F.utc(2026, 3, 3, 9, 30)))),
            "\(fired.map(\.summary))")
    }

    @Test func anEarlyResumeMovesTheDeadlineByThePauseSoFar() async throws {
        let (engine, _) = try await Self.pausedLead()
        // Resumed at Monday 13:40Z (14:40 local): 4 business hours stood still; due 14:10Z.
        let resumed = try await engine.apply(Self.resume("r1", at: F.monday(13, 40)))
        #expect(resumed.effects.map(\.kind) == [.slaResumed(pausedBusinessSeconds: 14_400)])
        #expect(try await engine.tick(at: F.monday(14, 5)).isEmpty)
        let fired = try await engine.tick(at: F.monday(14, 15))
        #expect(
            fired.contains(
                EngineEffect(leadID: "L1", at: F.monday(14, 10), kind: .breach(repID: "ana", kind: .firstTouch, deadline: F.monday(14, 10)))))
    }

    @Test func refusalsNameTheFieldAndChangeNothing() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        func refused(_ event: InboundEvent) async -> EngineError? { await F.refused(engine, event) }
        let before = try await store.counts()
        guard case .invalidField("p0", "lead_id", _)? = await refused(Self.pause("p0", at: F.monday(9, 5), until: Self.tuesday9)) else {
            Issue.record("a lead not handed off was paused")
            return
        }
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let handedOff = try await store.counts()
        guard case .invalidField("p1", "until", _)? = await refused(Self.pause("p1", at: F.monday(9, 40), until: F.monday(9, 30))) else {
            Issue.record("a pause ending before it starts was accepted")
            return
        }
        guard case .invalidField("r1", "type", _)? = await refused(Self.resume("r1", at: F.monday(9, 40))) else {
            Issue.record("a running clock was resumed")
            return
        }
        #expect(try await store.counts() == handedOff && handedOff != before)
    }

    @Test func theEventsReadAndWriteTheirJSON() throws {
        let json =
            #"{"event_id":"p1","type":"sla_pause","occurred_at":"2026-03-02T09:40:00Z","lead_id":"L1","reason":"out_of_office","until":"2026-03-09T08:00:00Z"}"#
        let event = try JSONDecoder().decode(InboundEvent.self, from: Data(json.utf8))
        #expect(event.body == .clock(.init(reason: "out_of_office", until: F.utc(2026, 3, 9, 8, 0))))
        #expect(try JSONDecoder().decode(InboundEvent.self, from: try JSONEncoder().encode(event)) == event)
        for bad in [
            #"{"event_id":"p1","type":"sla_pause","occurred_at":"2026-03-02T09:40:00Z","lead_id":"L1","until":"2026-03-09T08:00:00Z"}"#,
            #"{"event_id":"p1","type":"sla_pause","occurred_at":"2026-03-02T09:40:00Z","lead_id":"L1","reason":"x"}"#,
            #"{"event_id":"r1","type":"sla_resume","occurred_at":"2026-03-02T09:40:00Z","lead_id":"L1","until":"2026-03-09T08:00:00Z"}"#,
        ] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(InboundEvent.self, from: Data(bad.utf8)) }
        }
    }
}
