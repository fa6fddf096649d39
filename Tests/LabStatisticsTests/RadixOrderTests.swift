import TestSupport
import Testing

@testable import LabStatistics

/// The radix order used for large inputs must be exactly the comparator's stable order.
@Suite struct RadixOrderTests {
    static func comparatorOrder(_ scores: [Double], descending: Bool) -> [Int] {
        (0..<scores.count).sorted { i, j in
            let a = scores[i], b = scores[j]
            if a != b { return descending ? a > b : a < b }
            return i < j
        }
    }

    @Test(arguments: [false, true])
    func equalsStableComparatorOrderWithTiesSignsAndZeros(descending: Bool) {
        var random = SplitMix64(seed: 11)
        for n in [1, 2, 3, 100, 5_000] {
            // Few distinct values (many ties), both signs, ±0, tiny and huge magnitudes.
            let pool: [Double] = [0, -0.0, 1, -1, 0.5, 1e-300, -1e-300, 1e300, -2.5, 0.1, 0.7, 5e-324]
            let scores = (0..<n).map { _ in
                random.next() % 3 == 0 ? pool[Int(random.next() % UInt64(pool.count))] : random.uniform() * 2 - 1
            }
            #expect(ScoredOutcomes.radixOrder(scores, descending: descending) == Self.comparatorOrder(scores, descending: descending))
            #expect(ScoredOutcomes.stableOrder(scores, descending: descending) == Self.comparatorOrder(scores, descending: descending))
        }
    }

    @Test func probabilitiesWithHeavyTies() {
        var random = SplitMix64(seed: 12)
        let scores = (0..<10_000).map { _ in Double(random.next() % 50) / 49 }
        for descending in [false, true] {
            #expect(ScoredOutcomes.radixOrder(scores, descending: descending) == Self.comparatorOrder(scores, descending: descending))
        }
    }
}
