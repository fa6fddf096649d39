#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution N(0, 1): cumulative distribution and quantile.
package enum NormalDistribution {
    /// The two-sided 95 % critical value, Φ⁻¹(0.975).
    package static let z95 = 1.959963984540054

    /// The density φ(x) = exp(−x²/2) / √(2π).
    package static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// The cumulative distribution Φ(x) = P(Z ≤ x) = erfc(−x/√2) / 2.
    ///
    /// Computed through `erfc`, so the lower tail keeps its relative precision
    /// (Φ(−30) ≈ 4.9e−198 to ~1e−15, rather than 1 − Φ(30) = 0). Φ(±∞) = 0 / 1; NaN stays NaN.
    package static func cdf(_ x: Double) -> Double {
        guard x.isFinite else { return x.isNaN ? x : (x > 0 ? 1 : 0) }
        // Rounding t = −x/√2 to a double perturbs erfc(t) by ~2t² ulps (1e−13 at x = −30);
        // recover the rounding error d of t (double-double 1/√2 and an FMA) and apply the
        // first-order correction erfc(t + d) ≈ erfc(t) − d · 2/√π · e^(−t²).
        let t = -x * inverseSqrt2High
        let d = (-t).addingProduct(-x, inverseSqrt2High) + (-x) * inverseSqrt2Low  // fused: exact residual
        return 0.5 * (erfc(t) - d * twoOverSqrtPi * exp(-t * t))
    }

    private static let inverseSqrt2High = 0.7071067811865476
    private static let inverseSqrt2Low = -4.8336466567264565e-17
    private static let twoOverSqrtPi = 1.1283791670955126

    /// The survival function 1 − Φ(x) = Φ(−x), accurate in the upper tail.
    package static func survival(_ x: Double) -> Double {
        cdf(-x)
    }

    /// The quantile Φ⁻¹(p): the x with Φ(x) = p.
    ///
    /// Acklam's rational approximation (relative error < 1.2e−9) refined by one Halley
    /// step on the `erfc`-based ``cdf(_:)``, which brings it to within a few ulps.
    /// The refinement always runs in the lower tail (Φ⁻¹(p) = −Φ⁻¹(1 − p) for p > ½;
    /// 1 − p is exact there), where Φ keeps its relative precision.
    /// Returns −∞ for p = 0 and +∞ for p = 1.
    /// - Precondition: 0 ≤ p ≤ 1.
    package static func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "NormalDistribution.quantile: p = \(p) is not in [0, 1]")
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p > 0.5 { return -lowerQuantile(1 - p) }
        return lowerQuantile(p)
    }

    /// Φ⁻¹(p) for 0 < p ≤ ½.
    private static func lowerQuantile(_ p: Double) -> Double {
        var x = acklam(p)
        // One Halley step: e = Φ(x) − p, u = e / φ(x).
        let e = cdf(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(0.5 * x * x)
        x -= u / (1 + 0.5 * x * u)
        return x
    }

    /// Acklam's approximation to Φ⁻¹(p), 0 < p ≤ ½.
    private static func acklam(_ p: Double) -> Double {
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [
            7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00,
        ]
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            let numerator = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            let denominator = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
            return numerator / denominator
        }
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let denominator = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return numerator / denominator
    }
}
