import Foundation
import HandoffRules

/// Fixed instants and calendars for the rep-facing flow tests. Every expected value in the
/// tests is worked out by hand from these (dates checked against a 2026 wall calendar:
/// 2026-11-20 is a Friday, US DST starts 2026-03-08 and ends 2026-11-01, EU DST ends 2026-10-25).
enum Flow {
    static let newYork = TimeZone(identifier: "America/New_York") ?? TimeZone.current
    static let berlin = TimeZone(identifier: "Europe/Berlin") ?? TimeZone.current
    static let utc = TimeZone(secondsFromGMT: 0) ?? TimeZone.current

    /// The instant of a local wall-clock time.
    static func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ min: Int = 0, _ s: Int = 0, in zone: TimeZone = newYork) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min, second: s)) ?? .distantPast
    }

    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { preconditionFailure("bad fixture date \(text)") }
        return date
    }

    /// Mon–Fri 09:00–17:00 New York with Thanksgiving and Christmas 2026 off.
    static let nyCalendar = BusinessCalendar(
        timeZone: newYork, hours: .nineToFive,
        holidays: [date("2026-11-26"), date("2026-12-25")])
    static let berlinCalendar = BusinessCalendar(
        timeZone: berlin, hours: .nineToFive,
        holidays: [date("2026-12-24"), date("2026-12-25"), date("2026-12-26")])

    static func rep(
        _ id: String, weight: Int = 1, capacity: Int = 100, territories: [String] = ["*"],
        industries: [String] = ["*"], tiers: [String] = ["*"], calendar: BusinessCalendar = nyCalendar,
        outOfOffice: [DateInterval] = [], status: Rep.Status = .active, manager: String? = nil
    ) -> Rep {
        Rep(
            id: id, name: id.capitalized, email: "\(id)@example.com", manager: manager, territories: territories,
            industries: industries, dealSizeTiers: tiers, weight: weight, capacity: capacity, calendar: calendar,
            outOfOffice: outOfOffice, status: status)
    }
}
