import Foundation

/// A half-open time range `[start, end)` for reports (a week, a month).
package struct ReportPeriod: Sendable, Hashable, Codable {
    /// First instant included.
    package var start: Date
    /// First instant after the period.
    package var end: Date

    /// - Precondition: `start <= end`.
    package init(start: Date, end: Date) {
        precondition(start <= end, "a report period must not end before it starts")
        self.start = start
        self.end = end
    }

    /// True when `date` lies in `[start, end)`.
    package func contains(_ date: Date) -> Bool { date >= start && date < end }
}
