import Foundation
import HandoffRules

/// The hand-off flow's calendar measures the analytics' business time, so a review counts the
/// same working hours, holidays and clock changes as the SLA clock that ran the hand-offs.
extension BusinessCalendar: BusinessTimeCalendar {
    /// ``BusinessCalendar/businessTime(from:to:)`` clamped at 0 (the protocol's `end <= start` rule).
    package func businessSeconds(from start: Date, to end: Date) -> TimeInterval {
        max(0, businessTime(from: start, to: end))
    }
}
