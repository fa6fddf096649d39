import Foundation
import ScoringModelFormat

/// A calendar date with no time zone (`2026-12-25`): a holiday or an out-of-office day means the
/// same local date wherever the rep is, so it is stored as a date and turned into instants only
/// through the rep's ``BusinessCalendar``.
package struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let year: Int
    package let month: Int
    package let day: Int

    /// A date from its parts; `nil` when the day does not exist (`2026-02-30`).
    package init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day), (1...9999).contains(year) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = LocalDate.utc.date(from: components),
            LocalDate.utc.component(.day, from: date) == day
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; `nil` for any other text or a date that does not exist.
    package init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The local date of `instant` in `timeZone`.
    package init(_ instant: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        // A Gregorian calendar always yields all three components.
        year = c.year ?? 1
        month = c.month ?? 1
        day = c.day ?? 1
    }

    /// The date `days` days later (earlier when negative).
    package func adding(days: Int) -> LocalDate {
        let start = LocalDate.utc.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
        return LocalDate(start.addingTimeInterval(Double(days) * 86_400), in: LocalDate.utcZone)
    }

    /// The weekday of this date.
    package var weekday: Weekday {
        let date = LocalDate.utc.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
        return Weekday(calendarWeekday: LocalDate.utc.component(.weekday, from: date))
    }

    package static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    package var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static let utcZone = TimeZone(secondsFromGMT: 0) ?? TimeZone.current
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utcZone
        return calendar
    }()
}

extension LocalDate {
    /// Reads a playbook date (`2026-12-25`).
    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> LocalDate {
        let text = try reader.text(entry)
        guard let date = LocalDate(text) else { throw reader.invalid(entry, "`\(text)` is not a date; write it as YYYY-MM-DD, e.g. 2026-12-25") }
        return date
    }
}

extension LocalDate: Codable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "`\(text)` is not a date; write it as YYYY-MM-DD, e.g. 2026-12-25")
        }
        self = date
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A day of the week, named as in a playbook (`mon` … `sun`).
package enum Weekday: String, Sendable, Hashable, CaseIterable, Codable {
    case mon, tue, wed, thu, fri, sat, sun

    /// From Foundation's weekday number (1 = Sunday … 7 = Saturday).
    init(calendarWeekday: Int) {
        self = [.sun, .mon, .tue, .wed, .thu, .fri, .sat][((calendarWeekday - 1) % 7 + 7) % 7]
    }

    /// Monday to Friday.
    package static let workweek: Set<Weekday> = [.mon, .tue, .wed, .thu, .fri]
}
