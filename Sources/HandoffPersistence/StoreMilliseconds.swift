import BatonSupport
import Foundation

extension Date {
    /// Milliseconds since 1970-01-01 UTC, rounded down: the time column format of every backend
    /// (SQLite INTEGER, PostgreSQL bigint), so both store and read back the same instant.
    ///
    /// `Date` holds seconds since 2001 as a `Double`, and this value is a product of two
    /// roundings; rather than trust `floor` on it, anything within a microsecond of a whole
    /// millisecond counts as that millisecond, so reading and re-writing a stored time never
    /// drifts by one (the tests check the round trip over a wide range).
    package var storeMillis: Int64 {
        let millis = timeIntervalSince1970 * 1000
        let nearest = millis.rounded()
        // Clamped, never trapping: the date parsers bound years to 1970–9999, far inside Int64.
        return Int64((abs(millis - nearest) < 1e-3 ? nearest : millis).clampedInt(.down, in: Int.min...Int.max))
    }

    package init(storeMillis: Int64) {
        self.init(timeIntervalSince1970: Double(storeMillis) / 1000)
    }
}

extension Optional where Wrapped == Date {
    package var storeMillis: Int64? { map(\.storeMillis) }
}
