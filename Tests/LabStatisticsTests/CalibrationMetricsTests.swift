import Foundation
import LabStatistics
import TestSupport
import Testing

/// Probabilities drawn uniformly in [lo, hi] and outcomes drawn from `truth(p)`.
private func draws(
    n: Int, seed: UInt64, lo: Double = 0.01, hi: Double = 0.99,
    truth: (Double) -> Double = { $0 }
) -> (p: [Double], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    var p: [Double] = [], y: [Double] = []
    for _ in 0..<n {
        let value = lo + (hi - lo) * rng.uniform()
        p.append(value)
        y.append(rng.bernoulli(truth(value)))
    }
    return (p, y)
}

@Suite("Calibration: reliability table, calibration regression, Hosmer–Lemeshow")
struct CalibrationMetricsTests {
    @Test func binEdgesFollowHalfOpenIntervals() throws {
        let p: [Double] = [0, 0.1, 0.0999999999999, 0.5, 0.9, 0.95, 1.0, 0.3, 0.7]
        let y: [Double] = [0, 1, 0, 1, 1, 0, 1, 0, 1]
        let table = try ReliabilityTable(probabilities: p, outcomes: y)
        #expect(table.bins.map(\.count) == [2, 1, 0, 1, 0, 1, 0, 1, 0, 3])
        #expect(table.bins[2].meanPredicted == nil && table.bins[2].observedRate == nil)
        #expect(table.bins[9].positives == 2)
        #expect(table.bins[9].lowerBound == 0.9 && table.bins[9].upperBound == 1)
        // ECE by hand: bin0 |0 − 0.05|·2, bin1 |1 − 0.1|, bin3 |0 − 0.3|, bin5 |1 − 0.5|,
        // bin7 |1 − 0.7|, bin9 |2/3 − 0.95|·3, all over 9.
        let expected = (2 * 0.0499999999999500 + 0.9 + 0.3 + 0.5 + 0.3 + 3 * abs(2.0 / 3 - 0.95)) / 9
        #expect(isClose(table.expectedCalibrationError, expected, relative: 1e-12))
    }

