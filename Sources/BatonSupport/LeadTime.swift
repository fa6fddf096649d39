/// Parsing of the spec's `time` column: ISO 8601 dates and date-times, to UTC seconds.
///
/// Accepted: `YYYY-MM-DD` (midnight UTC), and `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]` followed by
/// nothing (read as UTC), `Z`, or an offset `±HH:MM` / `±HHMM` / `±HH`. An offset is applied, so
/// `2025-06-30T22:00:00-04:00` is `2025-07-01T02:00:00Z` and falls in the third quarter: quarters
/// are calendar quarters in UTC.
package enum LeadTime {
    /// Seconds since 1970-01-01T00:00:00Z (fractions of a second dropped), or nil when `text`
    /// is not one of the accepted forms or names an impossible date or time.
    package static func seconds(_ text: String) -> Int? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            i += count
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year)
        else { return nil }
        let date = CivilDate.days(year: year, month: month, day: day) * 86_400
        if i == b.count { return date }
        guard b[i] == 84 || b[i] == 32 else { return nil }  // 'T' or ' '
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        var second = 0
        if expect(58) {
            guard let s = digits(2), s < 60 else { return nil }
            second = s
            if expect(46) || expect(44) {  // '.' or ','
                let start = i
                while i < b.count, b[i] >= 48 && b[i] <= 57 { i += 1 }
                guard i > start else { return nil }
            }
        }
        var offset = 0
        if i < b.count {
            if b[i] == 90 {  // 'Z'
                i += 1
            } else if b[i] == 43 || b[i] == 45 {  // '+' '-'
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let oh = digits(2), oh <= 23 else { return nil }
                var om = 0
                if i < b.count {
                    _ = expect(58)
                    guard let m = digits(2), m < 60 else { return nil }
                    om = m
                }
                offset = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        return date + hour * 3600 + minute * 60 + second - offset
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` date (no time part), or nil.
    package static func day(_ text: String) -> Int? {
        guard text.utf8.count == 10, let s = seconds(text) else { return nil }
        return s / 86_400
    }
}
