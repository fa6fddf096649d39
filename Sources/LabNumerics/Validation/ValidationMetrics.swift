/// Every validation figure for one set of predicted probabilities against closed-won
/// outcomes: discrimination, probability scores, calibration, goodness of fit and the
/// band table.
public struct ValidationMetrics: Sendable, Equatable {
    /// Leads evaluated.
    public let count: Int
    /// Won leads (outcome 1).
    public let positives: Int
    /// Lost leads (outcome 0).
    public var negatives: Int { count - positives }
    /// positives / count.
    public var prevalence: Double { Double(positives) / Double(count) }

    /// AUC with DeLong SE and 95 % interval.
    public let auc: AreaUnderCurve
    /// Mean log loss in nats, p clipped to [1e−15, 1 − 1e−15].
    public let logLoss: Double
    /// Brier score, mean((p − y)²).
    public let brier: Double
    /// 10 uniform bins [0, 0.1) … [0.9, 1] and the ECE.
    public let reliability: ReliabilityTable
    /// Calibration intercept and slope (with SEs), or why they do not exist — typically
    /// ``MetricsError/calibrationSeparation`` for a model that separates its own training
    /// leads. Kept as a result so the other figures survive it.
    public let calibration: Result<CalibrationRegression, MetricsError>
    /// Hosmer–Lemeshow with 10 groups (df 8).
    public let hosmerLemeshow: HosmerLemeshowTest
    /// 10 bands by descending predicted probability, with lift and cumulative gains.
    public let bands: ScoreBandTable

    /// Expected calibration error over the 10 uniform bins.
    public var expectedCalibrationError: Double { reliability.expectedCalibrationError }

    /// Computes every metric.
    ///
    /// - Parameters:
    ///   - probabilities: predicted P(closed-won), finite and in [0, 1].
    ///   - outcomes: 1 for closed-won, 0 otherwise, one per probability.
    /// - Throws: ``MetricsError``: empty input, length mismatch, an outcome other than 0/1,
    ///   a probability that is NaN/infinite/outside [0, 1] (with its row), a single
    ///   outcome class, fewer than 2 leads in a class, or fewer than 10 leads. Calibration
    ///   regression failures do not throw; they land in ``calibration``.
    public static func evaluate(probabilities: [Double], outcomes: [Double]) throws(MetricsError) -> ValidationMetrics {
        let positives = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        try ScoredOutcomes.requireBothClasses(positives: positives, count: outcomes.count)
        return try ValidationMetrics(probabilities: probabilities, outcomes: outcomes, positives: positives)
    }

    private init(probabilities: [Double], outcomes: [Double], positives: Int) throws(MetricsError) {
        count = probabilities.count
        self.positives = positives
        auc = try AreaUnderCurve(scores: probabilities, outcomes: outcomes)
        logLoss = try ProbabilityScores.logLoss(probabilities: probabilities, outcomes: outcomes)
        brier = try ProbabilityScores.brier(probabilities: probabilities, outcomes: outcomes)
        reliability = try ReliabilityTable(probabilities: probabilities, outcomes: outcomes)
        do throws(MetricsError) {
            calibration = .success(try CalibrationRegression(probabilities: probabilities, outcomes: outcomes))
        } catch {
            calibration = .failure(error)
        }
        hosmerLemeshow = try HosmerLemeshowTest(probabilities: probabilities, outcomes: outcomes)
        bands = try ScoreBandTable(probabilities: probabilities, outcomes: outcomes)
    }
}
