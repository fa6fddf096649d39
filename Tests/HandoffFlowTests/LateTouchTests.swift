import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

/// Issue 21 item 1: a touch is judged by the time it happened, whenever the CRM delivers it.
/// Before the fix, ana's 09:40 call arriving after the scheduler's 12:10 reassignment read "first
/// touch … after 2.50 business hours (outside SLA)" and the lead stayed with cy (or in the
/// fallback queue when nobody else could take it).
@Suite struct LateTouchTests {
    typealias F = EngineFixture

    /// ana's lead, SQL at 09:10Z (first touch due 10:10Z), escalated to cy at 12:10Z by the scheduler.
    func escalated(yaml: String = F.playbookYAML) async throws -> (HandoffEngine, SQLiteHandoffStore, [EngineEffect]) {
        let (engine, store) = try await F.engine(yaml: yaml)
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let fired = try await engine.tick(at: F.monday(12, 30))
        return (engine, store, fired)
    }

    @Test func aTouchInTimeThatArrivesLateCountsInTimeAndVoidsTheEscalation() async throws {
        let (engine, store, fired) = try await escalated()
        #expect(fired.contains { if case .reassigned("ana", .rep("cy")) = $0.kind { true } else { false } })

        let late = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 40), rep: "ana"))
        let arrived = F.monday(12, 10)
        #expect(
            late.effects == [
                EngineEffect(leadID: "L1", at: arrived, kind: .firstTouch(repID: "ana", businessSeconds: 1800, withinSLA: true)),
                EngineEffect(
                    leadID: "L1", at: arrived,
                    kind: .escalationVoided(repID: "ana", action: "remind-rep", firedAt: F.monday(10, 10), touchAt: F.monday(9, 40))),
                EngineEffect(
                    leadID: "L1", at: arrived,
                    kind: .escalationVoided(repID: "ana", action: "notify-manager", firedAt: F.monday(11, 10), touchAt: F.monday(9, 40))),
                EngineEffect(
                    leadID: "L1", at: arrived,
                    kind: .escalationVoided(repID: "ana", action: "reassign", firedAt: F.monday(12, 10), touchAt: F.monday(9, 40))),
                EngineEffect(leadID: "L1", at: arrived, kind: .reassignmentVoided(from: .rep("cy"), backTo: "ana", touchAt: F.monday(9, 40))),
            ], "\(late.effects.map(\.summary))")

        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.assignments.map(\.target) == [.rep("ana"), .rep("cy"), .rep("ana")])
        #expect(timeline.assignments[1].unassignReason?.hasPrefix("reassignment voided: ana's first touch at 2026-03-02T09:40:00Z") == true)
        #expect(timeline.assignments[2].unassignedAt == nil && timeline.assignments[2].rule == "restored:late-touch")
        // Fired-then-voided: every step keeps its firing time and gains when and by what it was voided.
        let first = try #require(timeline.timers.first { $0.id == "L1/handoff-1" })
        #expect(first.firedSteps.map(\.action) == ["remind-rep", "notify-manager", "reassign"])
        #expect(first.firedSteps.map(\.firedAt) == [F.monday(10, 10), F.monday(11, 10), F.monday(12, 10)])
        #expect(first.firedSteps.allSatisfy { $0.voidedAt == arrived && $0.voidedBy == "e3" })
        #expect(first.escalationStep == 0)
        let cys = try #require(timeline.timers.first { $0.id == "L1/handoff-2" })
        #expect(cys.state == .cancelled)
        // cy's alert says the lead is gone again.
        let alerts = try await store.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture)).alerts
        #expect(alerts.contains { $0.kind == "reassignment-voided" && $0.target == "cy" })
        // Nothing more fires for the lead's first touch: cy's clock is cancelled, ana's is met.
        let later = try await engine.tick(at: F.monday(18))
        #expect(!later.contains { if case .breach(_, .firstTouch, _) = $0.kind { true } else { false } }, "\(later)")
        #expect(!later.contains { if case .reassigned = $0.kind { true } else { false } }, "\(later)")
        // The next event folds the same state: ana owns, first touch at 09:40, within SLA.
        let next = try await engine.apply(F.attempt("e4", lead: "L1", at: F.monday(18, 30), rep: "ana"))
        #expect(!next.effects.contains { if case .firstTouch = $0.kind { true } else { false } })
        #expect(!next.effects.contains { if case .assist = $0.kind { true } else { false } }, "ana owns the lead again")
    }

    @Test func aLeadParkedByTheLateArrivalComesBackFromTheFallbackQueue() async throws {
        // Without cy, nobody else covers EMEA: the 12:10Z reassignment parked the lead in sales-triage,
        // which is where the README's own walkthrough used to end.
        let yaml = F.playbookYAML.replacingOccurrences(of: "territories: [\"*\"]", with: "territories: [apac]")
        let (engine, store, fired) = try await escalated(yaml: yaml)
        #expect(fired.contains { if case .reassigned("ana", .fallbackQueue("sales-triage")) = $0.kind { true } else { false } }, "\(fired)")
        let late = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 40), rep: "ana"))
        #expect(
            late.effects.contains(
                EngineEffect(
                    leadID: "L1", at: F.monday(12, 10),
                    kind: .reassignmentVoided(from: .fallbackQueue("sales-triage"), backTo: "ana", touchAt: F.monday(9, 40)))))
        #expect(try await store.openHandoffs(repID: nil).map(\.assignment.target) == [.rep("ana")])
    }

    @Test func aReassignmentSomeoneActedOnStandsButTheEarlierStepsAreVoided() async throws {
        let (engine, store, _) = try await escalated()
        // cy calls first (14:30Z, recorded in time); ana's 09:40 call arrives afterwards.
        _ = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(14, 30), rep: "cy"))
        let late = try await engine.apply(F.attempt("e4", lead: "L1", at: F.monday(9, 40), rep: "ana"))
        #expect(late.effects.contains { if case .firstTouch("ana", 1800, true) = $0.kind { true } else { false } }, "\(late.effects)")
        #expect(!late.effects.contains { if case .reassignmentVoided = $0.kind { true } else { false } })
        let voided = late.effects.compactMap { effect -> String? in
            if case let .escalationVoided(_, action, _, _) = effect.kind { return action }
            return nil
        }
        #expect(voided == ["remind-rep", "notify-manager"])
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.assignments.last?.target == .rep("cy") && timeline.assignments.last?.unassignedAt == nil)
        let first = try #require(timeline.timers.first { $0.id == "L1/handoff-1" })
        #expect(first.firedSteps.map(\.stands) == [false, false, true])
    }

    @Test func aLateTouchAfterTheDeadlineStaysLateAndKeepsTheBreach() async throws {
        let (engine, store, _) = try await escalated()
        // 10:40Z is half an hour past the 10:10Z deadline: late, but before the manager (11:10Z) and the reassignment.
        let late = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(10, 40), rep: "ana"))
        #expect(late.effects.contains { if case .firstTouch("ana", 5400, false) = $0.kind { true } else { false } }, "\(late.effects)")
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        let first = try #require(timeline.timers.first { $0.id == "L1/handoff-1" })
        #expect(first.firedSteps.map(\.stands) == [true, false, false], "the reminder at the deadline stands; later steps are void")
        #expect(timeline.assignments.last?.target == .rep("ana"))
    }

    @Test func aLateAttemptByAnotherRepIsStillAnAssist() async throws {
        let (engine, store, _) = try await escalated()
        // bob's 09:40 attempt on ana's lead: an assist; nothing is voided, cy keeps the lead.
        let late = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 40), rep: "bob"))
        #expect(late.effects.map(\.kind) == [.assist(repID: "bob", ownerID: "ana")])
        #expect(try await store.openHandoffs(repID: nil).map(\.assignment.target) == [.rep("cy")])
    }

    /// Issue 19's load test found it: a disposition that happened before an escalation step but
    /// arrived after the scheduler fired it closed the clock in the past, and the fold then
    /// replayed the scheduler's later firing as a tick on a closed clock. Every later event of
    /// the lead was refused ("clock tick after it was closed"), for good.
    @Test func aClosingDispositionThatArrivesAfterAFiredStepLeavesTheLeadOpenToLaterEvents() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let fired = try await engine.tick(at: F.monday(10, 30))
        #expect(fired.contains { if case .reminder = $0.kind { true } else { false } }, "\(fired.map(\.summary))")
        // The rep closed it at 09:50 (the CRM delivers it after the 10:10 reminder fired).
        let closed = try await engine.apply(F.disposition("e3", lead: "L1", at: F.monday(9, 50), rep: "ana", code: "bad_timing"))
        #expect(closed.status == .applied)
        // The lead keeps taking events (engagement, the scheduler's later passes).
        let later = try await engine.apply(F.engagement("e4", lead: "L1", at: F.monday(13), type: "email_open"))
        #expect(later.status == .applied)
        _ = try await engine.tick(at: F.monday(15))
        let again = try await engine.apply(F.engagement("e5", lead: "L1", at: F.monday(15, 30), type: "pricing_page"))
        #expect(again.status == .applied)
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.dispositions.map(\.code) == ["bad_timing"])
        #expect(timeline.timers.allSatisfy { $0.state != .running && $0.state != .breached }, "the closed clock has no running timer")
    }
}
