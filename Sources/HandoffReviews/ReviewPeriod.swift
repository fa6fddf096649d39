import BatonSupport
import Foundation
import HandoffPersistence

/// A review's period: an ISO week, a calendar month, or a run of whole days (`--from`/`--to`),
/// with its boundaries read in a stated time zone (midnight local time), as a half-open
/// ``ReportPeriod`` `[start, end)`.
package struct ReviewPeriod: Sendable, Hashable {
    /// Week or month.
    package enum Kind: Sendable, Hashable {
        /// ISO 8601 week: Monday 00:00 to the next Monday 00:00; week 1 holds the year's first Thursday.
        case isoWeek(year: Int, week: Int)
        /// Calendar month.
        case month(year: Int, month: Int)
        /// Whole days from `first` through `last`, both included (days counted from 1970-01-01,
        /// as ``CivilDate``): 00:00 of `first` to 00:00 of the day after `last`.
        case days(first: Int, last: Int)
    }

    package let kind: Kind
    /// The zone whose local midnights bound the period.
    package let timeZone: TimeZone
    /// `[start, end)` in absolute time.
    package let range: ReportPeriod

    /// "2025-W41" or "2025-10".
    package var label: String {
        switch kind {
        case let .isoWeek(year, week): String(format: "%04d-W%02d", year, week)
        case let .month(year, month): String(format: "%04d-%02d", year, month)
        case let .days(first, last): "\(CivilDate.isoDate(day: first)) to \(CivilDate.isoDate(day: last))"
        }
    }

    /// Parses `--from` and `--to` (`YYYY-MM-DD` each): the days from `from` through `to`, **both
    /// included**, so `--from 2023-01-01 --to 2023-03-31` is the first quarter of 2023.
    /// - Throws: ``AnalyticsError/invalidDate(flag:text:reason:)`` for a malformed or impossible
    ///   date, ``AnalyticsError/invalidRange(from:to:)`` when `to` is before `from`.
    package static func days(from fromText: String, to toText: String, timeZone: TimeZone) throws(AnalyticsError) -> ReviewPeriod {
        let first = try civilDay(fromText, flag: "--from")
        let last = try civilDay(toText, flag: "--to")
        guard last >= first else { throw .invalidRange(from: fromText, to: toText) }
        let calendar = gregorian(timeZone)
        func midnight(_ day: Int) -> Date {
            let (y, m, d) = CivilDate.civil(day: day)
            return calendar.date(from: DateComponents(year: y, month: m, day: d)) ?? Date(timeIntervalSince1970: Double(day) * 86_400)
        }
        return ReviewPeriod(
            kind: .days(first: first, last: last), timeZone: timeZone, range: ReportPeriod(start: midnight(first), end: midnight(last + 1)))
    }

    /// Days since 1970-01-01 of a strict `YYYY-MM-DD` that names a real date, years 1970–9999.
    private static func civilDay(_ text: String, flag: String) throws(AnalyticsError) -> Int {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { throw .invalidDate(flag: flag, text: text, reason: "not of the form YYYY-MM-DD") }
        guard year >= 1970, year <= 9999 else { throw .invalidDate(flag: flag, text: text, reason: "year \(year) is out of range (1970–9999)") }
        guard (1...12).contains(month) else { throw .invalidDate(flag: flag, text: text, reason: "month \(month) is not 01 to 12") }
        guard CivilDate.isValid(year: year, month: month, day: day) else {
            throw .invalidDate(
                flag: flag, text: text,
                reason: "\(String(format: "%04d-%02d", year, month)) has days 01 to \(CivilDate.daysIn(month: month, year: year))")
        }
        return CivilDate.days(year: year, month: month, day: day)
    }

    /// Parses `YYYY-Www` (e.g. 2025-W41; 2026-W01 starts on Monday 2025-12-29).
    /// - Throws: ``AnalyticsError/invalidWeek(_:reason:)`` for a malformed text or a week the ISO year lacks (2025-W53).
    package static func isoWeek(_ text: String, timeZone: TimeZone) throws(AnalyticsError) -> ReviewPeriod {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 3, parts[1].first == "W",
            let week = Int(parts[1].dropFirst()), parts[1].dropFirst().allSatisfy(\.isNumber)
        else { throw .invalidWeek(text, reason: "not of the form YYYY-Www") }
        guard year >= 1970, year <= 9999 else { throw .invalidWeek(text, reason: "year \(year) is out of range") }
        let weeks = isoWeeksInYear(year)
        guard week >= 1, week <= weeks else {
            throw .invalidWeek(text, reason: "ISO year \(year) has weeks 01 to \(weeks)")
        }
        let start = mondayOfISOWeek(year: year, week: week, timeZone: timeZone)
        let end = localMidnight(addingDays: 7, to: start, timeZone: timeZone)
        return ReviewPeriod(kind: .isoWeek(year: year, week: week), timeZone: timeZone, range: ReportPeriod(start: start, end: end))
    }

    /// Parses `YYYY-MM` (e.g. 2025-10).
    /// - Throws: ``AnalyticsError/invalidMonth(_:reason:)``.
    package static func month(_ text: String, timeZone: TimeZone) throws(AnalyticsError) -> ReviewPeriod {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            parts[1].allSatisfy(\.isNumber)
        else { throw .invalidMonth(text, reason: "not of the form YYYY-MM") }
        guard year >= 1970, year <= 9999 else { throw .invalidMonth(text, reason: "year \(year) is out of range") }
        guard (1...12).contains(month) else { throw .invalidMonth(text, reason: "month \(month) is not 01 to 12") }
        return ReviewPeriod.month(year: year, month: month, timeZone: timeZone)
    }

    /// The calendar month `year-month` in `timeZone`. Precondition: month in 1...12.
    package static func month(year: Int, month: Int, timeZone: TimeZone) -> ReviewPeriod {
        precondition((1...12).contains(month), "month must be 1...12")
        let calendar = gregorian(timeZone)
        let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date(timeIntervalSince1970: 0)
        let next = month == 12 ? DateComponents(year: year + 1, month: 1, day: 1) : DateComponents(year: year, month: month + 1, day: 1)
        let end = calendar.date(from: next) ?? start
        return ReviewPeriod(kind: .month(year: year, month: month), timeZone: timeZone, range: ReportPeriod(start: start, end: end))
    }

    /// The ISO week `offset` weeks after this one (negative: before); precondition: this is a week.
    package func isoWeek(offsetBy offset: Int) -> ReviewPeriod {
        guard case .isoWeek = kind else { preconditionFailure("isoWeek(offsetBy:) needs a week period") }
        let start = ReviewPeriod.localMidnight(addingDays: 7 * offset, to: range.start, timeZone: timeZone)
        return ReviewPeriod.containingWeek(start, timeZone: timeZone)
    }

    /// The ISO week holding `date` in `timeZone`.
    package static func containingWeek(_ date: Date, timeZone: TimeZone) -> ReviewPeriod {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        let year = parts.yearForWeekOfYear ?? 1970, week = parts.weekOfYear ?? 1
        let start = mondayOfISOWeek(year: year, week: week, timeZone: timeZone)
        let end = localMidnight(addingDays: 7, to: start, timeZone: timeZone)
        return ReviewPeriod(kind: .isoWeek(year: year, week: week), timeZone: timeZone, range: ReportPeriod(start: start, end: end))
    }

    /// 52 or 53: the ISO week number of 28 December (always in the year's last week).
    package static func isoWeeksInYear(_ year: Int) -> Int {
        // Jan 1 weekday by Zeller-free arithmetic: a year has 53 weeks when it starts on a
        // Thursday, or on a Wednesday in a leap year.
        func p(_ y: Int) -> Int { (y + y / 4 - y / 100 + y / 400) % 7 }
        return (p(year) == 4 || p(year - 1) == 3) ? 53 : 52
    }

    private static func mondayOfISOWeek(year: Int, week: Int, timeZone: TimeZone) -> Date {
        // 4 January is always in week 1; its Monday starts week 1.
        let calendar = gregorian(timeZone)
        let jan4 = calendar.date(from: DateComponents(year: year, month: 1, day: 4)) ?? Date(timeIntervalSince1970: 0)
        let weekday = calendar.component(.weekday, from: jan4)  // 1 = Sunday … 7 = Saturday
        let daysSinceMonday = (weekday + 5) % 7
        return localMidnight(addingDays: 7 * (week - 1) - daysSinceMonday, to: jan4, timeZone: timeZone)
    }

    static func localMidnight(addingDays days: Int, to date: Date, timeZone: TimeZone) -> Date {
        let calendar = gregorian(timeZone)
        let day = calendar.startOfDay(for: date)
        return calendar.date(byAdding: .day, value: days, to: day) ?? day
    }

    static func gregorian(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
