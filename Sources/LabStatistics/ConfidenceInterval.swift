/// A two-sided confidence interval [lower, upper].
package struct ConfidenceInterval: Sendable, Equatable, Hashable {
    /// The lower bound.
    package let lower: Double
    /// The upper bound.
    package let upper: Double

    /// Creates an interval.
    /// - Precondition: `lower <= upper`.
    package init(lower: Double, upper: Double) {
        precondition(lower <= upper, "ConfidenceInterval: lower \(lower) > upper \(upper)")
        self.lower = lower
        self.upper = upper
    }

    /// `estimate ± z · standardError`, optionally clipped to `bounds` (e.g. [0, 1] for an AUC).
    package init(
        estimate: Double, standardError: Double, z: Double = NormalDistribution.z95,
        clippedTo bounds: ClosedRange<Double>? = nil
    ) {
        var lower = estimate - z * standardError
        var upper = estimate + z * standardError
        if let bounds {
            lower = min(max(lower, bounds.lowerBound), bounds.upperBound)
            upper = min(max(upper, bounds.lowerBound), bounds.upperBound)
        }
        self.init(lower: lower, upper: upper)
    }

    /// Whether `value` lies in the closed interval.
    package func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// `upper − lower`.
    package var width: Double { upper - lower }
}
