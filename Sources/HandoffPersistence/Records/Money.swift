/// An amount of money in integer minor units of an ISO 4217 currency (cents for USD/EUR).
///
/// Amounts are never binary floating point: 0.1 + 0.2 is not 0.3 in `Double`, and revenue
/// attribution sums thousands of amounts. The store keeps `minorUnits` as a 64-bit integer and
/// `currency` as three upper-case letters; converting to major units (÷ 10^exponent) is the
/// caller's job, because the exponent depends on the currency (JPY 0, USD 2, BHD 3).
package struct Money: Sendable, Hashable, Codable {
    /// Amount in minor units, e.g. 1234567 for USD 12 345.67.
    package var minorUnits: Int64
    /// ISO 4217 code, three upper-case ASCII letters ("EUR").
    package var currency: String

    package init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// True when `currency` is three upper-case ASCII letters.
    package var hasValidCurrency: Bool {
        currency.utf8.count == 3 && currency.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }
}
