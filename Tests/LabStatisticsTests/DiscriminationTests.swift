import Foundation
import LabStatistics
import TestSupport
import Testing

/// The textbook DeLong estimator written out pair by pair, O(n₁ n₀): the independent
/// check on the midrank implementation.
private struct BruteForceDeLong {
    let auc: Double
    let positive: [Double]
    let negative: [Double]

    init(scores: [Double], outcomes: [Double]) {
        let won = zip(scores, outcomes).filter { $0.1 == 1 }.map(\.0)
        let lost = zip(scores, outcomes).filter { $0.1 == 0 }.map(\.0)
        func psi(_ x: Double, _ y: Double) -> Double { x > y ? 1 : (x == y ? 0.5 : 0) }
        positive = won.map { x in lost.reduce(0) { $0 + psi(x, $1) } / Double(lost.count) }
        negative = lost.map { y in won.reduce(0) { $0 + psi($1, y) } / Double(won.count) }
        auc = positive.reduce(0, +) / Double(won.count)
    }

    static func covariance(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        return zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) } / Double(a.count - 1)
    }

    static func aucCovariance(_ a: BruteForceDeLong, _ b: BruteForceDeLong) -> Double {
        covariance(a.positive, b.positive) / Double(a.positive.count)
            + covariance(a.negative, b.negative) / Double(a.negative.count)
    }
}

/// Random scores rounded to `step` (to force ties) with outcomes that depend on them.
private func randomSample(n: Int, step: Double, seed: UInt64) -> (scores: [Double], other: [Double], outcomes: [Double]) {
    var rng = SplitMix64(seed: seed)
    var scores: [Double] = [], other: [Double] = [], outcomes: [Double] = []
    for _ in 0..<n {
        let latent = rng.uniform()
        outcomes.append(rng.bernoulli(0.2 + 0.6 * latent))
        scores.append(((latent * 0.7 + rng.uniform() * 0.3) / step).rounded() * step)
        other.append(((latent * 0.4 + rng.uniform() * 0.6) / step).rounded() * step)
    }
    return (scores, other, outcomes)
}

