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

    /// Reads `csv` and computes η with `model`'s encodings and coefficients; `drop_row` rules
    /// drop rows. Errors are ``ScoringData/load(csv:encodings:spec:)``'s.
    ///
    /// The file is read part by part, each part encoded and scored as soon as it is parsed
    /// (``LeadTableReader/mapParts(url:columns:partBytes:_:)``; one `read` stage in `timings`),
    /// so its whole table is never built. A file whose parts do not all parse and encode cleanly
    /// is read whole (`read` and `encode` stages), which throws the error with the file's line.
    package static func load(csv: URL, model: WeightFile, timings: inout StageTimings) throws(DataError) -> ScoredRows {
        if let scored = try loadInParts(csv: csv, model: model, timings: &timings) { return scored }
        return try loadWhole(csv: csv, model: model, timings: &timings)
    }

    /// ``load(csv:model:timings:)`` on the table read whole.
    static func loadWhole(csv: URL, model: WeightFile, timings: inout StageTimings) throws(DataError) -> ScoredRows {
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

    /// ``load(csv:model:timings:)`` part by part, or nil when a part does not parse or encode
    /// cleanly (or every row is dropped): the whole read then names the error.
    static func loadInParts(
        csv: URL, model: WeightFile, timings: inout StageTimings, partBytes: Int = LeadTableReader.defaultPartBytes
    ) throws(DataError) -> ScoredRows? {
        let (encodings, spec) = (model.encodings, model.spec)
        let plan = DesignMatrixBuilder.LinearPredictorPlan(encodings: encodings, coefficients: model.model.map(\.estimate))
        let features = encodings.map { FeatureSpec(column: $0.column, type: $0.type, missing: $0.missing) }
        // Timed on its own: a declined attempt leaves `timings` to the whole read.
        var attempt = StageTimings()
        let scanned = try attempt.measure("read") { () throws(DataError) -> (parts: [Part]?, hasOutcome: Bool) in
            try ScoringData.readingOutcomeIfPresent(encodings: encodings, spec: spec) { (columns, hasOutcome) throws(LeadTableError) in
                try LeadTableReader.mapParts(url: csv, columns: columns, partBytes: partBytes) { part in
                    Part(table: part.table, features: features, plan: plan, spec: spec, hasOutcome: hasOutcome)
                }
            }
        }
        guard let parts = scanned.parts else { return nil }
        let rowsRead = parts.reduce(0) { $0 + $1.filter.rowsRead }
        let kept = parts.reduce(0) { $0 + $1.eta.count }
        guard kept > 0 else { return nil }
        timings.append(attempt)
        var eta: [Double] = []
        var outcome: [Double]? = scanned.hasOutcome ? [] : nil
        var keptRows: [Int] = []
        eta.reserveCapacity(kept)
        outcome?.reserveCapacity(kept)
        keptRows.reserveCapacity(kept)
        var firstRow = 0
        var dropped: [String: Int] = [:]
        var unseenCounts: [String: [String: Int]] = [:]
        var unseenMappedTo: [String: String] = [:]
        for part in parts {
            eta += part.eta
            if let partOutcome = part.outcome { outcome? += partOutcome }
            keptRows += part.filter.keptRows.lazy.map { $0 + firstRow }
            firstRow += part.filter.rowsRead
            for column in part.filter.droppedByColumn { dropped[column.column, default: 0] += column.rows }
            for unseen in part.unseen {
                unseenCounts[unseen.column, default: [:]].merge(unseen.counts, uniquingKeysWith: +)
                unseenMappedTo[unseen.column] = unseen.mappedTo
            }
        }
        // In spec order, as one filter and one encoding of the whole table list them.
        let droppedByColumn = features.compactMap { feature in
            dropped[feature.column].map { DroppedRows(column: feature.column, rows: $0) }
        }
        let unseen = encodings.compactMap { encoding -> UnseenLevels? in
            guard let counts = unseenCounts[encoding.column], let mappedTo = unseenMappedTo[encoding.column] else { return nil }
            return UnseenLevels(column: encoding.column, counts: counts, mappedTo: mappedTo)
        }
        return ScoredRows(
            linearPredictor: eta, outcome: outcome,
            rows: RowFilter(keptRows: keptRows, rowsRead: rowsRead, droppedByColumn: droppedByColumn),
            unseenLevels: unseen, file: csv.path)
    }

    /// One part's rows filtered, scored and checked as ``loadWhole(csv:model:timings:)`` does
    /// the whole table's.
    private struct Part: Sendable {
        var eta: [Double]
        var outcome: [Double]?
        var filter: RowFilter
        var unseen: [UnseenLevels]

        /// Nil where the whole read would throw.
        init?(
            table: LeadTable, features: [FeatureSpec], plan: DesignMatrixBuilder.LinearPredictorPlan, spec: ScoringSpec,
            hasOutcome: Bool
        ) {
            filter = RowFilter(features: features, table: table)
            do throws(DataError) {
                (eta, unseen) = try DesignMatrixBuilder.linearPredictor(plan, table: table, rows: filter.keptRows)
                outcome = hasOutcome ? try outcomeVector(table: table, outcome: spec.outcome, rows: filter.keptRows) : nil
                _ = try weightVector(table: table, column: spec.weight, rows: filter.keptRows)
            } catch {
                return nil
            }
        }
    }
}
