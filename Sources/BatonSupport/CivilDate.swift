/// Proleptic Gregorian calendar arithmetic on days counted from 1970-01-01 (day 0), the one
/// implementation behind the lab's time column, the generators and the importers.
///
/// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms" (`days_from_civil`,
/// `civil_from_days`): exact for every `Int` day whose year fits in an `Int`, negative days
/// (before 1970) included.
package enum CivilDate {
    /// Days since 1970-01-01 of a date; `month` 1...12, `day` 1...31 (not checked: see ``isValid(year:month:day:)``).
    @inlinable
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `(year, month, day)` of a day counted from 1970-01-01.
    @inlinable
    package static func civil(day: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = day + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth)
    }

    /// True in leap years of the Gregorian calendar.
    package static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days of `month` (1...12) in `year`.
    package static func daysIn(month: Int, year: Int) -> Int {
        [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// True when `year-month-day` names a real date.
    package static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }

    /// `YYYY-MM-DD` of a day counted from 1970-01-01.
    package static func isoDate(day: Int) -> String {
        let (y, m, d) = civil(day: day)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    package static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
