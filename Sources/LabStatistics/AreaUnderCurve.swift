/// The area under the ROC curve with its DeLong standard error and 95 % interval.
///
/// AUC = P(score of a random won lead > score of a random lost lead), ties counting ½
/// (the Mann–Whitney statistic / (n₁ n₀)), computed from one sort in O(n log n).
/// The standard error is DeLong, DeLong & Clarke-Pearson (1988) in the fast midrank
/// form of Sun & Xu (2014); the interval is AUC ± 1.96 SE clipped to [0, 1].
/// Scores may be any finite numbers (probabilities, log-odds, points): only their order
/// matters, so any strictly increasing transform leaves every field unchanged.
package struct AreaUnderCurve: Sendable, Equatable {
    /// The AUC, in [0, 1]; 0.5 is chance.
    package let value: Double
    /// DeLong standard error, √(S10/n₁ + S01/n₀).
    package let standardError: Double
    /// value ± z₀.₉₇₅ · standardError, clipped to [0, 1].
    package let confidenceInterval: ConfidenceInterval
    /// Won leads, n₁.
    package let positives: Int
    /// Lost leads, n₀.
    package let negatives: Int

    /// Computes the AUC and its DeLong standard error.
    /// - Throws: ``MetricsError`` for empty or mismatched input, outcomes other than 0/1,
    ///   non-finite scores, a single outcome class, or fewer than 2 leads in a class
    ///   (the variance needs two).
    package init(scores: [Double], outcomes: [Double]) throws(MetricsError) {
        let components = try Self.components(scores: scores, outcomes: outcomes)
        try self.init(components)
    }

    /// From scores ranked once for several metrics; `outcomes` in row order.
    init(ranked: RankedOutcomes, outcomes: [Double]) throws(MetricsError) {
        try self.init(DeLongComponents(ranked, outcomes: outcomes))
    }

    init(_ components: DeLongComponents) throws(MetricsError) {
        let positives = components.positive.count
        let negatives = components.negative.count
        guard positives >= 2 && negatives >= 2 else {
            throw .tooFewInClass(positives: positives, negatives: negatives, minimum: 2)
        }
        let variance = DeLongComponents.aucCovariance(components, components)
        self.value = components.auc
        self.standardError = max(0, variance).squareRoot()
        self.confidenceInterval = ConfidenceInterval(
            estimate: components.auc, standardError: standardError,
            clippedTo: 0...1)
        self.positives = positives
        self.negatives = negatives
    }

    /// The AUC alone (no standard error), for one won and one lost lead upwards.
    /// - Throws: as ``init(scores:outcomes:)``, except that one lead per class suffices.
    package static func value(scores: [Double], outcomes: [Double]) throws(MetricsError) -> Double {
        try components(scores: scores, outcomes: outcomes).auc
    }

    static func components(scores: [Double], outcomes: [Double]) throws(MetricsError) -> DeLongComponents {
        let positives = try ScoredOutcomes.checkOutcomes(outcomes, scoreCount: scores.count)
        try ScoredOutcomes.checkScores(scores)
        try ScoredOutcomes.requireBothClasses(positives: positives, count: outcomes.count)
        return DeLongComponents(scores: scores, outcomes: outcomes)
    }
}
