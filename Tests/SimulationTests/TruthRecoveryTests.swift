import Foundation
import LabNumerics
import LabTraining
import ScoringModelFormat
import Simulation
import TestSupport
import Testing

/// The lab recovers the generator's known model: on a large seeded sample every true
/// coefficient sits within a few standard errors of its estimate.
@Suite struct TruthRecoveryTests {
    @Test func largeSampleRecoversTheTruthWithinItsIntervals() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-truth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let csv = dir.appendingPathComponent("leads.csv")
        let truth = try SyntheticLeads.write(rows: 100_000, seed: 424_242, to: csv)
        let spec = try ScoringSpec.parse(yaml: SyntheticLeads.specYAML, file: "generated.spec.yaml")
        let data = try TrainingData.load(csv: csv, spec: spec)
        let fit = try LogisticRegression.fit(data.design, outcomes: data.outcome)
        #expect(fit.converged)
        let trueByName = Dictionary(uniqueKeysWithValues: truth.terms.map { ($0.name, $0.coefficient) })
        #expect(Set(trueByName.keys) == Set(fit.names), "the encoding and the truth name the same 60 terms")
        var inside95 = 0
        for (j, name) in fit.names.enumerated() {
            let b = try #require(trueByName[name])
            let z = (fit.coefficients[j] - b) / fit.standardErrors[j]
            #expect(abs(z) < 4.5, "\(name): estimate \(fit.coefficients[j]), truth \(b), SE \(fit.standardErrors[j])")
            if fit.confidenceLow[j] <= b && b <= fit.confidenceHigh[j] { inside95 += 1 }
        }
        // 60 intervals at 95 %: fewer than 51 covering has probability < 0.2 % under the truth.
        #expect(inside95 >= 51, "\(inside95) of 60 95 % intervals cover the truth")
        try? FileManager.default.removeItem(at: dir)
    }
}
