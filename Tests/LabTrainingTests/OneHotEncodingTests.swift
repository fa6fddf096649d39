import Foundation
import LabNumerics
import LabTraining
import LeadCSV
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
        let x = data.design.materialized()
        let oneHot = data.design.oneHot
        let categorical = data.encodings.filter { $0.type == .categorical }
        #expect(oneHot.count == categorical.count)
        for (feature, encoding) in zip(oneHot, categorical) {
            #expect(feature.columns.map { x.names[$0] } == encoding.terms.map(\.name))
            #expect(feature.levels.count == x.rows)
            for i in 0..<x.rows {
                let level = Int(feature.levels[i])
                for (k, column) in feature.columns.enumerated() where x[i, column] != (k + 1 == level ? 1 : 0) {
                    Issue.record("row \(i), \(x.names[column]) = \(x[i, column]) but level \(level)")
                }
            }
        }
        // The coded design's matrix is the one the plain builder fills, bit for bit.
        let table = try LeadTableReader.read(url: csv, columns: EncodingLearner.columnRequests(for: spec))
        let plain = try DesignMatrixBuilder.buildWithOneHot(encodings: data.encodings, table: table, rows: data.rows.keptRows)
        #expect(plain.matrix == x)
        #expect(plain.oneHot == oneHot)
        let given = try LogisticRegression.fit(x, outcomes: data.outcome, oneHot: oneHot)
        let detected = try LogisticRegression.fit(x, outcomes: data.outcome)
        let coded = try LogisticRegression.fit(data.design, outcomes: data.outcome)
        for j in 0..<x.columns {
            #expect(isClose(given.coefficients[j], detected.coefficients[j], absolute: 1e-10), "\(x.names[j])")
        }
        // The same passes on the same numbers; the coded fit reads the dense block in place
        // (column-major BLAS) where the matrix fit reads a row-major copy, so the sums run in
        // another order and agree to rounding: 1e-13 of the largest estimate / standard error
        // (a small estimate's own last places follow the large ones').
        #expect(isClose(coded.logLikelihood, given.logLikelihood, relative: 1e-14))
        let largestEstimate = given.coefficients.map(abs).max() ?? 1
        let largestError = given.standardErrors.map(abs).max() ?? 1
        for j in 0..<x.columns {
            #expect(isClose(coded.coefficients[j], given.coefficients[j], absolute: 1e-13 * largestEstimate), "\(x.names[j])")
            #expect(isClose(coded.standardErrors[j], given.standardErrors[j], absolute: 1e-13 * largestError), "\(x.names[j])")
        }
        #expect(given.probabilities(data.design) == given.probabilities(x))
    }
}