    @Test func perfectlyCalibratedDrawsPassHosmerLemeshow() throws {
        for seed: UInt64 in 1...5 {
            let d = draws(n: 5000, seed: seed)
            let hl = try HosmerLemeshowTest(probabilities: d.p, outcomes: d.y)
            // 26.12 is the 0.999 quantile of χ²₈: five seeded draws should all stay below.
            #expect(hl.statistic < 26.12, "seed \(seed): HL \(hl.statistic)")
            #expect(hl.groups.map(\.count).reduce(0, +) == 5000)
            // Groups are ascending in p and do not overlap.
            for (a, b) in zip(hl.groups, hl.groups.dropFirst()) { #expect(a.maximumPredicted <= b.minimumPredicted) }
        }
        // The same test catches a miscalibrated model (true rate p², scores claim p).
        let bad = draws(n: 5000, seed: 9, truth: { $0 * $0 })
        let hl = try HosmerLemeshowTest(probabilities: bad.p, outcomes: bad.y)
        #expect(hl.statistic > 100 && hl.pValue < 1e-10)
    }

    @Test func hosmerLemeshowGroupingFollowsArraySplit() throws {
        // 23 rows, 10 groups → sizes 3,3,3,2,…,2 (numpy.array_split); ties keep row order.
        let p = (0..<23).map { Double($0 % 7) / 10 + 0.05 }
        let y = (0..<23).map { Double($0 % 2) }
        let hl = try HosmerLemeshowTest(probabilities: p, outcomes: y)
        #expect(hl.groups.map(\.count) == [3, 3, 3, 2, 2, 2, 2, 2, 2, 2])
        // Hand check on the formula: Σ (O − E)² / (E (1 − E/n)) over the groups.
        let direct = hl.groups.reduce(0.0) { sum, g in
            let o = Double(g.observedPositives), e = g.expectedPositives, n = Double(g.count)
            return sum + (o - e) * (o - e) / (e * (1 - e / n))
        }
        #expect(isClose(hl.statistic, direct, relative: 1e-12))
        #expect(isClose(hl.pValue, ChiSquareDistribution.survival(direct, degreesOfFreedom: 8), relative: 1e-12))
        // Stable order: p = 0.05 on rows 0, 7, 14, 21; group 1 takes the first three
        // (y 0, 1, 0), row 21 (y 1) opens group 2 with rows 1 and 8 (p 0.15; y 1, 0).
        #expect(hl.groups[0].observedPositives == 1)
        #expect(hl.groups[1].observedPositives == 2)
    }

    @Test func hosmerLemeshowStaysFiniteForCertainPredictions() throws {
        // p = 0 for a won lead: without the clip E = 0 and the statistic divides by zero.
        let p: [Double] = Array(repeating: 0, count: 10) + (0..<10).map { Double($0) / 10 + 0.05 }
        let y: [Double] = [1] + Array(repeating: 0, count: 9) + (0..<10).map { Double($0 % 2) }
        let hl = try HosmerLemeshowTest(probabilities: p, outcomes: y)
        #expect(hl.statistic.isFinite && hl.statistic > 1e10)
        #expect(hl.pValue == 0)
    }

    @Test func calibrationRegressionRecoversKnownDistortion() throws {
        // Outcomes from logit⁻¹(0.5 + 0.6·logit p): slope 0.6, intercept 0.5 in truth.
        func logit(_ p: Double) -> Double { log(p / (1 - p)) }
        let d = draws(n: 20_000, seed: 42, lo: 0.02, hi: 0.98, truth: { 1 / (1 + exp(-(0.5 + 0.6 * logit($0)))) })
        let fit = try CalibrationRegression(probabilities: d.p, outcomes: d.y)
        #expect(abs(fit.slope - 0.6) < 4 * fit.slopeStandardError, "slope \(fit.slope) ± \(fit.slopeStandardError)")
        #expect(abs(fit.intercept - 0.5) < 4 * fit.interceptStandardError, "intercept \(fit.intercept)")
        #expect(fit.slopeStandardError > 0.005 && fit.slopeStandardError < 0.05)
        // Well-calibrated draws: slope near 1.
        let good = draws(n: 20_000, seed: 43)
        let ideal = try CalibrationRegression(probabilities: good.p, outcomes: good.y)
        #expect(abs(ideal.slope - 1) < 4 * ideal.slopeStandardError)
        #expect(abs(ideal.intercept) < 4 * ideal.interceptStandardError)
    }

    @Test func calibrationRegressionAtStationaryPoint() throws {
        // At the fit, the score equations Σ(y − q) = 0 and Σ(y − q)·logit p = 0 hold.
        let d = draws(n: 3000, seed: 7, truth: { 0.8 * $0 + 0.05 })
        let fit = try CalibrationRegression(probabilities: d.p, outcomes: d.y)
        var g0 = 0.0, g1 = 0.0
        for (p, y) in zip(d.p, d.y) {
            let x = log(p / (1 - p))
            let q = 1 / (1 + exp(-(fit.intercept + fit.slope * x)))
            g0 += y - q
            g1 += (y - q) * x
        }
        #expect(abs(g0) < 1e-8 && abs(g1) < 1e-8, "gradient (\(g0), \(g1))")
    }

    @Test func calibrationRegressionRejectsUnidentifiedInput() {
        #expect(
            metricsError { try CalibrationRegression(probabilities: [0.3, 0.3, 0.3, 0.3], outcomes: [0, 1, 0, 1]) }
                == .constantPredictions(value: 0.3))
        // Complete and quasi-complete separation (a tie at the boundary) and reversed order.
        #expect(
            metricsError { try CalibrationRegression(probabilities: [0.1, 0.2, 0.6, 0.9], outcomes: [0, 0, 1, 1]) }
                == .calibrationSeparation)
        #expect(
            metricsError { try CalibrationRegression(probabilities: [0.1, 0.5, 0.5, 0.9], outcomes: [0, 0, 1, 1]) }
                == .calibrationSeparation)
        #expect(
            metricsError { try CalibrationRegression(probabilities: [0.9, 0.8, 0.2, 0.1], outcomes: [0, 0, 1, 1]) }
                == .calibrationSeparation)
        #expect(
            metricsError { try CalibrationRegression(probabilities: [0.1, 0.2], outcomes: [0, 0]) }
                == .singleOutcomeClass(outcome: 0, count: 2))
        // Overlap by one lead is enough for a finite fit, even with p exactly 0 and 1.
        #expect(metricsError { try CalibrationRegression(probabilities: [0, 0.2, 0.6, 0.4, 1], outcomes: [0, 0, 0, 1, 1]) } == nil)
    }
}
