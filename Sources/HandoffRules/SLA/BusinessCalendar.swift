import Foundation

/// Business time for one rep: working hours in the rep's time zone, minus holidays.
///
/// Business time is real elapsed time (seconds) that falls inside an open window. Windows are
/// built from local clock times, so on a day when the clocks change the window still opens at
/// 09:00 and closes at 17:00 local time; a window that spans the change (say 00:00–24:00)
/// is an hour shorter or longer, as the rep lives it.
///
/// - `adding(businessSeconds:to:)` returns the *earliest* instant by which that much business
///   time has passed, so adding a full day's worth from an opening lands on the closing time of
///   the same day, not on the next morning.
/// - `businessTime(from:to:)` is antisymmetric and additive, and
///   `businessTime(from: a, to: adding(businessSeconds: s, to: a)) == s` for every `s ≥ 0`.
package struct BusinessCalendar: Sendable, Hashable {
    /// The time zone the working hours and holidays are read in.
    package let timeZone: TimeZone
    /// The daily working window.
    package let hours: WorkingHours
    /// Local dates on which the calendar is closed all day.
    package let holidays: Set<LocalDate>

    package init(timeZone: TimeZone, hours: WorkingHours = .nineToFive, holidays: Set<LocalDate> = []) {
        self.timeZone = timeZone
        self.hours = hours
        self.holidays = holidays
    }

    /// The open window on a local date, or `nil` on a non-working weekday or a holiday.
    package func window(on date: LocalDate) -> DateInterval? {
        guard hours.days.contains(date.weekday), !holidays.contains(date) else { return nil }
        let start = instant(on: date, minute: hours.opensAtMinute)
        let end = instant(on: date, minute: hours.closesAtMinute)
        return end > start ? DateInterval(start: start, end: end) : nil
    }

    /// Whether `instant` falls inside an open window (opening inclusive, closing exclusive).
    package func isOpen(at instant: Date) -> Bool {
        guard let window = window(on: LocalDate(instant, in: timeZone)) else { return false }
        return instant >= window.start && instant < window.end
    }

    /// The first instant at or after `instant` at which the calendar is open.
    package func nextOpening(atOrAfter instant: Date) -> Date {
        var date = LocalDate(instant, in: timeZone)
        for _ in 0..<BusinessCalendar.searchLimit {
            if let window = window(on: date), instant < window.end {
                return max(instant, window.start)
            }
            date = date.adding(days: 1)
        }
        preconditionFailure("no open window within \(BusinessCalendar.searchLimit) days of \(instant)")
    }

    /// The earliest instant `t ≥ start` with `businessTime(from: start, to: t) == seconds`.
    /// Precondition: `seconds` is finite and ≥ 0.
    package func adding(businessSeconds seconds: TimeInterval, to start: Date) -> Date {
        precondition(seconds.isFinite && seconds >= 0, "business time to add must be finite and ≥ 0")
        if seconds == 0 { return start }
        var remaining = seconds
        var date = LocalDate(start, in: timeZone)
        for _ in 0..<BusinessCalendar.searchLimit {
            if let window = window(on: date) {
                let from = max(start, window.start)
                if from < window.end {
                    let available = window.end.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            date = date.adding(days: 1)
        }
        preconditionFailure("adding \(seconds) s of business time ran past \(BusinessCalendar.searchLimit) days")
    }

    /// `hours` business hours after `start` (see ``adding(businessSeconds:to:)``).
    package func adding(businessHours hours: Double, to start: Date) -> Date {
        adding(businessSeconds: hours * 3600, to: start)
    }

    /// `days` business days after `start`: `days` × the length of a working day of business
    /// time, i.e. the same position in the working day `days` working days later (from a
    /// closed time, counted from the next opening).
    package func adding(businessDays days: Int, to start: Date) -> Date {
        precondition(days >= 0, "business days to add must be ≥ 0")
        return adding(businessSeconds: Double(days) * hours.dayLength, to: start)
    }

    /// Business time in seconds between two instants; negative when `end` is before `start`.
    package func businessTime(from start: Date, to end: Date) -> TimeInterval {
        if end < start { return -businessTime(from: end, to: start) }
        var total: TimeInterval = 0
        var date = LocalDate(start, in: timeZone)
        let last = LocalDate(end, in: timeZone)
        while date <= last {
            if let window = window(on: date) {
                let from = max(start, window.start)
                let to = min(end, window.end)
                if to > from { total += to.timeIntervalSince(from) }
            }
            date = date.adding(days: 1)
        }
        return total
    }

    /// Business time between two instants in hours.
    package func businessHours(from start: Date, to end: Date) -> Double {
        businessTime(from: start, to: end) / 3600
    }

    /// The instant of a local clock time on a local date. 24:00 is the next day's midnight.
    /// A local time skipped by a clock change resolves to the first valid instant after it.
    private func instant(on date: LocalDate, minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = minute == 1440 ? date.adding(days: 1) : date
        let m = minute == 1440 ? 0 : minute
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: m / 60, minute: m % 60)
        if let exact = calendar.date(from: components) { return exact }
        let midnight = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
        return midnight.addingTimeInterval(Double(m) * 60)
    }

    /// About ten years: far more than any holiday list can close, so hitting it means a bug.
    static let searchLimit = 3700
}
