import Foundation
import HandoffPersistence
import HandoffReviews
import TestSupport
import Testing

/// Each measure on the hand-built week of ``WeekFixture``; expected values are worked out by hand
/// from the table in its doc comment.
@Suite struct WeekMeasureTests {
    let journeys = WeekFixture.journeys()
    let config = AnalyticsConfiguration()

    @Test func volumeBySourceRepAndBand() throws {
        let range = try WeekFixture.period().range
        let source = HandoffVolume.compute(journeys, period: range, by: .source)
        #expect(source.total == 4)  // L1–L4; L5 is handed off in W42, L6 never
        #expect(source.rows.map { [$0.key: $0.count] } == [["ads": 2], ["web": 2]])
        let rep = HandoffVolume.compute(journeys, period: range, by: .rep)
        #expect(rep.rows.map(\.key) == ["r1", "r2"] && rep.rows.map(\.count) == [3, 1])
        #expect(isClose(rep.rows[0].share ?? -1, 0.75, absolute: 1e-12, relative: 0))
        let band = HandoffVolume.compute(journeys, period: range, by: .scoreBand)
        // 0.85 and 0.90 → 0.80–1.00; 0.50 → 0.40–0.60; 0.30 → 0.20–0.40
        #expect(Dictionary(uniqueKeysWithValues: band.rows.map { ($0.key, $0.count) }) == ["0.80–1.00": 2, "0.40–0.60": 1, "0.20–0.40": 1])
        let campaign = HandoffVolume.compute(journeys, period: range, by: .campaign)
        #expect(campaign.rows.map(\.key) == ["c1", "c2"])
    }

    @Test func marketingSLAAgainstCommitment() throws {
        let m = MarketingSLA.compute(journeys, period: try WeekFixture.period().range, weeks: 1, committedPerWeek: 5)
        #expect(m.delivered == 4 && m.committed == 5)
        #expect(isClose(m.attainment ?? -1, 0.8, absolute: 1e-12, relative: 0))
        #expect(m.evidence == Proportion(3, of: 4))  // L2's evidence is {}
        let none = MarketingSLA.compute(journeys, period: try WeekFixture.period().range, weeks: 1, committedPerWeek: nil)
        #expect(none.committed == nil && none.attainment == nil)
    }

    @Test func speedToContactInBusinessHours() throws {
        let s = SpeedToContact.compute(
            journeys, period: try WeekFixture.period().range, reps: WeekFixture.repsByID,
            asOf: WeekFixture.asOf)
        // touched: 0.5, 2 (Mon 16:00→17:00 + Tue 09:00→10:00), 8 (Tue 09:00 → Wed 09:00)
        #expect(s.overall.hours.sorted() == [0.5, 2, 8] && s.overall.untouched == 1)
        #expect(isClose(s.overall.median ?? -1, 2, absolute: 1e-12, relative: 0))
        #expect(isClose(s.overall.p90 ?? -1, 6.8, absolute: 1e-12, relative: 0))  // h = 1.8: 2 + 0.8·6
        let standard = try #require(s.byPriority.first { $0.key == "standard" })
        #expect(isClose(standard.median ?? -1, 5, absolute: 1e-12, relative: 0))
        #expect(isClose(standard.p90 ?? -1, 7.4, absolute: 1e-12, relative: 0))
        let high = try #require(s.byPriority.first { $0.key == "high" })
        #expect(high.handoffs == 2 && high.hours == [0.5])
        let r2 = try #require(s.byRep.first { $0.key == "r2" })
        #expect(r2.repStatus == .left && r2.hours == [8])
    }

    @Test func complianceBreachesAndEscalations() throws {
        let c = SLACompliance.compute(
            journeys, period: try WeekFixture.period().range, reps: WeekFixture.repsByID,
            asOf: WeekFixture.asOf)
        let high = try #require(c.policies.first { $0.name == "high" })
        let standard = try #require(c.policies.first { $0.name == "standard" })
        // high: L1 met (0.5 ≤ 1); L4 untouched with 0.5 + 3 = 3.5 business h > 1 → missed
        #expect(high.compliance == Proportion(1, of: 2) && high.untouchedMissed == 1 && high.pending == 0)
        // standard: L2 met (2 ≤ 4); L3 missed (8 > 4)
        #expect(standard.compliance == Proportion(1, of: 2))
        let ci = try #require(high.compliance.interval)  // Wilson 1/2 by hand: 0.0945312…, 0.9054688…
        #expect(isClose(ci.lower, 0.09453120573423074, absolute: 1e-12, relative: 0))
        #expect(isClose(ci.upper, 0.9054687942657693, absolute: 1e-12, relative: 0))
        #expect(c.breachedTimers == 2)  // L3 (steps fired) and L4 (breached)
        #expect(c.escalations == ["remind-rep": 2, "notify-manager": 1])
        // Before L4's target has passed (Fri 16:45), it is pending, not missed.
        let early = SLACompliance.compute(
            journeys, period: try WeekFixture.period().range, reps: WeekFixture.repsByID,
            asOf: at("2025-10-10T16:45:00Z"))
        let earlyHigh = try #require(early.policies.first { $0.name == "high" })
        #expect(earlyHigh.compliance == Proportion(1, of: 1) && earlyHigh.pending == 1)
    }

