import Foundation
import LabNumerics
import Recalibration
import ScoringModelFormat
import TestSupport
import Testing

/// PSI, conversion checks, weight changes, thresholds and the rule against hand-computed values.
struct PopulationStabilityTests {
    @Test func psiByHand() {
        // (0.4 − 0.5) ln 0.8 + 0 + (0.3 − 0.2) ln 1.5
        let psi = PopulationStability(labels: ["a", "b", "c"], expected: [50, 30, 20], actual: [40, 30, 30])
        #expect(isClose(psi.index, 0.06286086594223739, absolute: 1e-15, relative: 1e-13))
        #expect(psi.band == .stable)
    }

    @Test func emptyBinCountsAsHalfALead() {
        // expected shares 10/10 and 0.5/10, actual 5/10 and 5/10.
        let psi = PopulationStability(labels: ["a", "b"], expected: [10, 0], actual: [5, 5])
        #expect(isClose(psi.index, 1.3827368821272934, absolute: 1e-15, relative: 1e-13))
        #expect(psi.band == .shifted)
        #expect(psi.index.isFinite)
    }

    @Test func numericBinsAtTrainingDeciles() {
        let expected: [Double?] = (1...10).map { Double($0) }
        let actual: [Double?] = [0.5, 1, 1, 2, 10, 10, 10, 11, nil]
        let psi = PopulationStability.numeric(expected: expected, actual: actual)
        #expect(psi.bins.map(\.label) == ["≤ 1", "(1, 2]", "(2, 3]", "(3, 4]", "(4, 5]", "(5, 6]", "(6, 7]", "(7, 8]", "(8, 9]", "> 9", "missing"])
        #expect(psi.bins.map(\.actualCount) == [3, 1, 0, 0, 0, 0, 0, 0, 0, 4, 1])
        #expect(psi.bins.map(\.expectedCount) == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
        #expect(isClose(psi.index, 1.0275545503674308, absolute: 1e-15, relative: 1e-13))
    }

    @Test func tiedCountsGetFewerBins() {
        // 60 % zeros, then ones and twos: deciles 0,0,0,0,0,0,1,1,2 → edges 0, 1 (2 is the max).
        let expected: [Double?] = Array(repeating: 0, count: 6) + [1, 1, 2, 2]
        let psi = PopulationStability.numeric(expected: expected, actual: expected)
        #expect(psi.bins.map(\.label) == ["≤ 0", "(0, 1]", "> 1"])
        #expect(psi.index == 0)
    }

    @Test func categoricalUnionOfLevels() {
        let psi = PopulationStability.categorical(expected: ["x", "x", "y", "y"], actual: ["x", "z", "z", "z"])
        #expect(psi.bins.map(\.label) == ["x", "y", "z"])
        // e = (.5, .5, .125), a = (.25, .125, .75)
        let hand = (0.25 - 0.5) * log(0.5) + (0.125 - 0.5) * log(0.25) + (0.75 - 0.125) * log(6.0)
        #expect(isClose(psi.index, hand, absolute: 1e-15, relative: 1e-13))
    }

    @Test(arguments: [(0.0999, StabilityBand.stable), (0.1, .watch), (0.25, .watch), (0.2501, .shifted)])
    func bands(psi: Double, band: StabilityBand) {
        #expect(StabilityBand(psi: psi) == band)
    }

    @Test func psiIsNonNegativeAndZeroOnlyForEqualShares() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let e = (0..<5).map { _ in Int(rng.next() % 50) + 1 }
            let a = (0..<5).map { _ in Int(rng.next() % 50) + 1 }
            let psi = PopulationStability(labels: ["1", "2", "3", "4", "5"], expected: e, actual: a)
            #expect(psi.index >= 0)
            let same = PopulationStability(labels: ["1", "2", "3", "4", "5"], expected: e, actual: e.map { $0 * 3 })
            #expect(abs(same.index) < 1e-15)
        }
    }
}

struct ConversionCheckTests {
    @Test func wilsonVersusPredicted() {
        // 5/100: Wilson 95 % = [0.02154367915436796, 0.11175046923191913] (closed form in Python).
        let below = ConversionCheck(group: "g", count: 100, positives: 5, meanPredicted: 0.15)
        #expect(isClose(below.interval.upper, 0.11175046923191913, absolute: 0, relative: 1e-13))
        #expect(below.verdict == .belowPredicted)
        #expect(ConversionCheck(group: "g", count: 100, positives: 5, meanPredicted: 0.11).verdict == .consistent)
        #expect(ConversionCheck(group: "g", count: 100, positives: 5, meanPredicted: 0.02).verdict == .abovePredicted)
        #expect(ConversionCheck(group: "g", count: 49, positives: 0, meanPredicted: 0.9).verdict == .tooFew)
    }

    @Test func groupsByLabel() {
        let checks = ConversionCheck.byGroup(
            labels: ["b", "a", "b", "a", "a"], probabilities: [0.1, 0.2, 0.3, 0.4, 0.6],
            outcomes: [1, 0, 0, 1, 1], minimumCount: 1)
        #expect(checks.map(\.group) == ["a", "b"])
        #expect(checks.map(\.count) == [3, 2])
        #expect(checks.map(\.positives) == [2, 1])
        #expect(isClose(checks[0].meanPredicted, 0.4, absolute: 1e-15, relative: 0))
        #expect(isClose(checks[1].meanPredicted, 0.2, absolute: 1e-15, relative: 0))
    }
}

struct WeightChangeTests {
    func term(_ name: String, _ beta: Double, _ se: Double?) -> WeightedTerm {
        WeightedTerm(term: Term(name: name, kind: .numeric, column: name), estimate: beta, stdError: se, factor: 20 / log(2))
    }

