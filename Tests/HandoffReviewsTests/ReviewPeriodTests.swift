import Foundation
import HandoffReviews
import TestSupport
import Testing

@Suite struct ReviewPeriodTests {
    @Test func isoWeeksAcrossTheYearBoundary() throws {
        let w01 = try ReviewPeriod.isoWeek("2026-W01", timeZone: utc)
        #expect(w01.range.start == at("2025-12-29T00:00:00Z") && w01.range.end == at("2026-01-05T00:00:00Z"))
        let w41 = try ReviewPeriod.isoWeek("2025-W41", timeZone: utc)
        #expect(w41.range.start == at("2025-10-06T00:00:00Z") && w41.range.end == at("2025-10-13T00:00:00Z"))
        let w53 = try ReviewPeriod.isoWeek("2020-W53", timeZone: utc)  // 2020 has 53 weeks
        #expect(w53.range.start == at("2020-12-28T00:00:00Z"))
        #expect(w01.isoWeek(offsetBy: -1).label == "2025-W52")
        #expect(ReviewPeriod.containingWeek(at("2026-01-01T12:00:00Z"), timeZone: utc).label == "2026-W01")
    }

    @Test func boundariesAreLocalMidnights() throws {
        let berlin = try ReviewPeriod.isoWeek("2025-W41", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(berlin.range.start == at("2025-10-05T22:00:00Z"))  // CEST, UTC+2
        // The week of the clock change (Sun 26 Oct 2025) is an hour longer in Berlin.
        let change = try ReviewPeriod.isoWeek("2025-W43", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(change.range.end.timeIntervalSince(change.range.start) == 7 * 86_400 + 3600)
        let month = try ReviewPeriod.month("2025-10", timeZone: TimeZone(identifier: "America/Sao_Paulo")!)
        #expect(month.range.start == at("2025-10-01T03:00:00Z") && month.range.end == at("2025-11-01T03:00:00Z"))
        let december = try ReviewPeriod.month("2025-12", timeZone: utc)
        #expect(december.range.end == at("2026-01-01T00:00:00Z"))
    }

    @Test func badWeeksAndMonthsAreRefused() {
        for text in ["2025-W54", "2025-W53", "2025-W00", "2025-41", "2025-W4", "25-W41", "2025-W4x"] {
            #expect(throws: AnalyticsError.self) { try ReviewPeriod.isoWeek(text, timeZone: utc) }
        }
        for text in ["2025-13", "2025-00", "2025-1", "2025/10", "2025-10-01"] {
            #expect(throws: AnalyticsError.self) { try ReviewPeriod.month(text, timeZone: utc) }
        }
        do {
            _ = try ReviewPeriod.isoWeek("2025-W54", timeZone: utc)
        } catch {
            #expect(error.isUsage && error.description.contains("weeks 01 to 52"))
        }
    }

    /// Property: the week count formula agrees with Foundation's ISO calendar (week of 28 December).
    /// `--from`/`--to`: whole days, both included, from local midnight to the midnight after the last day.
    @Test func daysFromThroughBothIncluded() throws {
        let q1 = try ReviewPeriod.days(from: "2023-01-01", to: "2023-03-31", timeZone: utc)
        #expect(q1.range.start == at("2023-01-01T00:00:00Z") && q1.range.end == at("2023-04-01T00:00:00Z"))
        #expect(q1.label == "2023-01-01 to 2023-03-31")
        let one = try ReviewPeriod.days(from: "2024-02-29", to: "2024-02-29", timeZone: utc)  // a leap day, one day long
        #expect(one.range.end.timeIntervalSince(one.range.start) == 86_400)
        // In Berlin the quarter holds the spring clock change (26 March 2023): an hour shorter.
        let berlin = try ReviewPeriod.days(from: "2023-01-01", to: "2023-03-31", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(berlin.range.start == at("2022-12-31T23:00:00Z") && berlin.range.end == at("2023-03-31T22:00:00Z"))
        #expect(berlin.range.contains(at("2023-03-31T21:59:59Z")) && !berlin.range.contains(at("2023-03-31T22:00:00Z")))
    }

    @Test(arguments: [
        ("2023-02-29", "2023-03-31", "--from '2023-02-29': 2023-02 has days 01 to 28"),
        ("2023-01-01", "2023-04-31", "--to '2023-04-31': 2023-04 has days 01 to 30"),
        ("2023-1-01", "2023-03-31", "--from '2023-1-01': not of the form YYYY-MM-DD"),
        ("2023-01-01", "2023-03-31T00:00", "--to '2023-03-31T00:00': not of the form YYYY-MM-DD"),
        ("2023-13-01", "2023-03-31", "--from '2023-13-01': month 13 is not 01 to 12"),
        ("1969-12-31", "2023-03-31", "--from '1969-12-31': year 1969 is out of range"),
        ("２０２３-01-01", "2023-03-31", "--from '２０２３-01-01': not of the form YYYY-MM-DD"),
        ("", "2023-03-31", "--from '': not of the form YYYY-MM-DD"),
        ("2023-03-31", "2023-01-01", "--to '2023-01-01' is before --from '2023-03-31'"),
    ])
    func badDaysNameTheFlag(from: String, to: String, message: String) {
        do {
            _ = try ReviewPeriod.days(from: from, to: to, timeZone: utc)
            Issue.record("\(from) … \(to) was accepted")
        } catch {
            #expect(error.isUsage && error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func weeksInYearMatchFoundation() {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = utc
        for year in 1990...2060 {
            let dec28 = iso.date(from: DateComponents(year: year, month: 12, day: 28))!
            #expect(ReviewPeriod.isoWeeksInYear(year) == iso.component(.weekOfYear, from: dec28), "year \(year)")
        }
    }
}
