import BatonSupport

/// A calendar quarter (UTC): Q1 = January–March, …, Q4 = October–December.
package struct CalendarQuarter: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    package let year: Int
    /// 1…4.
    package let quarter: Int

    /// - Precondition: `1 ≤ quarter ≤ 4`.
    package init(year: Int, quarter: Int) {
        precondition((1...4).contains(quarter), "CalendarQuarter: quarter \(quarter) must be 1…4")
        self.year = year
        self.quarter = quarter
    }

    /// The quarter that holds a day counted from 1970-01-01.
    package init(containingDay day: Int) {
        let (year, month, _) = CivilDate.civil(day: day)
        self.init(year: year, quarter: (month - 1) / 3 + 1)
    }

    /// First day (days since 1970-01-01).
    package var startDay: Int { CivilDate.days(year: year, month: 3 * quarter - 2, day: 1) }
    /// The day after the last day: the next quarter's first day.
    package var endDay: Int { next.startDay }
    /// Days in the quarter (90, 91 or 92).
    package var dayCount: Int { endDay - startDay }

    package var next: CalendarQuarter {
        quarter == 4 ? CalendarQuarter(year: year + 1, quarter: 1) : CalendarQuarter(year: year, quarter: quarter + 1)
    }

    package var previous: CalendarQuarter {
        quarter == 1 ? CalendarQuarter(year: year - 1, quarter: 4) : CalendarQuarter(year: year, quarter: quarter - 1)
    }

    /// `2025Q2`.
    package var description: String { "\(year)Q\(quarter)" }

    /// `2025-04-01 … 2025-06-30`.
    package var span: String { "\(CivilDate.isoDate(day: startDay)) … \(CivilDate.isoDate(day: endDay - 1))" }

    package static func < (a: CalendarQuarter, b: CalendarQuarter) -> Bool {
        (a.year, a.quarter) < (b.year, b.quarter)
    }

    /// The last quarter whose leads have all matured by `asOfDay`: the latest quarter Q with
    /// `Q.endDay + outcomeWindowDays ≤ asOfDay` (a lead created on Q's last day has had its full
    /// window by the morning of as-of).
    package static func lastMatured(asOfDay: Int, outcomeWindowDays: Int) -> CalendarQuarter {
        var quarter = CalendarQuarter(containingDay: asOfDay - outcomeWindowDays)
        while quarter.endDay + outcomeWindowDays > asOfDay { quarter = quarter.previous }
        return quarter
    }
}
