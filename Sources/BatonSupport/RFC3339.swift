/// Strict RFC 3339 instants (RFC 3339 §5.6, `date-time = full-date "T" full-time`), the one form
/// every event time, `occurred_at` and `close_date` is written in:
///
///     2026-03-02T14:05:00Z    2026-03-02T14:05:00.123+02:00    (and, where allowed) 2026-03-02
///
/// Strict where a lenient parser silently moves the instant: the day must exist in its month
/// (`2026-02-30` is refused, never March 2), the year lies in ``years`` (a seven-digit year is
/// refused, never wrapped), every field has exactly its digits, the offset is `Z` or `±hh:mm`
/// (§5.6 `time-offset`; `T`/`Z` may be lower case, §5.6 note), and there is no leap second
/// (`:60`: POSIX time has no place for it). https://www.rfc-editor.org/rfc/rfc3339#section-5.6
package enum RFC3339 {
    /// The years accepted: no lead or event of Baton predates the Unix epoch, and four digits end at 9999.
    package static let years = 1970...9999

    /// Seconds since 1970-01-01T00:00:00Z of `text`, or nil when it is not a strict RFC 3339
    /// date-time (or, with `dateOnlyAllowed`, a `full-date`, read as midnight UTC).
    package static func secondsSince1970(_ text: String, dateOnlyAllowed: Bool = false) -> Double? {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var value = 0
            for k in at..<(at + count) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                value = value * 10 + Int(b[k] - 0x30)
            }
            return value
        }
        func byte(_ at: Int, _ expected: UInt8) -> Bool { at < b.count && b[at] == expected }
        guard let year = digits(0, 4), byte(4, 0x2D), let month = digits(5, 2), byte(7, 0x2D), let day = digits(8, 2),
            years.contains(year), (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let midnight = Double(CivilDate.days(year: year, month: month, day: day) * 86_400)
        if b.count == 10 { return dateOnlyAllowed ? midnight : nil }
        guard byte(10, 0x54) || byte(10, 0x74), let hour = digits(11, 2), byte(13, 0x3A), let minute = digits(14, 2), byte(16, 0x3A),
            let second = digits(17, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        var at = 19
        var fraction = 0.0
        if byte(at, 0x2E) {
            let start = at + 1
            at = start
            while at < b.count, b[at] >= 0x30, b[at] <= 0x39 { at += 1 }
            guard at > start, at - start <= 9, let value = Double("0." + String(decoding: b[start..<at], as: UTF8.self)) else { return nil }
            fraction = value
        }
        let offset: Int
        if at + 1 == b.count, byte(at, 0x5A) || byte(at, 0x7A) {
            offset = 0
        } else if at + 6 == b.count, byte(at, 0x2B) || byte(at, 0x2D), let h = digits(at + 1, 2), byte(at + 3, 0x3A),
            let m = digits(at + 4, 2), h < 24, m < 60
        {
            offset = (b[at] == 0x2D ? -1 : 1) * (h * 3600 + m * 60)
        } else {
            return nil
        }
        return midnight + Double(hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// The instant `secondsSince1970` written in UTC, the one spelling Baton writes everywhere
    /// (events, API answers, listings): `2026-03-02T14:05:00Z`, with `.123` milliseconds only when
    /// they are not zero. Time below the millisecond is dropped (rounded towards the past, so an
    /// instant never moves into the next second), except that a value a rounding error short of
    /// a whole millisecond is that millisecond: binary floating point holds a stored `.123` as
    /// `.12299999…` (the error of `ms / 1000 * 1000` is a few units in the last place, 0.0002 ms
    /// today, 0.03 ms in year 9999). Instants beyond 0000…9999 are clamped to them.
    package static func text(secondsSince1970 seconds: Double) -> String {
        let x = seconds * 1000
        let nearest = x.rounded()
        let whole = nearest > x && nearest - x <= max(0.001, 8 * x.ulp) ? nearest : x.rounded(.down)
        // 253402300799999 ms is 9999-12-31T23:59:59.999Z; -62167219200000 ms is 0000-01-01T00:00:00Z.
        let ms = whole.clampedInt(in: -62_167_219_200_000...253_402_300_799_999)
        let (dayNumber, msOfDay) = (ms.floorDivided(by: 86_400_000), ms.floorModulo(86_400_000))
        let date = CivilDate.isoDate(day: dayNumber)
        let (h, m, s, fraction) = (msOfDay / 3_600_000, msOfDay / 60_000 % 60, msOfDay / 1000 % 60, msOfDay % 1000)
        let time = "\(CivilDate.pad(h, 2)):\(CivilDate.pad(m, 2)):\(CivilDate.pad(s, 2))"
        return fraction == 0 ? "\(date)T\(time)Z" : "\(date)T\(time).\(CivilDate.pad(fraction, 3))Z"
    }
}

extension Int {
    /// ⌊self / divisor⌋ for a positive divisor (Swift's `/` rounds towards zero).
    fileprivate func floorDivided(by divisor: Int) -> Int {
        self >= 0 ? self / divisor : -((-self + divisor - 1) / divisor)
    }

    /// self − divisor·⌊self / divisor⌋, in 0..<divisor for a positive divisor.
    fileprivate func floorModulo(_ divisor: Int) -> Int {
        let r = self % divisor
        return r < 0 ? r + divisor : r
    }
}
