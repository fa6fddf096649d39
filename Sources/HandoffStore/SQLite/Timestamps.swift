import Foundation

extension Date {
    /// Milliseconds since 1970-01-01 UTC, rounded down (the store's time column format).
    ///
    /// `Date` holds seconds since 2001 as a `Double`, so a whole millisecond read back can come
    /// out a few hundred picoseconds short; anything within a microsecond of a whole
    /// millisecond counts as that millisecond, so reading and re-writing never drifts.
    var storeMillis: Int64 {
        let millis = timeIntervalSince1970 * 1000
        let nearest = millis.rounded()
        return Int64(abs(millis - nearest) < 1e-3 ? nearest : millis.rounded(.down))
    }

    init(storeMillis: Int64) {
        self.init(timeIntervalSince1970: Double(storeMillis) / 1000)
    }
}

extension Optional where Wrapped == Date {
    var storeMillis: Int64? { map(\.storeMillis) }
}
