import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffRules
import TestSupport
import Testing

/// Speed to contact counts the owner's touches only, as the flow's SLA clock does (issue 21 item
/// 2): another rep's attempt on a lead is an assist, unless that rep is in `sla.touches_from`.
@Suite struct AssistTests {
    static func journey(touchesFrom: Set<String> = []) -> LeadJourney {
        let assignment = AssignmentRecord(leadID: "A1", target: .rep("fay"), rule: "round-robin", assignedAt: at("2025-10-06T14:00:00Z"))
        func attempt(_ id: String, _ rep: String, _ when: String) -> ContactAttemptRecord {
            ContactAttemptRecord(id: id, leadID: "A1", repID: rep, channel: "call", result: "no_answer", attemptedAt: at(when))
        }
        return LeadJourney.build(
            lead: LeadRecord(id: "A1", fields: json(#"{"industry":"retail"}"#), source: "web", campaign: "c1", createdAt: at("2025-10-06T13:50:00Z")),
            assignments: [assignment],
            attempts: [attempt("a1", "ben", "2025-10-06T14:20:00Z"), attempt("a2", "fay", "2025-10-06T16:30:00Z")],
            touchesFrom: touchesFrom)
    }

    @Test func anotherRepsAttemptIsNotTheFirstTouch() {
        let owner = Self.journey()
        #expect(owner.firstTouchAt == at("2025-10-06T16:30:00Z") && owner.attemptCount == 1)
        let pooled = Self.journey(touchesFrom: ["ben"])
        #expect(pooled.firstTouchAt == at("2025-10-06T14:20:00Z") && pooled.attemptCount == 2)
    }
}

/// Issue 21 item 1, in the reviews: a touch that arrived late is judged at its own time, the
/// steps it voided are not counted as escalations, and the CRM's lag is reported beside it.
@Suite struct LateArrivalReviewTests {
    static let period = ReportPeriod(start: at("2025-10-06T00:00:00Z"), end: at("2025-10-13T00:00:00Z"))

    static func batch() -> ActivityBatch {
        var batch = ActivityBatch()
        batch.leads = [
            LeadRecord(id: "A1", fields: json(#"{"industry":"retail"}"#), source: "web", campaign: "c1", createdAt: at("2025-10-06T13:50:00Z"))
        ]
        batch.assignments = [
            AssignmentRecord(
                leadID: "A1", target: .rep("fay"), rule: "round-robin", assignedAt: at("2025-10-06T14:00:00Z"),
                unassignedAt: at("2025-10-06T17:00:00Z"), unassignReason: "reassigned after SLA breach"),
            AssignmentRecord(
                leadID: "A1", target: .fallbackQueue("sales-triage"), rule: "fallback", assignedAt: at("2025-10-06T17:00:00Z"),
                unassignedAt: at("2025-10-06T17:05:00Z"), unassignReason: "reassignment voided"),
            AssignmentRecord(leadID: "A1", target: .rep("fay"), rule: "restored:late-touch", assignedAt: at("2025-10-06T17:05:00Z")),
        ]
        let voided = at("2025-10-06T17:05:00Z")
        batch.timers = [
            SLATimerRecord(
                id: "A1/handoff-1", leadID: "A1", policy: "high", dueAt: at("2025-10-06T15:00:00Z"), state: .cancelled,
                firedSteps: [
                    FiredEscalationStep(step: 1, action: "remind-rep", firedAt: at("2025-10-06T15:00:00Z"), voidedAt: voided, voidedBy: "crm-9"),
                    FiredEscalationStep(step: 2, action: "notify-manager", firedAt: at("2025-10-06T16:00:00Z"), voidedAt: voided, voidedBy: "crm-9"),
                    FiredEscalationStep(step: 3, action: "reassign", firedAt: at("2025-10-06T17:00:00Z"), voidedAt: voided, voidedBy: "crm-9"),
                ], startedAt: at("2025-10-06T14:00:00Z"), updatedAt: voided)
        ]
        batch.contactAttempts = [
            ContactAttemptRecord(
                id: "crm-9", leadID: "A1", repID: "fay", channel: "call", result: "connected", attemptedAt: at("2025-10-06T14:20:00Z"))
        ]
        batch.events = [
            EngagementEventRecord(
                id: "crm-9", leadID: "A1", type: "contact_attempt", occurredAt: at("2025-10-06T14:20:00Z"), receivedAt: voided,
                payload: .emptyObject)
        ]
        return batch
    }

    @Test func aLateTouchIsMetItsVoidedStepsAreNotEscalationsAndTheLagIsShown() {
        let journeys = LeadJourney.build(from: Self.batch())
        let journey = try! #require(journeys.first)
        #expect(journey.firstTouchAt == at("2025-10-06T14:20:00Z") && journey.firstTouchArrivedAt == at("2025-10-06T17:05:00Z"))
        let asOf = at("2025-10-13T00:00:00Z")
        let speed = SpeedToContact.compute(journeys, period: Self.period, reps: [:], asOf: asOf)
        #expect(speed.crmLagHours.count == 1 && isClose(speed.crmLagHours[0], 2.75, absolute: 1e-12))
        #expect(speed.overall.hours.count == 1 && isClose(speed.overall.hours[0], 20.0 / 60, absolute: 1e-9))
        let compliance = SLACompliance.compute(journeys, period: Self.period, reps: [:], asOf: asOf)
        #expect(compliance.leadsContactedWithinSLA.successes == 1 && compliance.leadsContactedWithinSLA.trials == 1)
        #expect(compliance.breachedTimers == 0 && compliance.escalations.isEmpty)
        #expect(compliance.voidedEscalations == ["remind-rep": 1, "notify-manager": 1, "reassign": 1])
        // Before the touch arrived (as of 16:30) the steps fired so far stood.
        let before = SLACompliance.compute(journeys, period: Self.period, reps: [:], asOf: at("2025-10-06T16:30:00Z"))
        #expect(before.breachedTimers == 1 && before.escalations == ["remind-rep": 1, "notify-manager": 1])
    }
}
