import Foundation

/// Business time between two instants, as a rep lives it (working hours in the rep's zone).
///
/// The analytics module measures speed-to-contact through this protocol only. The hand-off
/// flow's own `Handoff.BusinessCalendar` (time zone, working hours, holidays, clock changes)
/// conforms to it (see `BusinessCalendar+BusinessTimeCalendar.swift`), and is what reviews use:
/// the reps' calendars from a playbook, or 09:00–17:00 Monday–Friday without holidays by default.
package protocol BusinessTimeCalendar: Sendable {
    /// Business seconds in `[start, end)`; 0 when `end <= start`.
    func businessSeconds(from start: Date, to end: Date) -> TimeInterval
}

/// Wall-clock time (every second counts): for data without working hours, such as the Olist import.
package struct ElapsedTimeCalendar: BusinessTimeCalendar, Hashable {
    package init() {}
    package func businessSeconds(from start: Date, to end: Date) -> TimeInterval { max(0, end.timeIntervalSince(start)) }
}
