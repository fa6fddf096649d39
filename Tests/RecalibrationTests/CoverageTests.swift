import BatonSupport
import Foundation
import Recalibration
import TestSupport
import Testing

/// Weekly volumes divide by the weeks of the test quarter the data covers, not by 13.
struct QuarterCoverageTests {
    @Test func olistLikeSampleEndingInMay() throws {
        // 2017-06-14 … 2018-05-31 against 2018Q2 (91 days): April 30 + May 31 = 61 days.
        let q = CalendarQuarter(year: 2018, quarter: 2)
        let c = QuarterCoverage(
            quarter: q, firstDataDay: try #require(LeadTime.day("2017-06-14")),
            lastDataDay: try #require(LeadTime.day("2018-05-31")))
        #expect(c.days == 61 && c.isPartial)
        #expect(c.weeks == 61.0 / 7)
        #expect(c.span == "2018-04-01 … 2018-05-31")
        #expect(c.statement == "the data covers 61 of 91 days of 2018Q2")
    }

    @Test func wholeQuarterAndLateStart() throws {
        let q = CalendarQuarter(year: 2024, quarter: 1)  // leap year: 31 + 29 + 31 = 91 days
        let whole = QuarterCoverage(
            quarter: q, firstDataDay: try #require(LeadTime.day("2023-01-01")),
            lastDataDay: try #require(LeadTime.day("2025-01-01")))
        #expect(whole.days == 91 && !whole.isPartial && whole.weeks == 13)
        // Starts on 2024-03-02: March 2 … 31 = 30 days.
        let late = QuarterCoverage(
            quarter: q, firstDataDay: try #require(LeadTime.day("2024-03-02")),
            lastDataDay: try #require(LeadTime.day("2024-06-01")))
        #expect(late.days == 30 && late.isPartial && late.firstDay == LeadTime.day("2024-03-02"))
        // The last day of the quarter alone still counts as covered.
        let lastDay = QuarterCoverage(
            quarter: q, firstDataDay: try #require(LeadTime.day("2023-05-05")),
            lastDataDay: try #require(LeadTime.day("2024-03-31")))
        #expect(lastDay.days == 91 && !lastDay.isPartial)
    }

    @Test func daysNeverExceedTheQuarter() {
        var rng = SplitMix64(seed: 11)
        let q = CalendarQuarter(year: 2025, quarter: 3)
        for _ in 0..<500 {
            let a = q.startDay - 200 + Int(rng.next() % 400), b = q.startDay - 200 + Int(rng.next() % 400)
            let first = min(a, b), last = max(a, b)
            guard first < q.endDay && last >= q.startDay else { continue }
            let c = QuarterCoverage(quarter: q, firstDataDay: first, lastDataDay: last)
            // Independent count: the days d of the quarter with first ≤ d ≤ last.
            let count = (q.startDay..<q.endDay).filter { $0 >= first && $0 <= last }.count
            #expect(c.days == count && c.isPartial == (count < 92))
        }
    }
}
