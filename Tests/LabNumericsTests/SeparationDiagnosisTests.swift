import TestSupport
import Testing

@testable import LabNumerics

@Suite struct SeparationDiagnosisTests {
    /// Skipping 0/1 columns whose |β| ≤ 8 (rms ≤ 1, so neither criterion can hold) names the same
    /// terms in the same order as reading every column, and reads no skipped column.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64]) func skippedIndicatorsChangeNothing(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let rows = 400, p = 12
        let indicator = (0..<p).map { $0 > 0 && $0 % 2 == 0 }
        let columns: [[Double]] = (0..<p).map { j in
            (0..<rows).map { _ in indicator[j] ? random.bernoulli(j == 2 ? 0.01 : 0.3) : 4 * random.uniform() - 1 }
        }
        let outcomes = (0..<rows).map { _ in random.bernoulli(0.4) }
        let weights: [Double]? = seed % 2 == 0 ? (0..<rows).map { _ in Double(random.next() % 3) } : nil
        var found = 0
        for _ in 0..<50 {
            let beta = (0..<p).map { _ in (random.uniform() - 0.5) * [2, 20, 40, 70][Int(random.next() % 4)] }
            var information = SymmetricMatrix(order: p)
            for j in 0..<p { information[j, j] = random.uniform() < 0.5 ? 1e-6 : 50 }
            let force = random.uniform() < 0.2
            var read: Set<Int> = []
            func diagnose(skipping: Bool) -> [SeparatedTerm]? {
                SeparationDiagnosis.runaway(
                    beta: beta, information: information, names: (0..<p).map { "x\($0)" }, interceptColumn: 0,
                    outcomes: outcomes, weights: weights, force: force,
                    withColumn: { j, body in
                        if skipping { read.insert(j) }
                        columns[j].withUnsafeBufferPointer(body)
                    },
                    isIndicator: { skipping && indicator[$0] })
            }
            let all = diagnose(skipping: false)
            let skipped = diagnose(skipping: true)
            #expect(all == skipped)
            found += all?.count ?? 0
            for j in read where indicator[j] { #expect(abs(beta[j]) > 8, "column \(j) read with β \(beta[j])") }
        }
        #expect(found > 0, "no draw ran away: the comparison above tested nothing")
    }
}
