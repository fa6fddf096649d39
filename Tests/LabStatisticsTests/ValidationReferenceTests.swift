import Foundation
import LabStatistics
import TestSupport
import Testing

/// Metrics of the reference unpenalised fit on the synthetic 10k leads, against
/// `../shared/reference/synthetic/reference_10k.json` (`metrics_in_sample_unpenalised`,
/// numpy/scipy).
///
/// Tolerance 1e−9 relative: the metrics are deterministic functions of β, but β is stored
/// to ~16 digits and Xβ is summed in a different order here than in numpy's BLAS, which moves
/// each p by ~1e−16 relative; 1e−9 leaves ample room for that and still catches any change of
/// definition (a different tie rule, grouping or bin edge moves these figures by ≥ 1e−6).
@Suite("Validation metrics against the synthetic 10k reference")
struct ValidationReferenceTests {
    static let relative = 1e-9

    @Test func inSampleMetricsMatchReference() throws {
        let data = try SyntheticReferenceScores.load()
        #expect(data.probabilities.count == 10_000)
        let m = try ValidationMetrics.evaluate(probabilities: data.probabilities, outcomes: data.outcomes)
        let expected = data.metrics
        let auc = try #require(expected["auc"] as? Double)
        let logLoss = try #require(expected["log_loss_mean"] as? Double)
        let brier = try #require(expected["brier"] as? Double)
        let hl = try #require(expected["hosmer_lemeshow_10"] as? Double)
        let hlP = try #require(expected["hosmer_lemeshow_10_pvalue"] as? Double)

        #expect(m.count == 10_000)
        #expect(m.positives == 1148)  // won_rate 0.1148 in the reference
        #expect(isClose(m.auc.value, auc, relative: Self.relative), "AUC \(m.auc.value) vs \(auc)")
        #expect(isClose(m.logLoss, logLoss, relative: Self.relative), "log loss \(m.logLoss) vs \(logLoss)")
        #expect(isClose(m.brier, brier, relative: Self.relative), "Brier \(m.brier) vs \(brier)")
        #expect(isClose(m.hosmerLemeshow.statistic, hl, relative: Self.relative), "HL \(m.hosmerLemeshow.statistic) vs \(hl)")
        #expect(isClose(m.hosmerLemeshow.pValue, hlP, relative: Self.relative), "HL p \(m.hosmerLemeshow.pValue) vs \(hlP)")
        #expect(m.hosmerLemeshow.degreesOfFreedom == 8)
        #expect(m.hosmerLemeshow.groups.map(\.count) == Array(repeating: 1000, count: 10))
    }

    @Test func uniformCalibrationTableMatchesReference() throws {
        let data = try SyntheticReferenceScores.load()
        let table = try ReliabilityTable(probabilities: data.probabilities, outcomes: data.outcomes)
        let calibration = try #require(data.metrics["calibration_uniform10"] as? [String: Any])
        let predicted = try #require(calibration["mean_predicted"] as? [Double])
        let observed = try #require(calibration["observed_rate"] as? [Double])
        #expect(table.bins.count == 10 && predicted.count == 10 && observed.count == 10)
        for (k, bin) in table.bins.enumerated() {
            let mean = try #require(bin.meanPredicted)
            let rate = try #require(bin.observedRate)
            #expect(isClose(mean, predicted[k], relative: Self.relative), "bin \(k) mean \(mean) vs \(predicted[k])")
            #expect(isClose(rate, observed[k], relative: Self.relative), "bin \(k) rate \(rate) vs \(observed[k])")
        }
        // Bin counts and ECE recomputed with numpy from the same p (floor-free edges
        // [k/10, (k+1)/10)): 6990 1377 579 310 217 155 107 98 79 88; ECE 0.006873472575663755.
        #expect(table.bins.map(\.count) == [6990, 1377, 579, 310, 217, 155, 107, 98, 79, 88])
        #expect(isClose(table.expectedCalibrationError, 0.006873472575663755, relative: Self.relative))
    }

    /// In-sample, an unpenalised maximum-likelihood fit with an intercept satisfies the
    /// calibration regression's score equations at (0, 1) exactly, so intercept 0 and slope 1
    /// are an analytic reference (limited by β's 16 digits and its 3e−13 gradient).
    /// The SEs come from numpy: Newton to convergence, then √diag((XᵀWX)⁻¹) on (1, logit p).
    @Test func calibrationRegressionIsIdealInSample() throws {
        let data = try SyntheticReferenceScores.load()
        let fit = try CalibrationRegression(probabilities: data.probabilities, outcomes: data.outcomes)
        #expect(abs(fit.intercept) < 1e-9, "intercept \(fit.intercept)")
        #expect(abs(fit.slope - 1) < 1e-9, "slope \(fit.slope)")
        #expect(isClose(fit.interceptStandardError, 0.05573069181115382, relative: 1e-7))
        #expect(isClose(fit.slopeStandardError, 0.027065356636437197, relative: 1e-7))
        // The fit's log-likelihood at (0, 1) is the model's own: −2454.8460027566803.
        #expect(isClose(fit.logLikelihood, -2454.8460027566803, relative: 1e-12))
        #expect(fit.iterations < 10)
    }

    /// Band counts, positives and cumulative gains from numpy on the same p:
    /// `np.array_split(np.argsort(-p, kind="stable"), 10)`.
    @Test func bandTableMatchesNumpy() throws {
        let data = try SyntheticReferenceScores.load()
        let table = try ScoreBandTable(probabilities: data.probabilities, outcomes: data.outcomes)
        #expect(table.bands.map(\.count) == Array(repeating: 1000, count: 10))
        #expect(table.bands.map(\.positives) == [567, 222, 132, 93, 43, 34, 24, 19, 10, 4])
        #expect(isClose(table.bands[0].meanPredicted, 0.5651955281119734, relative: Self.relative))
        #expect(isClose(table.bands[9].meanPredicted, 0.0052644220263756356, relative: Self.relative))
        #expect(isClose(table.bands[0].lift, 0.567 / 0.1148, relative: 1e-14))
        #expect(isClose(table.bands[2].cumulativeGain, 0.8022648083623694, relative: 1e-14))
    }

    /// DeLong SE on the 10k file from a numpy/scipy midrank implementation
    /// (`scipy.stats.rankdata`, variances with ddof = 1): 0.005648228897692829.
    @Test func deLongStandardErrorOn10k() throws {
        let data = try SyntheticReferenceScores.load()
        let auc = try AreaUnderCurve(scores: data.probabilities, outcomes: data.outcomes)
        #expect(isClose(auc.standardError, 0.005648228897692829, relative: 1e-9))
        #expect(auc.confidenceInterval.contains(auc.value))
        #expect(isClose(auc.confidenceInterval.width, 2 * 1.959963984540054 * auc.standardError, relative: 1e-12))
    }
}
