#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x).
///
/// Numerical Recipes' scheme: the power series for x < a + 1, Lentz's continued fraction
/// otherwise, each to machine precision, so whichever of P and Q is small is computed
/// directly and keeps its relative precision. Both share the prefactor
/// exp(−x + a ln x − ln Γ(a)), whose rounding grows with a ln x; for a and x up to a few
/// hundred the result is accurate to about 1e−13 relative.
package enum IncompleteGamma {
    /// The regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), in [0, 1].
    /// - Precondition: a > 0 and x ≥ 0 (x = +∞ gives 1).
    package static func regularizedLower(a: Double, x: Double) -> Double {
        checkArguments(a: a, x: x)
        if x == 0 { return 0 }
        if x == .infinity { return 1 }
        return x < a + 1 ? series(a: a, x: x) : 1 - continuedFraction(a: a, x: x)
    }

    /// The regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), in [0, 1].
    /// - Precondition: a > 0 and x ≥ 0 (x = +∞ gives 0).
    package static func regularizedUpper(a: Double, x: Double) -> Double {
        checkArguments(a: a, x: x)
        if x == 0 { return 1 }
        if x == .infinity { return 0 }
        return x < a + 1 ? 1 - series(a: a, x: x) : continuedFraction(a: a, x: x)
    }

    private static func checkArguments(a: Double, x: Double) {
        precondition(a > 0 && a.isFinite, "IncompleteGamma: shape a = \(a) must be finite and > 0")
        precondition(x >= 0, "IncompleteGamma: x = \(x) must be ≥ 0")
    }

    /// exp(−x + a ln x − ln Γ(a)), the factor both expansions share.
    private static func prefactor(a: Double, x: Double) -> Double {
        exp(-x + a * log(x) - lgamma(a))
    }

    /// P(a, x) by the series Σ xⁿ / (a (a+1) … (a+n)); converges fast for x < a + 1.
    private static func series(a: Double, x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * Double.ulpOfOne { break }
        }
        return min(1, sum * prefactor(a: a, x: x))
    }

    /// Q(a, x) by the continued fraction 1/(x+1−a− 1·(1−a)/(x+3−a− …)), modified Lentz.
    private static func continuedFraction(a: Double, x: Double) -> Double {
        let tiny = Double.leastNormalMagnitude / Double.ulpOfOne
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < Double.ulpOfOne { break }
        }
        return min(1, h * prefactor(a: a, x: x))
    }
}
