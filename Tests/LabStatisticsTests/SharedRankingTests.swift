import TestSupport
import Testing

@testable import LabStatistics

/// The rank-based metrics share one ascending sort (bands walk it from the top, tie groups
/// kept in row order); these check them against the definitions computed the slow way, on
/// scores with heavy ties that straddle group and band edges.
@Suite struct SharedRankingTests {
    /// Few distinct probabilities (like a one-hot model's) plus some continuous ones.
    static func tiedSample(n: Int, seed: UInt64) -> (p: [Double], y: [Double]) {
        var random = SplitMix64(seed: seed)
        var p: [Double] = [], y: [Double] = []
        for _ in 0..<n {
            let value = random.uniform() < 0.7 ? Double(random.next() % 13 + 1) / 15 : random.uniform()
            p.append(value)
            y.append(random.bernoulli(value))
        }
        return (p, y)
    }

    static func comparatorOrder(_ scores: [Double], descending: Bool) -> [Int] {
        (0..<scores.count).sorted { i, j in
            let a = scores[i], b = scores[j]
            if a != b { return descending ? a > b : a < b }
            return i < j
        }
    }

    @Test(arguments: [UInt64(5), 6])
    func bandsEqualDescendingStableDefinition(seed: UInt64) throws {
        let s = Self.tiedSample(n: 4_321, seed: seed)  // above the radix threshold, not a multiple of 10
        let table = try ScoreBandTable(probabilities: s.p, outcomes: s.y)
        let order = Self.comparatorOrder(s.p, descending: true)
        var start = 0
        for (band, size) in zip(table.bands, ScoredOutcomes.splitSizes(count: s.p.count, groups: 10)) {
            let rows = order[start..<(start + size)]
            start += size
            var sum = 0.0
            for row in rows { sum += s.p[row] }
            #expect(band.count == size)
            #expect(band.positives == rows.filter { s.y[$0] == 1 }.count)
            #expect(band.meanPredicted == sum / Double(size))
            #expect(band.maximumPredicted == s.p[rows.first ?? 0])
            #expect(band.minimumPredicted == s.p[rows.last ?? 0])
        }
    }

    @Test func hosmerLemeshowGroupsEqualAscendingStableDefinition() throws {
        let s = Self.tiedSample(n: 3_007, seed: 7)
        let test = try HosmerLemeshowTest(probabilities: s.p, outcomes: s.y)
        let order = Self.comparatorOrder(s.p, descending: false)
        var start = 0
        for (group, size) in zip(test.groups, ScoredOutcomes.splitSizes(count: s.p.count, groups: 10)) {
            let rows = order[start..<(start + size)]
            start += size
            var expected = 0.0
            for row in rows { expected += s.p[row] }
            #expect(group.count == size)
            #expect(group.observedPositives == rows.filter { s.y[$0] == 1 }.count)
            #expect(group.expectedPositives == expected)
            #expect(group.minimumPredicted == s.p[rows.first ?? 0])
            #expect(group.maximumPredicted == s.p[rows.last ?? 0])
        }
    }

    @Test func aucEqualsPairCount() throws {
        let s = Self.tiedSample(n: 2_500, seed: 8)
        var pairs = 0.0
        var won = 0, lost = 0
        for i in s.p.indices where s.y[i] == 1 {
            won += 1
            for j in s.p.indices where s.y[j] == 0 {
                pairs += s.p[i] > s.p[j] ? 1 : s.p[i] == s.p[j] ? 0.5 : 0
            }
        }
        lost = s.p.count - won
        let auc = try AreaUnderCurve(scores: s.p, outcomes: s.y)
        #expect(auc.value == pairs / (Double(won) * Double(lost)))
    }

    /// Large enough for the two halves to run concurrently: the aggregate must equal each
    /// metric computed on its own, bit for bit.
    @Test func concurrentAggregateEqualsParts() throws {
        let n = ValidationMetrics.concurrencyThreshold + 1_234
        let s = Self.tiedSample(n: n, seed: 9)
        let m = try ValidationMetrics.evaluate(probabilities: s.p, outcomes: s.y)
        #expect(m.count == n)
        #expect(m.auc == (try AreaUnderCurve(scores: s.p, outcomes: s.y)))
        #expect(m.logLoss == (try ProbabilityScores.logLoss(probabilities: s.p, outcomes: s.y)))
        #expect(m.brier == (try ProbabilityScores.brier(probabilities: s.p, outcomes: s.y)))
        #expect(m.reliability == (try ReliabilityTable(probabilities: s.p, outcomes: s.y)))
        #expect(m.hosmerLemeshow == (try HosmerLemeshowTest(probabilities: s.p, outcomes: s.y)))
        #expect(m.bands == (try ScoreBandTable(probabilities: s.p, outcomes: s.y)))
        #expect(
            m.calibration
                == Result { () throws(MetricsError) in
                    try CalibrationRegression(probabilities: s.p, outcomes: s.y)
                })
    }
}
