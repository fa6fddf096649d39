import Foundation

/// A half-open time range `[start, end)` for reports (a week, a month).
public struct ReportPeriod: Sendable, Hashable, Codable {
    /// First instant included.
    public var start: Date
    /// First instant after the period.
    public var end: Date

    /// - Precondition: `start <= end`.
    public init(start: Date, end: Date) {
        precondition(start <= end, "a report period must not end before it starts")
        self.start = start
        self.end = end
    }

    /// True when `date` lies in `[start, end)`.
    public func contains(_ date: Date) -> Bool { date >= start && date < end }
}
