#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Σ ln(fᵢ) for factors fᵢ in [1, 2], taken as the log of running products of at most 512
/// factors: one logarithm per 512 terms instead of one per term. A product stays below 2⁵¹²
/// (no overflow) and its relative error is under 512 ulp, so each logarithm is off by less than
/// 1e-13 absolute, less than a sum of n rounded logs. Used where ln(1 + e^{−|η|}) is summed over
/// every row of a pass (the fit's Newton passes, the calibration regression); the caller takes
/// each completed product's logarithm into its own sum where it falls.
///
/// ```swift
/// var logs = RunningLogProduct()
/// for t in terms { if let folded = logs.multiply(by: 1 + t) { sum -= folded } }
/// sum -= logs.flush()
/// ```
@frozen
public struct RunningLogProduct {
    @usableFromInline var product = 1.0
    @usableFromInline var factors = 0

    @inlinable public init() {}

    /// Multiplies in `factor` (in [1, 2]); the logarithm of the product when it has 512 factors
    /// (the product starts again at 1), nil otherwise.
    @inlinable @inline(__always)
    public mutating func multiply(by factor: Double) -> Double? {
        product *= factor
        factors &+= 1
        guard factors == 512 else { return nil }
        defer {
            product = 1
            factors = 0
        }
        return log(product)
    }

    /// The logarithm of the factors since the last completed product; starts again at 1.
    @inlinable
    public mutating func flush() -> Double {
        defer {
            product = 1
            factors = 0
        }
        return log(product)
    }
}
