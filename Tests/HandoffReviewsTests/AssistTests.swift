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