    @Test func differenceAndZ() throws {
        let changes = WeightChange.compare(
            champion: [term("a", 0.25, 0.1), term("gone", 1, 0.5)],
            challenger: [term("a", 0.7, 0.2), term("new", -1, 0.3)])
        #expect(changes.map(\.term) == ["a", "new", "gone"])
        let a = changes[0]
        #expect(isClose(try #require(a.difference), 0.45, absolute: 1e-15, relative: 0))
        // 0.45 / √(0.1² + 0.2²)
        #expect(isClose(try #require(a.z), 2.01246117974981, absolute: 0, relative: 1e-13))
        #expect(!a.intervalsDisjoint)  // [0.054, 0.446] and [0.308, 1.092] overlap
        #expect(changes[1].champion == nil && changes[1].difference == nil)
        #expect(changes[2].challenger == nil)
        let apart = WeightChange.compare(champion: [term("a", 0, 0.1)], challenger: [term("a", 1, 0.1)])[0]
        #expect(apart.intervalsDisjoint)
    }
}

struct ThresholdCurveTests {
    // Six leads over two weeks; by hand: t = 8 admits 10.2, 9.5, 9.5, 8.1 (2 won, Σp = 2.4).
    let curve = ThresholdCurve(
        scores: [10.2, 9.5, 9.5, 8.1, 7.9, 5.0], probabilities: [0.9, 0.6, 0.5, 0.4, 0.3, 0.1],
        outcomes: [1, 1, 0, 0, 1, 0], days: 14)

    @Test func curveByHand() throws {
        #expect(curve.points.map(\.threshold) == [5, 6, 7, 8, 9, 10, 11])
        #expect(curve.points.map(\.leads) == [6, 5, 5, 4, 3, 1, 0])
        #expect(curve.points.map(\.observedConversions) == [3, 3, 3, 2, 2, 1, 0])
        let eight = curve.points[3]
        #expect(eight.leadsPerWeek == 2)
        #expect(isClose(eight.expectedConversions, 2.4, absolute: 1e-15, relative: 0))
        #expect(eight.precision == 0.5)
        #expect(isClose(eight.recall, 2.0 / 3.0, absolute: 1e-15, relative: 0))
        #expect(curve.points[6].precision == 0)
    }

    @Test func chooseFromCapacityAndTarget() throws {
        // Capacity 2/week: at most 4 MQLs in two weeks → 8.
        #expect(try curve.choose(capacityPerWeek: 2, targetConversion: nil).get().threshold == 8)
        #expect(try curve.choose(capacityPerWeek: 2.4, targetConversion: nil).get().threshold == 8)
        #expect(try curve.choose(capacityPerWeek: 2.5, targetConversion: nil).get().threshold == 6)
        // Target 60 %: 3/5 at 6.
        #expect(try curve.choose(capacityPerWeek: nil, targetConversion: 0.6).get().threshold == 6)
        #expect(try curve.choose(capacityPerWeek: nil, targetConversion: 0.95).get().threshold == 10)
        // Both: the higher.
        #expect(try curve.choose(capacityPerWeek: 2, targetConversion: 0.6).get().threshold == 8)
        #expect(try curve.choose(capacityPerWeek: 10, targetConversion: 0.6).get().threshold == 6)
    }

    @Test func unreachableTarget() {
        // Precision 1/2 at 1, 0/1 at 2: no threshold reaches 90 %.
        let flat = ThresholdCurve(scores: [1, 2], probabilities: [0.5, 0.5], outcomes: [1, 0], days: 7)
        #expect(throws: ThresholdChoiceError.targetUnreachable(target: 0.9, bestPrecision: 0.5)) {
            try flat.choose(capacityPerWeek: nil, targetConversion: 0.9).get()
        }
    }

    @Test func precisionAndVolumeAreMonotoneInRecallAndVolume() {
        var rng = SplitMix64(seed: 3)
        let n = 500
        let scores = (0..<n).map { _ in Double(rng.next() % 10_000) / 100 }
        let outcomes = (0..<n).map { _ in rng.next() % 3 == 0 ? 1.0 : 0.0 }
        let c = ThresholdCurve(scores: scores, probabilities: scores.map { $0 / 100 }, outcomes: outcomes, days: 91)
        for (a, b) in zip(c.points, c.points.dropFirst()) {
            #expect(a.leads >= b.leads && a.recall >= b.recall && a.expectedConversions >= b.expectedConversions)
            #expect(a.leads == scores.filter { $0 >= a.threshold }.count)
        }
        #expect(c.points.first?.leads == n && c.points.last?.leads == 0)
    }
}

struct RecommendationRuleTests {
    let rule = RecommendationRule()
    func inputs(_ auc: Double, _ p: Double, _ ece: Double) -> RuleInputs {
        RuleInputs(championAUC: 0.80, challengerAUC: auc, deLongPValue: p, championECE: 0.02, challengerECE: ece)
    }

    @Test func cases() {
        #expect(rule.decide(nil).decision == .promote)
        #expect(rule.decide(inputs(0.82, 0.01, 0.02)).decision == .promote)
        #expect(rule.decide(inputs(0.82, 0.01, 0.03)).decision == .promote)  // exactly at the margin
        #expect(rule.decide(inputs(0.82, 0.01, 0.0301)).decision == .keep)  // calibrates worse
        #expect(rule.decide(inputs(0.82, 0.05, 0.01)).decision == .keep)  // p not < α
        #expect(rule.decide(inputs(0.78, 0.001, 0.01)).decision == .keep)  // significantly worse
        #expect(RecommendationRule(alpha: 0.1).decide(inputs(0.82, 0.05, 0.01)).decision == .promote)
        #expect(rule.statement.contains("p < 0.05") && rule.statement.contains("+ 0.01"))
    }
}
