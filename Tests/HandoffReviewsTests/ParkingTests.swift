import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffRules
import TestSupport
import Testing

/// Leads parked in a fallback queue: a routing/capacity failure reported on its own, out of the
/// reps' SLA rates but in the lead-side "contacted within SLA" figure. ``WeekFixture``'s week plus
/// three parked leads, every count worked out by hand below.
///
/// | lead | decision        | assignments                                          | touch        |
/// | P1   | sql / high      | Mon 6th 10:00 queue triage (still open)              | none         |
/// | P2   | mql / standard  | Tue 7th 09:00 queue triage, closed 13:00; r1 13:00   | r1 Tue 14:00 |
/// | P3   | mql / standard  | Wed 8th 09:00 r1, closed 11:00; 11:00 queue overflow | none         |
///
/// As of Mon 13th 12:00 UTC: P1 parked 7·24 + 2 = 170 h, P2 4 h, P3 5·24 + 1 = 121 h.
@Suite struct ParkingTests {
    static func parkedJourneys() -> [LeadJourney] {
        func lead(_ id: String, _ created: String) -> LeadRecord {
            LeadRecord(id: id, fields: json(#"{"industry":"retail"}"#), source: "web", campaign: "c1", createdAt: at(created))
        }
        func decision(_ id: String, _ stage: QualificationStage, _ priority: HandoffPriority, _ when: String) -> QualificationDecisionRecord {
            QualificationDecisionRecord(leadID: id, stage: stage, priority: priority, rule: "r", evidence: json(#"{"x":1}"#), decidedAt: at(when))
        }
        func queue(_ id: String, _ name: String, _ when: String, closed: String? = nil) -> AssignmentRecord {
            AssignmentRecord(
                leadID: id, target: .fallbackQueue(name), rule: "fallback", assignedAt: at(when),
                unassignedAt: closed.map(at), unassignReason: closed == nil ? nil : "assigned")
        }
        func rep(_ id: String, _ rep: String, _ when: String, closed: String? = nil) -> AssignmentRecord {
            AssignmentRecord(
                leadID: id, target: .rep(rep), rule: "round-robin", assignedAt: at(when),
                unassignedAt: closed.map(at), unassignReason: closed == nil ? nil : "reassigned after SLA breach")
        }
        return [
            LeadJourney.build(
                lead: lead("P1", "2025-10-06T08:00:00Z"), decisions: [decision("P1", .sql, .high, "2025-10-06T10:00:00Z")],
                assignments: [queue("P1", "triage", "2025-10-06T10:00:00Z")]),
            LeadJourney.build(
                lead: lead("P2", "2025-10-07T08:00:00Z"), decisions: [decision("P2", .mql, .standard, "2025-10-07T09:00:00Z")],
                assignments: [
                    queue("P2", "triage", "2025-10-07T09:00:00Z", closed: "2025-10-07T13:00:00Z"),
                    rep("P2", "r1", "2025-10-07T13:00:00Z"),
                ],
                attempts: [
                    ContactAttemptRecord(
                        id: "P2/a", leadID: "P2", repID: "r1", channel: "call", result: "connected",
                        attemptedAt: at("2025-10-07T14:00:00Z"))
                ]),
            LeadJourney.build(
                lead: lead("P3", "2025-10-08T08:00:00Z"), decisions: [decision("P3", .mql, .standard, "2025-10-08T09:00:00Z")],
                assignments: [
                    rep("P3", "r1", "2025-10-08T09:00:00Z", closed: "2025-10-08T11:00:00Z"),
                    queue("P3", "overflow", "2025-10-08T11:00:00Z"),
                ]),
        ]
    }

    let journeys = WeekFixture.journeys() + ParkingTests.parkedJourneys()

    @Test func parkedLeadsLeaveTheRepsRatesButNotTheLeadFigure() throws {
        let c = SLACompliance.compute(journeys, period: try WeekFixture.period().range, reps: WeekFixture.repsByID, asOf: WeekFixture.asOf)
        let high = try #require(c.policies.first { $0.name == "high" })
        let standard = try #require(c.policies.first { $0.name == "standard" })
        // high: L1 met, L4 missed untouched; P1 (parked at hand-off) is nobody's miss.
        #expect(high.compliance == Proportion(1, of: 2) && high.untouchedMissed == 1)
        // standard: L2 met, L3 missed; P3 was r1's (first hand-off to r1, untouched: Wed 8 + Thu 8 + Fri 8 + Mon 3 = 27 h > 4).
        // P2 (parked at hand-off) is out.
        #expect(standard.compliance == Proportion(1, of: 3) && standard.untouchedMissed == 1)
        #expect(c.repsOverall == Proportion(2, of: 5))
        #expect(c.parkedAtHandoff == 2)
        // Lead side: L1, L2 met; L3, L4, P3 missed; P1 untouched past 1 h; P2 touched 5 business h after its
        // 09:00 hand-off (target 4) — both parked ones count as not contacted in time.
        #expect(c.leadsContactedWithinSLA == Proportion(2, of: 7) && c.overall == c.leadsContactedWithinSLA)
    }

    @Test func parkingCountsTimeAndLaterAssignment() throws {
        let p = FallbackParking.compute(journeys, period: try WeekFixture.period().range, asOf: WeekFixture.asOf)
        #expect(p.total.parked == 3 && p.total.atHandoff == 2 && p.total.stillParked == 2 && p.total.laterAssigned == 1)
        #expect(p.total.hoursParked == [4, 121, 170])
        #expect(p.total.medianHours == 121 && p.total.maxHours == 170)
        #expect(p.queues.map(\.name) == ["overflow", "triage"])
        let triage = try #require(p.queues.last)
        #expect(triage.parked == 2 && triage.atHandoff == 2 && triage.stillParked == 1 && triage.laterAssigned == 1)
        #expect(triage.medianHours == 87)  // (4 + 170) / 2
        // The week before holds none; as of Tue 7th 12:00 only P1 was parked (26 h so far), P2 still in the queue.
        #expect(
            FallbackParking.compute(journeys, period: try ReviewPeriod.isoWeek("2025-W40", timeZone: utc).range, asOf: WeekFixture.asOf).total.parked
                == 0)
        let early = FallbackParking.compute(journeys, period: try WeekFixture.period().range, asOf: at("2025-10-07T12:00:00Z"))
        #expect(early.total.parked == 2 && early.total.stillParked == 2 && early.total.laterAssigned == 0)
        #expect(early.total.hoursParked == [3, 26])
        // A week without parked leads reports zero, not NaN.
        let none = FallbackParking.compute(WeekFixture.journeys(), period: try WeekFixture.period().range, asOf: WeekFixture.asOf)
        #expect(none.total.parked == 0 && none.total.medianHours == nil && none.queues.isEmpty)
    }

    @Test func theWeeklyReportSaysWhereParkedLeadsAreCounted() throws {
        let data = ReviewData(journeys: journeys, reps: WeekFixture.repsByID, deployments: [])
        let results = ReviewResults(data: data, period: try WeekFixture.period(), asOf: WeekFixture.asOf, configuration: AnalyticsConfiguration())
        let report = ReviewReport(results: results, configuration: AnalyticsConfiguration(), title: "Weekly SLA review")
        let md = report.markdown
        #expect(
            md.contains(
                "- Leads contacted within SLA (every hand-off of the period, parked leads included and counted as not contacted in time unless touched within their target): \(Proportion(2, of: 7).formatted)."
            ))
        #expect(md.contains("2 hand-off(s) parked in a fallback queue (no rep could take them) are a routing/capacity failure, left out of them"))
        #expect(md.contains("| triage | 2 | 2 | 1 | 1 | 87.00 h | 170.00 h |"))
        #expect(md.contains("| overflow | 1 | 0 | 1 | 0 | 121.00 h | 121.00 h |"))
        #expect(md.contains("| all | 3 | 2 | 2 | 1 | 121.00 h | 170.00 h |"))
        let parked = try #require(report.changes.first { $0.rule == "fallback-queue" })
        #expect(
            parked.text.hasPrefix(
                "3 hand-off(s) landed in a fallback queue (`overflow`, `triage`): nobody could take them (median 121.00 h, longest 170.00 h parked"))
        #expect(parked.text.contains("2 still parked, 1 later assigned to a rep"))
        // never-touched names the reps' untouched hand-offs only: L4 (high) and P3 (standard), not P1.
        let untouched = report.changes.filter { $0.rule == "never-touched" }.map(\.text)
        #expect(untouched.count == 2 && untouched.allSatisfy { $0.hasPrefix("1 `") })
    }
}
