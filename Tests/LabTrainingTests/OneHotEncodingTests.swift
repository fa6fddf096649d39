import Foundation
import LabNumerics
import LabTraining
import ScoringModelFormat
import TestSupport
import Testing

/// The one-hot structure the encoder hands to the fit must describe its own matrix exactly,
/// and the lab's fit with it must equal the fit that detects the indicators in X.
@Suite struct OneHotEncodingTests {
    @Test func featuresDescribeTheMatrix() throws {
        let csv = try SharedData.syntheticReferenceCSV(rows: 10000)
        let spec = try ScoringSpec.parse(yaml: DesignSyntheticTests.specYAML, file: "synthetic.spec.yaml")
        let data = try TrainingData.load(csv: csv, spec: spec)
        let x = data.design
        let categorical = data.encodings.filter { $0.type == .categorical }
        #expect(data.oneHot.count == categorical.count)
        for (feature, encoding) in zip(data.oneHot, categorical) {
            #expect(feature.columns.map { x.names[$0] } == encoding.terms.map(\.name))
            #expect(feature.levels.count == x.rows)
            for i in 0..<x.rows {
                let level = Int(feature.levels[i])
                for (k, column) in feature.columns.enumerated() where x[i, column] != (k + 1 == level ? 1 : 0) {
                    Issue.record("row \(i), \(x.names[column]) = \(x[i, column]) but level \(level)")
                }
            }
        }
        let given = try LogisticRegression.fit(x, outcomes: data.outcome, oneHot: data.oneHot)
        let detected = try LogisticRegression.fit(x, outcomes: data.outcome)
        for j in 0..<x.columns {
            #expect(isClose(given.coefficients[j], detected.coefficients[j], absolute: 1e-10), "\(x.names[j])")
        }
    }
}
