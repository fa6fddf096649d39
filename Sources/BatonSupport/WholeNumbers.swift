/// The magnitude beyond which Baton refuses a number read from a lead (a CSV cell, a field, an
/// event): no count, size or amount in lead scoring comes near 10¹⁵, every whole number below it
/// is exact in a Double, and with the weight file's bounded coefficients it keeps every score,
/// points total and log-odds finite.
package let largestLeadNumber = 1e15

extension Double {
    /// This number rounded by `rule`, as an `Int` when it is finite and fits; nil otherwise.
    /// The total replacement for `Int(x.rounded())`, which traps on NaN, infinity and ±9.3e18.
    @inlinable package func roundedInt(_ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int? {
        Int(exactly: rounded(rule))
    }

    /// This number rounded by `rule` and clamped into `range` (NaN gives the lower bound).
    /// Inlinable: per-row callers (binning a million probabilities) pay no call for it.
    @inlinable package func clampedInt(_ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero, in range: ClosedRange<Int>) -> Int {
        guard !isNaN else { return range.lowerBound }
        let r = rounded(rule)
        if r <= Double(range.lowerBound) { return range.lowerBound }
        if r >= Double(range.upperBound) { return range.upperBound }
        return Int(exactly: r) ?? range.upperBound
    }

    /// The number rounded to a whole one (`12`), or as written when it is beyond `Int` (`1e+300`).
    package var wholeText: String { roundedInt().map(String.init) ?? description }

    /// The number as people write it: a whole number up to 2⁵³ (where every integer is exact)
    /// without a fraction (`12`, `-3`), anything else in Swift's shortest round-trip spelling
    /// (`0.25`, `1e+16`, `inf`).
    package var plainText: String {
        if abs(self) <= 0x1p53, let whole = roundedInt(.towardZero), Double(whole) == self { return String(whole) }
        return description
    }
}
