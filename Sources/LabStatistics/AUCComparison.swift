/// DeLong's test for the difference between two correlated AUCs: two models scored on
/// the same leads (champion vs challenger).
///
/// difference = AUC₁ − AUC₂; Var = S₁₁ + S₂₂ − 2 S₁₂ with S the DeLong covariance
/// (S10/n₁ + S01/n₀); z = difference / SE; p = 2 (1 − Φ(|z|)), two-sided; the interval is
/// difference ± 1.96 SE clipped to [−1, 1]. O(n log n) (Sun & Xu 2014).
package struct AUCComparison: Sendable, Equatable {
    /// AUC of the first scores, with its own DeLong SE and interval.
    package let first: AreaUnderCurve
    /// AUC of the second scores, with its own DeLong SE and interval.
    package let second: AreaUnderCurve
    /// first.value − second.value.
    package let difference: Double
    /// DeLong standard error of the difference (0 when both scores rank the leads alike).
    package let standardError: Double
    /// Correlation of the two AUC estimates, in [−1, 1]; nil when either variance is 0.
    package let correlation: Double?
    /// difference / standardError; 0 when both are 0.
    package let z: Double
    /// Two-sided p-value, 2 · Φ(−|z|); 1 when the difference is 0.
    package let pValue: Double
    /// difference ± z₀.₉₇₅ · standardError, clipped to [−1, 1].
    package let confidenceInterval: ConfidenceInterval

    /// Compares two score vectors for the same leads and outcomes.
    /// - Throws: ``MetricsError`` as ``AreaUnderCurve/init(scores:outcomes:)`` for either
    ///   score vector; ``MetricsError/degenerateComparison(difference:)`` when the AUCs
    ///   differ yet the variance of the difference is 0.
    package init(firstScores: [Double], secondScores: [Double], outcomes: [Double]) throws(MetricsError) {
        let a = try AreaUnderCurve.components(scores: firstScores, outcomes: outcomes)
        let b = try AreaUnderCurve.components(scores: secondScores, outcomes: outcomes)
        first = try AreaUnderCurve(a)
        second = try AreaUnderCurve(b)
        difference = a.auc - b.auc
        let varianceA = DeLongComponents.aucCovariance(a, a)
        let varianceB = DeLongComponents.aucCovariance(b, b)
        let covariance = DeLongComponents.aucCovariance(a, b)
        // Cancellation can leave a tiny negative variance when the scores agree.
        let variance = max(0, varianceA + varianceB - 2 * covariance)
        standardError = variance.squareRoot()
        correlation =
            varianceA > 0 && varianceB > 0
            ? min(1, max(-1, covariance / (varianceA * varianceB).squareRoot())) : nil
        if standardError > 0 {
            z = difference / standardError
            pValue = min(1, 2 * NormalDistribution.cdf(-abs(z)))
        } else if difference == 0 {
            z = 0
            pValue = 1
        } else {
            throw .degenerateComparison(difference: difference)
        }
        confidenceInterval = ConfidenceInterval(
            estimate: difference, standardError: standardError,
            clippedTo: -1...1)
    }
}
