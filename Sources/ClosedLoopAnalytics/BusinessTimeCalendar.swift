import Foundation

/// Business time between two instants, as a rep lives it (working hours in the rep's zone).
///
/// The analytics module measures speed-to-contact through this protocol only, so the hand-off
/// flow's own calendar (`Handoff.BusinessCalendar`, with holidays and clock changes) can be
/// plugged in once that branch is merged; until then ``WeekdayBusinessHours`` stands in.
public protocol BusinessTimeCalendar: Sendable {
    /// Business seconds in `[start, end)`; 0 when `end <= start`.
    func businessSeconds(from start: Date, to end: Date) -> TimeInterval
}

/// Fixed daily working hours on chosen weekdays in one time zone, minus whole-day holidays.
///
/// Windows are built from local clock times per local date, so a day with a clock change still
/// opens at `opensAtMinute` and closes at `closesAtMinute` local time.
public struct WeekdayBusinessHours: BusinessTimeCalendar, Hashable {
    public let timeZone: TimeZone
    /// Minutes after local midnight when work starts (default 9:00 = 540).
    public let opensAtMinute: Int
    /// Minutes after local midnight when work stops (default 17:00 = 1020); > `opensAtMinute`, ≤ 1440.
    public let closesAtMinute: Int
    /// Working weekdays, 1 = Sunday … 7 = Saturday (Foundation numbering); default Monday–Friday.
    public let weekdays: Set<Int>
    /// Closed local dates as "YYYY-MM-DD".
    public let holidays: Set<String>

    public init(timeZone: TimeZone, opensAtMinute: Int = 540, closesAtMinute: Int = 1020,
                weekdays: Set<Int> = [2, 3, 4, 5, 6], holidays: Set<String> = []) {
        precondition(0 <= opensAtMinute && opensAtMinute < closesAtMinute && closesAtMinute <= 1440, "working hours must be a non-empty part of a day")
        self.timeZone = timeZone
        self.opensAtMinute = opensAtMinute
        self.closesAtMinute = closesAtMinute
        self.weekdays = weekdays
        self.holidays = holidays
    }

    public func businessSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.startOfDay(for: start)
        var total: TimeInterval = 0
        while day < end {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            let key = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            if weekdays.contains(parts.weekday ?? 0), !holidays.contains(key),
               let open = calendar.date(bySettingHour: opensAtMinute / 60, minute: opensAtMinute % 60, second: 0, of: day) {
                let close = closesAtMinute == 1440
                    ? (calendar.date(byAdding: .day, value: 1, to: day) ?? day)
                    : (calendar.date(bySettingHour: closesAtMinute / 60, minute: closesAtMinute % 60, second: 0, of: day) ?? day)
                let from = max(start, open), to = min(end, close)
                if to > from { total += to.timeIntervalSince(from) }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return total
    }
}

/// Wall-clock time (every second counts): for data without working hours, such as the Olist import.
public struct ElapsedTimeCalendar: BusinessTimeCalendar, Hashable {
    public init() {}
    public func businessSeconds(from start: Date, to end: Date) -> TimeInterval { max(0, end.timeIntervalSince(start)) }
}
