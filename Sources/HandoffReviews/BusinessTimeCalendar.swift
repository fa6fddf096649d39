import Foundation

/// Business time between two instants, as a rep lives it (working hours in the rep's zone).
///
/// The analytics module measures speed-to-contact through this protocol only. The hand-off
/// rules' own `BusinessCalendar` (module HandoffRules) (time zone, working hours, holidays, clock changes)
/// conforms to it (see `BusinessCalendar+BusinessTimeCalendar.swift`), and is what reviews use:
/// the reps' calendars from a playbook, or 09:00–17:00 Monday–Friday without holidays by default.
package protocol BusinessTimeCalendar: Sendable {
    /// Business seconds in `[start, end)`; 0 when `end <= start`.
    func businessSeconds(from start: Date, to end: Date) -> TimeInterval
}
