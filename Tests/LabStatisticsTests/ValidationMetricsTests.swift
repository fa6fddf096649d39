import Foundation
import LabStatistics
import TestSupport
import Testing

private func sample(n: Int, seed: UInt64) -> (p: [Double], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    var p: [Double] = [], y: [Double] = []
    for _ in 0..<n {
        // A fifth of the scores are rounded to force ties across band edges.
        var value = rng.uniform() * rng.uniform()
        if rng.uniform() < 0.2 { value = (value * 20).rounded() / 20 }
        p.append(value)
        y.append(rng.bernoulli(value))
    }
    return (p, y)
}

@Suite("Validation metrics: scores, bands, Wilson, aggregate, errors")
struct ValidationMetricsTests {
    @Test func logLossAndBrierByHand() throws {
        let p = [0.9, 0.2, 0.6, 0.5]
        let y: [Double] = [1, 0, 0, 1]
        let logLoss = -(log(0.9) + log(0.8) + log(0.4) + log(0.5)) / 4
        let brier = (0.01 + 0.04 + 0.36 + 0.25) / 4
        #expect(isClose(try ProbabilityScores.logLoss(probabilities: p, outcomes: y), logLoss, relative: 1e-15))
        #expect(isClose(try ProbabilityScores.brier(probabilities: p, outcomes: y), brier, relative: 1e-15))
    }

    @Test func logLossClipsCertainWrongPredictions() throws {
        // p = 0 for a win costs −ln(1e−15) and p = 1 for a loss −ln(1 − fl(1 − 1e−15)) =
        // −ln(9.992e−16) (1 − 1e−15 is not exact in binary), not +∞. numpy with scikit-learn's
        // clip, `-mean(y log(clip(p)) + (1-y) log(1-clip(p)))`, gives 17.26958809681289.
        let value = try ProbabilityScores.logLoss(probabilities: [0, 1, 1, 0], outcomes: [1, 0, 1, 0])
        #expect(value.isFinite)
        #expect(isClose(value, 17.26958809681289, relative: 1e-14))
        #expect(try ProbabilityScores.brier(probabilities: [0, 1], outcomes: [1, 0]) == 1)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func bandsAddUp(seed: UInt64) throws {
        let n = 1000 + Int(seed) * 37  // not a multiple of 10
        let s = sample(n: n, seed: seed)
        let table = try ScoreBandTable(probabilities: s.p, outcomes: s.y)
        let positives = Int(s.y.reduce(0, +))
        #expect(table.bands.count == 10)
        #expect(table.bands.map(\.count).reduce(0, +) == n)
        #expect(table.bands.map(\.positives).reduce(0, +) == positives)
        #expect(table.bands.map(\.count) == (0..<10).map { n / 10 + ($0 < n % 10 ? 1 : 0) })
        #expect(table.bands.last?.cumulativeGain == 1)
        #expect(table.bands.last?.cumulativeShare == 1)
        for (a, b) in zip(table.bands, table.bands.dropFirst()) {
            #expect(a.minimumPredicted >= b.maximumPredicted)  // band 1 holds the top scores
            #expect(a.cumulativeGain <= b.cumulativeGain)
        }
        for band in table.bands {
            #expect(isClose(band.lift, band.observedRate / (Double(positives) / Double(n)), relative: 1e-14))
            #expect(band.observedRateInterval.contains(band.observedRate))
        }
        // Weighted lift averages to 1.
        let weighted = table.bands.reduce(0.0) { $0 + $1.lift * Double($1.count) } / Double(n)
        #expect(isClose(weighted, 1, relative: 1e-12))
        // An informative score puts more wins in band 1 than in band 10.
        #expect(table.bands[0].lift > 1.5 && table.bands[9].lift < 0.5)
    }

    @Test func wilsonMatchesScipy() {
        // scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson").
        let cases: [(Int, Int, Double, Double)] = [
            (0, 10, 0.0, 0.27753279986288926),
            (3, 10, 0.10779126740630102, 0.6032218525388546),
            (10, 10, 0.7224672001371109, 1.0),
            (1, 1000, 0.00017654637062607809, 0.0056425585979579355),
            (57, 100, 0.47215389549212305, 0.6626670147588988),
        ]
        for (k, n, lower, upper) in cases {
            let interval = ConfidenceInterval.wilson(successes: k, trials: n)
            #expect(isClose(interval.lower, lower, absolute: 1e-15, relative: 1e-12), "\(k)/\(n) lower \(interval.lower)")
            #expect(isClose(interval.upper, upper, absolute: 1e-15, relative: 1e-12), "\(k)/\(n) upper \(interval.upper)")
        }
    }

