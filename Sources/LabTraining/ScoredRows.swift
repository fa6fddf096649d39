import Foundation
import LeadCSV
import ScoringModelFormat

/// A data set scored with a fitted model, without its design matrix: the linear predictor of
/// each kept row (``DesignMatrixBuilder/linearPredictor(encodings:table:rows:coefficients:blockRows:)``),
/// the outcome when the file has it, and what the encoding met. What `baton validate` needs;
/// ``ScoringData`` keeps the matrix for the callers that read it.
package struct ScoredRows: Sendable {
    /// η = Xβ per kept row, bit-identical to the matrix product.
    package var linearPredictor: [Double]
    /// The 0/1 outcome per kept row, when the file has the outcome column.
    package var outcome: [Double]?
    package var rows: RowFilter
    /// Categorical levels the model never saw, per column.
    package var unseenLevels: [UnseenLevels]
    package var file: String

    /// Kept rows scored.
    package var count: Int { linearPredictor.count }

    /// Reads `csv` (`read` stage) and computes η with `model`'s encodings and coefficients
    /// (`encode` stage); `drop_row` rules drop rows. Errors are ``ScoringData/load(csv:encodings:spec:)``'s.
    package static func load(csv: URL, model: WeightFile, timings: inout StageTimings) throws(DataError) -> ScoredRows {
        let (encodings, spec) = (model.encodings, model.spec)
        let (table, hasOutcome) = try ScoringData.readTable(csv: csv, encodings: encodings, spec: spec, timings: &timings)
        return try timings.measure("encode") { () throws(DataError) in
            let filter = try RowFilter.requiringRows(encodings: encodings, table: table)
            let (eta, unseen) = try DesignMatrixBuilder.linearPredictor(
                encodings: encodings, table: table, rows: filter.keptRows, coefficients: model.model.map(\.estimate))
            let outcome = hasOutcome ? try outcomeVector(table: table, outcome: spec.outcome, rows: filter.keptRows) : nil
            _ = try weightVector(table: table, column: spec.weight, rows: filter.keptRows)  // the same checks as the matrix path
            return ScoredRows(
                linearPredictor: eta,
                outcome: outcome, rows: filter, unseenLevels: unseen, file: table.file)
        }
    }
}
