import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffRules
import TestSupport
import Testing

/// Issue 16: speed to lead in two parts, so a rep does not answer for time the lead spent waiting
/// on routing or in a queue. Hand-computed in the default calendar (Mon–Fri 09:00–17:00 UTC).
@Suite struct TwoDelaysTests {
    static let period = ReportPeriod(start: at("2025-10-06T00:00:00Z"), end: at("2025-10-13T00:00:00Z"))

    static func lead(_ id: String) -> LeadRecord {
        LeadRecord(id: id, fields: json("{}"), source: "web", campaign: nil, createdAt: at("2025-10-06T08:00:00Z"))
    }

    static func qualified(_ id: String, _ when: String) -> QualificationDecisionRecord {
        QualificationDecisionRecord(leadID: id, stage: .mql, priority: .standard, rule: "engaged", decidedAt: at(when))
    }

    static func touch(_ id: String, rep: String, _ when: String) -> ContactAttemptRecord {
        ContactAttemptRecord(id: "t-\(id)", leadID: id, repID: rep, channel: "call", result: "connected", attemptedAt: at(when))
    }

    static func journeys() -> [LeadJourney] {
        [
            // Routed at once (Mon 10:00) and touched Mon 11:30: system 0 h, rep 1.5 business h.
            LeadJourney.build(
                lead: lead("D1"), decisions: [qualified("D1", "2025-10-06T10:00:00Z")],
                assignments: [AssignmentRecord(leadID: "D1", target: .rep("fay"), rule: "round-robin", assignedAt: at("2025-10-06T10:00:00Z"))],
                attempts: [touch("D1", rep: "fay", "2025-10-06T11:30:00Z")]),
            // Parked Mon 10:00, taken out of the queue to ben Tue 16:00 (30 h wall-clock), touched
            // Wed 10:00: rep delay 1 h on Tue + 1 h on Wed = 2 business h, none of the queue's 30 h.
            LeadJourney.build(
                lead: lead("D2"), decisions: [qualified("D2", "2025-10-06T10:00:00Z")],
                assignments: [
                    AssignmentRecord(
                        leadID: "D2", target: .fallbackQueue("sales-triage"), rule: "fallback", assignedAt: at("2025-10-06T10:00:00Z"),
                        unassignedAt: at("2025-10-07T16:00:00Z"), unassignReason: "assigned by hand to ben by lee"),
                    AssignmentRecord(leadID: "D2", target: .rep("ben"), rule: "manual:lee", assignedAt: at("2025-10-07T16:00:00Z")),
                ],
                attempts: [touch("D2", rep: "ben", "2025-10-08T10:00:00Z")]),
            // Still in the queue: no rep yet, so neither delay.
            LeadJourney.build(
                lead: lead("D3"), decisions: [qualified("D3", "2025-10-06T12:00:00Z")],
                assignments: [
                    AssignmentRecord(leadID: "D3", target: .fallbackQueue("sales-triage"), rule: "fallback", assignedAt: at("2025-10-06T12:00:00Z"))
                ]),
        ]
    }

    @Test func theQueuesWaitIsTheSystemsNotTheReps() {
        let speed = SpeedToContact.compute(Self.journeys(), period: Self.period, reps: [:], asOf: at("2025-10-13T00:00:00Z"))
        #expect(speed.systemDelayHours == [0, 30])
        #expect(speed.repDelayHours == [1.5, 2])
        // As of Tue 12:00 ben does not have D2 yet: one lead reached a rep.
        let early = SpeedToContact.compute(Self.journeys(), period: Self.period, reps: [:], asOf: at("2025-10-07T12:00:00Z"))
        #expect(early.systemDelayHours == [0] && early.repDelayHours == [1.5])
    }
}

/// Issue 16: a paused clock is not the rep's time in the reviews either. Hand-computed in the
/// default calendar (Mon–Fri 09:00–17:00 UTC).
@Suite struct PausedSpeedTests {
    static func pause(_ id: String, lead: String, from start: String, until: String) -> EngagementEventRecord {
        EngagementEventRecord(
            id: id, leadID: lead, type: "sla_pause", occurredAt: at(start), receivedAt: at(start),
            payload: json(#"{"reason": "prospect_requested", "until": "\#(until)"}"#))
    }

    static func resume(_ id: String, lead: String, on time: String) -> EngagementEventRecord {
        EngagementEventRecord(
            id: id, leadID: lead, type: "sla_resume", occurredAt: at(time), receivedAt: at(time),
            payload: json("{}"))
    }

    @Test func pausedStretchesAreLeftOutOfSpeedAndCompliance() {
        var batch = ActivityBatch()
        batch.leads = [TwoDelaysTests.lead("P1"), TwoDelaysTests.lead("P2")]
        batch.decisions = [TwoDelaysTests.qualified("P1", "2025-10-06T10:00:00Z"), TwoDelaysTests.qualified("P2", "2025-10-06T10:00:00Z")]
        batch.assignments = [
            AssignmentRecord(leadID: "P1", target: .rep("fay"), rule: "round-robin", assignedAt: at("2025-10-06T10:00:00Z")),
            AssignmentRecord(leadID: "P2", target: .rep("fay"), rule: "round-robin", assignedAt: at("2025-10-06T10:00:00Z")),
        ]
        batch.contactAttempts = [
            TwoDelaysTests.touch("P1", rep: "fay", "2025-10-07T11:00:00Z"), TwoDelaysTests.touch("P2", rep: "fay", "2025-10-07T11:00:00Z"),
        ]
        // P1: paused Mon 10:30 until Tue 10:00 (6.5 + 1 = 7.5 business h stood still). Touched Tue 11:00:
        // 9 business h since the hand-off, 1.5 of them the rep's.
        // P2: paused Mon 10:30 until Wed, resumed early Mon 12:30 (2 business h): 9 − 2 = 7 h.
        batch.events = [
            Self.pause("p1", lead: "P1", from: "2025-10-06T10:30:00Z", until: "2025-10-07T10:00:00Z"),
            Self.pause("p2", lead: "P2", from: "2025-10-06T10:30:00Z", until: "2025-10-08T09:00:00Z"),
            Self.resume("r2", lead: "P2", on: "2025-10-06T12:30:00Z"),
        ]
        let journeys = LeadJourney.build(from: batch)
        #expect(journeys.map(\.pauses.count) == [1, 1])
        let speed = SpeedToContact.compute(journeys, period: TwoDelaysTests.period, reps: [:], asOf: at("2025-10-13T00:00:00Z"))
        #expect(speed.repDelayHours == [1.5, 7])
        #expect(speed.overall.hours == [1.5, 7])
    }
}