    @Test func funnelOfTheWeeksCohort() throws {
        let range = try WeekFixture.period().range
        let created = journeys.filter { range.contains($0.lead.createdAt) }
        let f = Funnel.cohort(created, label: "W41", asOf: WeekFixture.asOf)
        #expect(f.stages.map(\.reached) == [6, 5, 3, 2, 1])  // SQL: L1, L4 recorded + L2 implied by its opportunity
        #expect(f.stages.map(\.recorded) == [6, 5, 2, 2, 1])
        #expect(f.stages.compactMap(\.conversionToNext) == [Proportion(5, of: 6), Proportion(3, of: 5), Proportion(2, of: 3), Proportion(1, of: 2)])
        let opp = try #require(f.stages.first { $0.stage == .opportunity })
        #expect(opp.medianDaysToNext == 2 && opp.velocitySample == 1)  // O1 08 Oct → won 10 Oct
        #expect(f.medianDaysMQLToWon == 4)
        #expect(f.attributedRevenue == ["EUR": 100_000] && f.attributedWins == 1)
        var salesOnly = AnalyticsConfiguration()
        salesOnly.salesSourcedSources = ["web"]
        #expect(Funnel.cohort(created, label: "W41", asOf: WeekFixture.asOf, configuration: salesOnly).attributedRevenue.isEmpty)
        // As of before the win, won is not reached.
        #expect(Funnel.cohort(created, label: "W41", asOf: at("2025-10-09T00:00:00Z")).stages.last?.reached == 0)
    }

    @Test func emptyPeriodGivesNoRatesNotNaN() throws {
        let range = try ReviewPeriod.isoWeek("2025-W30", timeZone: utc).range
        let c = SLACompliance.compute(journeys, period: range, reps: [:], asOf: WeekFixture.asOf)
        #expect(c.policies.isEmpty && c.overall.rate == nil && c.overall.interval == nil)
        let s = SpeedToContact.compute(journeys, period: range, reps: [:], asOf: WeekFixture.asOf)
        #expect(s.overall.median == nil && s.overall.p90 == nil)
        #expect(MarketingSLA.compute(journeys, period: range, weeks: 1, committedPerWeek: 3).evidence.formatted == "no data (0 of 0)")
        #expect(Funnel.cohort([], label: "x", asOf: WeekFixture.asOf).stages.allSatisfy { $0.conversionToNext?.rate == nil })
    }
}

@Suite struct ChangeRuleTests {
    /// Without any stored contact attempt (an imported funnel), the SLA rules stay silent and the
    /// report says why; with them, never-touched fires on L4.
    @Test func slaRulesNeedRecordedTouches() throws {
        var batch = WeekFixture.batch()
        let withTouches = ReviewResults(
            data: ReviewData(journeys: LeadJourney.build(from: batch), reps: WeekFixture.repsByID, deployments: []),
            period: try WeekFixture.period(), asOf: WeekFixture.asOf, configuration: AnalyticsConfiguration())
        #expect(
            WhatToChange.items(withTouches, configuration: AnalyticsConfiguration()).contains {
                $0.rule == "never-touched" && $0.text.hasPrefix("1 `high`")
            })
        batch.contactAttempts = []
        let without = ReviewResults(
            data: ReviewData(journeys: LeadJourney.build(from: batch), reps: WeekFixture.repsByID, deployments: []),
            period: try WeekFixture.period(), asOf: WeekFixture.asOf, configuration: AnalyticsConfiguration())
        #expect(!without.contactAttemptsRecorded)
        let rules = Set(WhatToChange.items(without, configuration: AnalyticsConfiguration()).map(\.rule))
        #expect(!rules.contains("never-touched") && !rules.contains("sla-compliance"))
        let report = ReviewReport(results: without, configuration: AnalyticsConfiguration(), title: "t")
        #expect(report.markdown.contains("No contact attempt is stored for any loaded lead."))
    }
}
