import BatonSupport
import Dispatch

/// Every validation figure for one set of predicted probabilities against closed-won
/// outcomes: discrimination, probability scores, calibration, goodness of fit and the
/// band table.
package struct ValidationMetrics: Sendable, Equatable {
    /// Leads evaluated.
    package let count: Int
    /// Won leads (outcome 1).
    package let positives: Int
    /// Lost leads (outcome 0).
    package var negatives: Int { count - positives }
    /// positives / count.
    package var prevalence: Double { Double(positives) / Double(count) }

    /// AUC with DeLong SE and 95 % interval.
    package let auc: AreaUnderCurve
    /// Mean log loss in nats, p clipped to [1e−15, 1 − 1e−15].
    package let logLoss: Double
    /// Brier score, mean((p − y)²).
    package let brier: Double
    /// 10 uniform bins [0, 0.1) … [0.9, 1] and the ECE.
    package let reliability: ReliabilityTable
    /// Calibration intercept and slope (with SEs), or why they do not exist — typically
    /// ``MetricsError/calibrationSeparation`` for a model that separates its own training
    /// leads. Kept as a result so the other figures survive it.
    package let calibration: Result<CalibrationRegression, MetricsError>
    /// Hosmer–Lemeshow with 10 groups (df 8).
    package let hosmerLemeshow: HosmerLemeshowTest
    /// 10 bands by descending predicted probability, with lift and cumulative gains.
    package let bands: ScoreBandTable

    /// Expected calibration error over the 10 uniform bins.
    package var expectedCalibrationError: Double { reliability.expectedCalibrationError }

    /// Computes every metric.
    ///
    /// - Parameters:
    ///   - probabilities: predicted P(closed-won), finite and in [0, 1].
    ///   - outcomes: 1 for closed-won, 0 otherwise, one per probability.
    /// - Throws: ``MetricsError``: empty input, length mismatch, an outcome other than 0/1,
    ///   a probability that is NaN/infinite/outside [0, 1] (with its row), a single
    ///   outcome class, fewer than 2 leads in a class, or fewer than 10 leads. Calibration
    ///   regression failures do not throw; they land in ``calibration``.
    package static func evaluate(probabilities: [Double], outcomes: [Double]) throws(MetricsError) -> ValidationMetrics {
        let positives = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        try ScoredOutcomes.requireBothClasses(positives: positives, count: outcomes.count)
        return try ValidationMetrics(probabilities: probabilities, outcomes: outcomes, positives: positives)
    }

    /// Below this many leads the two halves run one after the other: a thread hand-off
    /// would cost more than it saves.
    static let concurrencyThreshold = 50_000

    private init(probabilities: [Double], outcomes: [Double], positives: Int) throws(MetricsError) {
        // The input is checked once, above; the parts below take it as checked. Two
        // independent halves of similar cost: the rank-based metrics, which share one sort,
        // and the pointwise ones, dominated by the calibration regression's exp/log passes.
        // Each half runs the same arithmetic in the same order as alone, so the figures do
        // not depend on whether or how the halves overlap.
        let parts = Parts()
        let rankHalf: @Sendable () -> Void = {
            let ranked = RankedOutcomes(scores: probabilities, outcomes: outcomes, positives: positives)
            parts.auc = Result { () throws(MetricsError) in try AreaUnderCurve(ranked: ranked, outcomes: outcomes) }
            let rows = probabilities.count
            parts.hosmerLemeshow =
                rows >= 10
                ? .success(HosmerLemeshowTest(ranked: ranked))
                : .failure(.tooFewRows(count: rows, minimum: 10, purpose: "10 Hosmer–Lemeshow groups"))
            parts.bands =
                rows >= 10
                ? .success(ScoreBandTable(ranked: ranked))
                : .failure(.tooFewRows(count: rows, minimum: 10, purpose: "10 score bands"))
        }
        let pointwiseHalf: @Sendable () -> Void = {
            parts.logLoss = ProbabilityScores.uncheckedLogLoss(probabilities: probabilities, outcomes: outcomes)
            parts.brier = ProbabilityScores.uncheckedBrier(probabilities: probabilities, outcomes: outcomes)
            parts.reliability = ReliabilityTable(checkedProbabilities: probabilities, outcomes: outcomes)
            parts.calibration = Result { () throws(MetricsError) in
                try CalibrationRegression(checkedProbabilities: probabilities, outcomes: outcomes)
            }
        }
        if probabilities.count < Self.concurrencyThreshold || onlineProcessorCount() < 2 {
            rankHalf()
            pointwiseHalf()
        } else {
            DispatchQueue.concurrentPerform(iterations: 2) { $0 == 0 ? rankHalf() : pointwiseHalf() }
        }

        count = probabilities.count
        self.positives = positives
        // Errors surface in the order the metrics were computed one by one before.
        auc = try parts.auc.get()
        logLoss = parts.logLoss
        brier = parts.brier
        guard let reliability = parts.reliability else { preconditionFailure("ValidationMetrics: pointwise half did not run") }
        self.reliability = reliability
        calibration = parts.calibration
        hosmerLemeshow = try parts.hosmerLemeshow.get()
        bands = try parts.bands.get()
    }

    /// Results of the two halves; each field is written by exactly one half before
    /// `concurrentPerform` returns, and read only after.
    private final class Parts: @unchecked Sendable {
        var auc: Result<AreaUnderCurve, MetricsError> = .failure(.emptyInput)
        var hosmerLemeshow: Result<HosmerLemeshowTest, MetricsError> = .failure(.emptyInput)
        var bands: Result<ScoreBandTable, MetricsError> = .failure(.emptyInput)
        var logLoss = Double.nan
        var brier = Double.nan
        var reliability: ReliabilityTable?
        var calibration: Result<CalibrationRegression, MetricsError> = .failure(.emptyInput)
    }
}