    @Test func wilsonContainsRateAndStaysInUnitInterval() {
        for n in 1...60 {
            for k in 0...n {
                let interval = ConfidenceInterval.wilson(successes: k, trials: n)
                let rate = Double(k) / Double(n)
                #expect(interval.contains(rate), "\(k)/\(n)")
                #expect(interval.lower >= 0 && interval.upper <= 1)
                #expect(interval.width > 0)
                // Symmetry: the interval for n − k mirrors the one for k.
                let mirror = ConfidenceInterval.wilson(successes: n - k, trials: n)
                #expect(isClose(mirror.lower, 1 - interval.upper, absolute: 1e-15))
            }
        }
        // A wider z gives a wider interval.
        #expect(
            ConfidenceInterval.wilson(successes: 5, trials: 20, z: 2.5758293035489).width
                > ConfidenceInterval.wilson(successes: 5, trials: 20).width)
    }

    @Test func aggregateAgreesWithItsParts() throws {
        let s = sample(n: 2000, seed: 77)
        let m = try ValidationMetrics.evaluate(probabilities: s.p, outcomes: s.y)
        #expect(m.count == 2000 && m.positives + m.negatives == 2000)
        #expect(m.auc == (try AreaUnderCurve(scores: s.p, outcomes: s.y)))
        #expect(m.logLoss == (try ProbabilityScores.logLoss(probabilities: s.p, outcomes: s.y)))
        #expect(m.brier == (try ProbabilityScores.brier(probabilities: s.p, outcomes: s.y)))
        #expect(m.reliability == (try ReliabilityTable(probabilities: s.p, outcomes: s.y)))
        #expect(m.hosmerLemeshow == (try HosmerLemeshowTest(probabilities: s.p, outcomes: s.y)))
        #expect(m.bands == (try ScoreBandTable(probabilities: s.p, outcomes: s.y)))
        let calibration = try m.calibration.get()
        #expect(abs(calibration.slope - 1) < 4 * calibration.slopeStandardError)
        #expect(m.expectedCalibrationError < 0.05)
    }

    @Test func separatingModelKeepsOtherMetrics() throws {
        let p = (0..<20).map { Double($0) / 20 + 0.01 }
        let y = (0..<20).map { $0 < 12 ? 0.0 : 1.0 }
        let m = try ValidationMetrics.evaluate(probabilities: p, outcomes: y)
        #expect(m.auc.value == 1)
        #expect(m.calibration == .failure(.calibrationSeparation))
    }

    @Test func errorCasesAreTyped() {
        #expect(metricsError { try ValidationMetrics.evaluate(probabilities: [], outcomes: []) } == .emptyInput)
        #expect(
            metricsError { try ValidationMetrics.evaluate(probabilities: [0.1, 0.2, 0.3], outcomes: [0, 1]) }
                == .lengthMismatch(scores: 3, outcomes: 2))
        let ten = (0..<10).map { Double($0) / 10 }
        #expect(
            metricsError { try ValidationMetrics.evaluate(probabilities: ten, outcomes: Array(repeating: 0, count: 10)) }
                == .singleOutcomeClass(outcome: 0, count: 10))
        #expect(
            metricsError { try ValidationMetrics.evaluate(probabilities: ten, outcomes: Array(repeating: 1, count: 10)) }
                == .singleOutcomeClass(outcome: 1, count: 10))
        var withNaN = ten
        withNaN[4] = .nan
        let outcomes = (0..<10).map { Double($0 % 2) }
        guard
            case .invalidProbability(index: 4, let value)? = metricsError({
                try ValidationMetrics.evaluate(probabilities: withNaN, outcomes: outcomes)
            })
        else {
            Issue.record("NaN probability should be reported at row 4")
            return
        }
        #expect(value.isNaN)
        var outOfRange = ten
        outOfRange[7] = 1.5
        #expect(
            metricsError { try ValidationMetrics.evaluate(probabilities: outOfRange, outcomes: outcomes) }
                == .invalidProbability(index: 7, value: 1.5))
        var badOutcome = outcomes
        badOutcome[2] = 0.5
        #expect(
            metricsError { try ValidationMetrics.evaluate(probabilities: ten, outcomes: badOutcome) }
                == .invalidOutcome(index: 2, value: 0.5))
        #expect(
            metricsError { try ValidationMetrics.evaluate(probabilities: Array(ten.prefix(6)), outcomes: [0, 1, 0, 1, 0, 1]) }
                == .tooFewRows(count: 6, minimum: 10, purpose: "10 Hosmer–Lemeshow groups"))
        #expect(
            metricsError { try ValidationMetrics.evaluate(probabilities: ten, outcomes: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }
                == .tooFewInClass(positives: 1, negatives: 9, minimum: 2))
    }

    @Test func errorDescriptionsSayWhatToDo() {
        let errors: [MetricsError] = [
            .emptyInput, .lengthMismatch(scores: 3, outcomes: 2), .invalidOutcome(index: 2, value: 0.5),
            .invalidProbability(index: 4, value: .nan), .singleOutcomeClass(outcome: 0, count: 10),
            .tooFewInClass(positives: 1, negatives: 9, minimum: 2), .calibrationSeparation,
        ]
        for error in errors {
            #expect(error.description.contains(";"), "\(error) should say what to do after a semicolon")
        }
        #expect(MetricsError.lengthMismatch(scores: 3, outcomes: 2).description.contains("3 scores but 2 outcomes"))
        #expect(MetricsError.invalidProbability(index: 4, value: .nan).description.contains("row 4"))
    }
}
