import LabNumerics
import LabStatistics
import LabTraining
import ScoringModelFormat

/// One model scored on the test quarter: probabilities, points, every validation metric, and
/// the band and segment conversion checks.
package struct ModelEvaluation: Sendable {
    /// `champion` or `challenger`.
    package let role: String
    package let model: WeightFile
    /// P(won) per test lead, in test-row order.
    package let probabilities: [Double]
    /// Score in points per test lead.
    package let points: [Double]
    package let metrics: ValidationMetrics
    /// Categorical levels of the test leads that the model never saw (scored as `Other` or the baseline).
    package let unseenLevels: [UnseenLevels]
    /// One check per score band (band 1 = highest scores).
    package let bandChecks: [ConversionCheck]
    /// One check per level of each categorical feature of the spec (`column=level`).
    package let segmentChecks: [ConversionCheck]
}

extension WeightFile {
    /// η = Σ β·x per row of a design built from this file's encodings.
    func linearPredictor(_ design: DesignMatrix) -> [Double] {
        var eta = [Double](repeating: 0, count: design.rows)
        for (j, term) in model.enumerated() where term.estimate != 0 {
            let offset = j * design.rows
            for i in 0..<design.rows { eta[i] += term.estimate * design.values[offset + i] }
        }
        return eta
    }
}
