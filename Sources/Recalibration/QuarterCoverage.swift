import BatonSupport

/// How much of the test quarter the data covers: the days between the data's first and last
/// lead (inclusive) that fall in the quarter.
///
/// A sample that stops in mid-quarter (Olist's 2018Q2 holds only April and May) has fewer weeks
/// than the quarter's 13; weekly volumes divide by the covered weeks, or they would be understated.
package struct QuarterCoverage: Sendable, Equatable {
    package let quarter: CalendarQuarter
    /// First covered day (days since 1970-01-01): max(quarter start, day of the data's first lead).
    package let firstDay: Int
    /// The day after the last covered day: min(quarter end, day after the data's last lead).
    package let endDay: Int

    /// - Parameters:
    ///   - firstDataDay, lastDataDay: days (since 1970-01-01) of the data's earliest and latest lead.
    /// - Precondition: the data reaches into the quarter (`firstDataDay < quarter.endDay` and
    ///   `lastDataDay ≥ quarter.startDay`).
    package init(quarter: CalendarQuarter, firstDataDay: Int, lastDataDay: Int) {
        precondition(
            firstDataDay <= lastDataDay && firstDataDay < quarter.endDay && lastDataDay >= quarter.startDay,
            "QuarterCoverage: the data must reach into \(quarter)")
        self.quarter = quarter
        firstDay = max(quarter.startDay, firstDataDay)
        endDay = min(quarter.endDay, lastDataDay + 1)
    }

    /// Covered days, 1 … the quarter's 90–92.
    package var days: Int { endDay - firstDay }
    /// Covered days / 7: the divisor of every weekly volume.
    package var weeks: Double { Double(days) / 7 }
    /// True when the data starts after the quarter's first day or stops before its last.
    package var isPartial: Bool { days < quarter.dayCount }
    /// `2018-04-01 … 2018-05-31`.
    package var span: String { "\(CivilDate.isoDate(day: firstDay)) … \(CivilDate.isoDate(day: endDay - 1))" }
    /// `the data covers 61 of 91 days of 2018Q2`.
    package var statement: String { "the data covers \(days) of \(quarter.dayCount) days of \(quarter)" }
}
