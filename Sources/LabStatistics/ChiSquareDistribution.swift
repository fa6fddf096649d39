/// The chi-square distribution with k degrees of freedom.
package enum ChiSquareDistribution {
    /// The survival function P(X > x) = Q(k/2, x/2), the upper-tail p-value of a
    /// chi-square statistic x.
    ///
    /// Through ``IncompleteGamma/regularizedUpper(a:x:)``, so small p-values keep their
    /// relative precision (about 1e−13 for k up to a few hundred). Returns 1 for x ≤ 0.
    /// - Precondition: `degreesOfFreedom > 0`, x not NaN.
    package static func survival(_ x: Double, degreesOfFreedom: Double) -> Double {
        precondition(degreesOfFreedom > 0, "ChiSquareDistribution: degrees of freedom \(degreesOfFreedom) must be > 0")
        precondition(!x.isNaN, "ChiSquareDistribution: x is NaN")
        if x <= 0 { return 1 }
        return IncompleteGamma.regularizedUpper(a: degreesOfFreedom / 2, x: x / 2)
    }

    /// The cumulative distribution P(X ≤ x) = P(k/2, x/2); 0 for x ≤ 0.
    /// - Precondition: `degreesOfFreedom > 0`, x not NaN.
    package static func cdf(_ x: Double, degreesOfFreedom: Double) -> Double {
        precondition(degreesOfFreedom > 0, "ChiSquareDistribution: degrees of freedom \(degreesOfFreedom) must be > 0")
        precondition(!x.isNaN, "ChiSquareDistribution: x is NaN")
        if x <= 0 { return 0 }
        return IncompleteGamma.regularizedLower(a: degreesOfFreedom / 2, x: x / 2)
    }
}
