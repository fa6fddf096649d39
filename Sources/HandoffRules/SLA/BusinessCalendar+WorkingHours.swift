import Foundation
import ScoringModelFormat

/// The hours a rep works on each working day, in the rep's own time zone: one window per day
/// (`from` … `to`) on the listed weekdays.
///
/// Playbook form: `{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}`; `to` may be
/// `"24:00"`. Every working day has the same window, so "one business day" is a fixed amount of
/// business time (`to − from`).
package struct WorkingHours: Sendable, Hashable {
    /// The working weekdays (never empty).
    package let days: Set<Weekday>
    /// Opening time, minutes after local midnight (0 ..< 1440).
    package let opensAtMinute: Int
    /// Closing time, minutes after local midnight (opensAtMinute < closesAtMinute ≤ 1440).
    package let closesAtMinute: Int

    /// Working hours from minutes after midnight. Preconditions: `days` not empty and
    /// `0 ≤ opens < closes ≤ 1440`.
    package init(days: Set<Weekday> = Weekday.workweek, opensAtMinute: Int, closesAtMinute: Int) {
        precondition(!days.isEmpty, "WorkingHours needs at least one working day")
        precondition(
            0 <= opensAtMinute && opensAtMinute < closesAtMinute && closesAtMinute <= 1440,
            "WorkingHours needs 0 ≤ opens < closes ≤ 24:00")
        self.days = days
        self.opensAtMinute = opensAtMinute
        self.closesAtMinute = closesAtMinute
    }

    /// Monday to Friday, 09:00–17:00.
    package static let nineToFive = WorkingHours(opensAtMinute: 9 * 60, closesAtMinute: 17 * 60)

    /// The length of one working day in seconds.
    package var dayLength: TimeInterval { Double(closesAtMinute - opensAtMinute) * 60 }

    /// Parses `HH:MM` (00:00 … 24:00) into minutes after midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m)
        else { return nil }
        let total = h * 60 + m
        return total <= 1440 ? total : nil
    }

    /// Reads a weekday name (`mon` or `monday`, any case).
    static func weekday(_ text: String) -> Weekday? {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        return Weekday.allCases.first { lower == $0.rawValue || (lower.count > 3 && fullName($0).hasPrefix(lower)) }
    }

    private static func fullName(_ day: Weekday) -> String {
        switch day {
        case .mon: "monday"
        case .tue: "tuesday"
        case .wed: "wednesday"
        case .thu: "thursday"
        case .fri: "friday"
        case .sat: "saturday"
        case .sun: "sunday"
        }
    }
}

extension WorkingHours {
    /// The keys of a `working_hours` mapping.
    static let keys = ["days", "from", "to"]

    /// Reads `working_hours: {days: [mon, …], from: "09:00", to: "17:00"}` (days default to Monday–Friday).
    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> WorkingHours {
        let fields = try reader.entries(entry, allowed: keys)
        var days = Set<Weekday>()
        if let daysEntry = reader.given(fields, "days") {
            for name in try reader.texts(daysEntry) {
                guard let day = WorkingHours.weekday(name) else {
                    throw reader.invalid(daysEntry, "`\(name)` is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
                }
                days.insert(day)
            }
            guard !days.isEmpty else { throw reader.invalid(daysEntry, "no working days; list at least one, e.g. [mon, tue, wed, thu, fri]") }
        } else {
            days = Weekday.workweek
        }
        guard let fromEntry = fields["from"] else {
            throw reader.missing("from", in: entry, hint: "Give the opening time as HH:MM in quotes, e.g. `from: \"09:00\"`.")
        }
        guard let toEntry = fields["to"] else {
            throw reader.missing("to", in: entry, hint: "Give the closing time as HH:MM in quotes, e.g. `to: \"17:00\"`.")
        }
        let fromText = try reader.text(fromEntry), toText = try reader.text(toEntry)
        guard let opens = WorkingHours.minutes(fromText) else {
            throw reader.invalid(fromEntry, "`\(fromText)` is not a time of day; write HH:MM in quotes, e.g. \"09:00\"")
        }
        guard let closes = WorkingHours.minutes(toText) else {
            throw reader.invalid(toEntry, "`\(toText)` is not a time of day; write HH:MM in quotes, e.g. \"17:00\" (up to \"24:00\")")
        }
        guard opens < closes else {
            throw reader.invalid(
                toEntry,
                "closing time \(toText) is not after opening time \(fromText); overnight shifts are not supported, split them over two reps or use 00:00–24:00"
            )
        }
        return WorkingHours(days: days, opensAtMinute: opens, closesAtMinute: closes)
    }
}