@Suite("Discrimination: AUC and DeLong")
struct DiscriminationTests {
    @Test(arguments: [(UInt64(1), 0.1), (2, 0.05), (3, 0.001), (4, 0.25)])
    func deLongMatchesBruteForce(seed: UInt64, step: Double) throws {
        let sample = randomSample(n: 60 + Int(seed) * 17, step: step, seed: seed)
        let fast = try AreaUnderCurve(scores: sample.scores, outcomes: sample.outcomes)
        let slow = BruteForceDeLong(scores: sample.scores, outcomes: sample.outcomes)
        #expect(isClose(fast.value, slow.auc, absolute: 1e-15))
        let slowSE = BruteForceDeLong.aucCovariance(slow, slow).squareRoot()
        #expect(isClose(fast.standardError, slowSE, relative: 1e-12), "SE \(fast.standardError) vs \(slowSE)")
        #expect(fast.positives == slow.positive.count && fast.negatives == slow.negative.count)
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func pairedComparisonMatchesBruteForce(seed: UInt64) throws {
        let s = randomSample(n: 150, step: 0.02, seed: seed)
        let comparison = try AUCComparison(firstScores: s.scores, secondScores: s.other, outcomes: s.outcomes)
        let a = BruteForceDeLong(scores: s.scores, outcomes: s.outcomes)
        let b = BruteForceDeLong(scores: s.other, outcomes: s.outcomes)
        let variance =
            BruteForceDeLong.aucCovariance(a, a) + BruteForceDeLong.aucCovariance(b, b)
            - 2 * BruteForceDeLong.aucCovariance(a, b)
        let se = variance.squareRoot()
        let z = (a.auc - b.auc) / se
        let p = erfc(abs(z) / 2.0.squareRoot())  // 2 Φ(−|z|) through Foundation's erfc
        #expect(isClose(comparison.difference, a.auc - b.auc, absolute: 1e-15))
        #expect(isClose(comparison.standardError, se, relative: 1e-12))
        #expect(isClose(comparison.z, z, relative: 1e-11))
        #expect(isClose(comparison.pValue, p, relative: 1e-10))
        #expect(isClose(comparison.confidenceInterval.lower, max(-1, a.auc - b.auc - 1.959963984540054 * se), absolute: 1e-14))
        let correlation = try #require(comparison.correlation)
        #expect(correlation > 0 && correlation < 1)  // both scores follow the same latent
    }

    @Test func identicalScoresCompareAsEqual() throws {
        let s = randomSample(n: 80, step: 0.1, seed: 5)
        let comparison = try AUCComparison(firstScores: s.scores, secondScores: s.scores, outcomes: s.outcomes)
        #expect(comparison.difference == 0 && comparison.standardError == 0)
        #expect(comparison.z == 0 && comparison.pValue == 1)
        #expect(comparison.confidenceInterval == ConfidenceInterval(lower: 0, upper: 0))
    }

    @Test func knownSmallExample() throws {
        // Won scores {0.8, 0.4, 0.4}, lost {0.4, 0.2}: pairs won>lost: 0.8>both (2), each
        // 0.4 ties 0.4 (½) and beats 0.2 (1) → 2 + 1.5 + 1.5 = 5 of 6.
        let auc = try AreaUnderCurve.value(scores: [0.8, 0.4, 0.4, 0.4, 0.2], outcomes: [1, 1, 1, 0, 0])
        #expect(auc == 5.0 / 6.0)
        // One lead per class is enough for the value, not for a standard error.
        #expect(try AreaUnderCurve.value(scores: [0.1, 0.9], outcomes: [0, 1]) == 1)
        #expect(
            metricsError { try AreaUnderCurve(scores: [0.1, 0.9, 0.5], outcomes: [0, 1, 0]) }
                == .tooFewInClass(positives: 1, negatives: 2, minimum: 2))
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func aucInvariantUnderMonotoneTransforms(seed: UInt64) throws {
        let s = randomSample(n: 300, step: 0.05, seed: seed)
        let probabilities = s.scores.map { min(max($0, 0.01), 0.99) }  // ties survive the clamp
        let base = try AreaUnderCurve(scores: probabilities, outcomes: s.outcomes)
        let transforms: [(Double) -> Double] = [
            { log($0 / (1 - $0)) },  // log-odds
            { 600 + 20 / log(2) * log($0 / (1 - $0)) },  // scorecard points
            { exp(5 * $0) },
            { $0 * $0 * $0 },
        ]
        for transform in transforms {
            let moved = try AreaUnderCurve(scores: probabilities.map(transform), outcomes: s.outcomes)
            #expect(moved == base)  // exactly: only the order (with ties) enters
        }
        // A score that ignores the order gives a different AUC: the check can fail.
        let shuffled = try AreaUnderCurve(scores: probabilities.map { sin(100 * $0) }, outcomes: s.outcomes)
        #expect(shuffled.value != base.value)
    }

    @Test(arguments: [UInt64(31), 32])
    func reversedScoreGivesComplement(seed: UInt64) throws {
        let s = randomSample(n: 200, step: 0.05, seed: seed)
        let forward = try AreaUnderCurve(scores: s.scores, outcomes: s.outcomes)
        let backward = try AreaUnderCurve(scores: s.scores.map { -$0 }, outcomes: s.outcomes)
        #expect(isClose(backward.value, 1 - forward.value, absolute: 1e-15))
        #expect(isClose(backward.standardError, forward.standardError, relative: 1e-12))
        #expect(forward.value > 0.6)  // the sample is informative, so this is not 0.5 = 1 − 0.5
    }

    @Test func confidenceIntervalIsClippedToUnitInterval() throws {
        // Nearly separated: AUC close to 1, so AUC + 1.96 SE exceeds 1 before clipping.
        let scores: [Double] = [0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
        let outcomes: [Double] = [0, 0, 0, 1, 0, 1, 1, 1, 1, 1]
        let auc = try AreaUnderCurve(scores: scores, outcomes: outcomes)
        #expect(auc.value == 23.0 / 24.0)
        #expect(auc.value + 1.959963984540054 * auc.standardError > 1)
        #expect(auc.confidenceInterval.upper == 1)
    }

    @Test func errorsAreTyped() {
        #expect(metricsError { try AreaUnderCurve(scores: [], outcomes: []) } == .emptyInput)
        #expect(
            metricsError { try AreaUnderCurve(scores: [0.1, 0.2], outcomes: [0, 1, 1]) }
                == .lengthMismatch(scores: 2, outcomes: 3))
        #expect(
            metricsError { try AreaUnderCurve(scores: [0.1, 0.2, 0.3], outcomes: [1, 1, 1]) }
                == .singleOutcomeClass(outcome: 1, count: 3))
        #expect(
            metricsError { try AreaUnderCurve(scores: [0.1, .infinity], outcomes: [0, 1]) }
                == .nonFiniteScore(index: 1, value: .infinity))
        #expect(
            metricsError { try AreaUnderCurve(scores: [0.1, 0.2], outcomes: [0, 2]) }
                == .invalidOutcome(index: 1, value: 2))
        guard
            case .nonFiniteScore(index: 0, let value)? = metricsError({
                try AUCComparison(firstScores: [0.1, 0.2, 0.3, 0.4], secondScores: [.nan, 0.2, 0.3, 0.4], outcomes: [0, 1, 0, 1])
            })
        else {
            Issue.record("NaN score should be reported at row 0")
            return
        }
        #expect(value.isNaN)
    }
}
