import Foundation
import LabNumerics
import LeadCSV
import ScoringModelFormat

/// Model inputs learned from a CSV and a spec: the design, the 0/1 outcome, optional case
/// weights, the encodings that built them, and where each row came from.
package struct TrainingData: Sendable {
    /// n × p, columns named by ``terms``, the intercept first; the categorical features'
    /// dummies as level codes (``CodedDesign/materialized()`` gives the plain matrix).
    package var design: CodedDesign
    /// 1 where the outcome is one of `outcome.positive`, else 0; one per kept row.
    package var outcome: [Double]
    /// Case weights (≥ 0) per kept row, when the spec names a weight column.
    package var weights: [Double]?
    /// Learned encodings, in spec order (stored in the weight file).
    package var encodings: [FeatureEncoding]
    /// The model terms, `(intercept)` first.
    package var terms: [Term]
    /// 1-based physical line in the CSV of each kept row.
    package var fileLines: [Int]
    /// Lead ids / creation times of kept rows, when the spec names those columns and the table
    /// was read with them as `.raw` (``load(csv:spec:)`` does; the lab's fit does not).
    package var ids: [String]?
    package var times: [String]?
    /// The least and greatest creation time of the kept rows (see ``TimeWindow/of(table:column:rows:)``).
    package var timeWindow: TimeWindow?
    /// Which rows were kept and why others were not.
    package var rows: RowFilter
    /// The CSV path.
    package var file: String

    /// Number of kept rows with a positive outcome.
    package var positives: Int { outcome.reduce(0) { $0 + ($1 == 1 ? 1 : 0) } }

    /// Reads `csv`, learns the encodings and builds the design matrix.
    package static func load(csv: URL, spec: ScoringSpec) throws(DataError) -> TrainingData {
        let table: LeadTable
        do {
            table = try LeadTableReader.read(url: csv, columns: EncodingLearner.columnRequests(for: spec, includeIdAndTime: true))
        } catch {
            throw .table(error)
        }
        return try build(table: table, spec: spec)
    }

    /// Learns the encodings on `table` (read with ``EncodingLearner/columnRequests(for:outcome:includeIdAndTime:)``)
    /// and builds the design matrix. A table read with one spare numeric column
    /// (``LeadTable/numberBlock``) gets its design built over its numbers where they lie
    /// (``DesignMatrixBuilder/buildCoded(encodings:table:rows:)``): its numeric feature columns
    /// are not to be read after this call.
    package static func build(table: LeadTable, spec: ScoringSpec) throws(DataError) -> TrainingData {
        let filter = try RowFilter.requiringRows(features: spec.features, table: table)
        let outcomes = try outcomeVector(table: table, outcome: spec.outcome, rows: filter.keptRows)
        let positives = outcomes.reduce(0, +)
        if positives == 0 {
            let column = table.text(spec.outcome.column)
            throw .noPositiveOutcomes(
                file: table.file, column: spec.outcome.column, positive: spec.outcome.positive,
                seen: column.levels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        if positives == Double(outcomes.count) {
            throw .onlyPositiveOutcomes(file: table.file, column: spec.outcome.column, positive: spec.outcome.positive)
        }
        let encodings = try EncodingLearner.learn(features: spec.features, table: table, rows: filter.keptRows, outcomes: outcomes)
        // The weight column, read after the design, is never a feature's (the spec refuses it).
        let (design, _) = try DesignMatrixBuilder.buildCoded(encodings: encodings, table: table, rows: filter.keptRows)
        return TrainingData(
            design: design, outcome: outcomes,
            weights: try weightVector(table: table, column: spec.weight, rows: filter.keptRows),
            encodings: encodings, terms: FeatureEncoding.terms(of: encodings),
            fileLines: filter.keptRows.map { table.lineOfRow[$0] },
            ids: rawColumn(table, spec.id, filter.keptRows), times: rawColumn(table, spec.time, filter.keptRows),
            timeWindow: TimeWindow.of(table: table, column: spec.time, rows: filter.keptRows),
            rows: filter, file: table.file)
    }
}

/// A fitted model's encodings applied to new rows (validation, back-testing): the same
/// design, unseen levels counted instead of learned.
package struct ScoringData: Sendable {
    package var design: DesignMatrix
    /// The 0/1 outcome per kept row, when the file has the outcome column.
    package var outcome: [Double]?
    package var weights: [Double]?
    package var terms: [Term]
    package var fileLines: [Int]
    /// Ids / times of kept rows when the table was read with those columns as `.raw`
    /// (``load(csv:encodings:spec:)`` reads neither: nothing downstream needs them per row).
    package var ids: [String]?
    package var times: [String]?
    /// The least and greatest creation time of the kept rows, when known.
    package var timeWindow: TimeWindow?
    package var rows: RowFilter
    /// Categorical levels the model never saw, per column.
    package var unseenLevels: [UnseenLevels]
    package var file: String

    /// Reads `csv` and encodes it with a fitted model's `encodings`. The outcome is read when
    /// `csv` has the spec's outcome column (else ``outcome`` is nil); `drop_row` rules drop rows.
    package static func load(csv: URL, encodings: [FeatureEncoding], spec: ScoringSpec) throws(DataError) -> ScoringData {
        var timings = StageTimings()
        return try load(csv: csv, encodings: encodings, spec: spec, timings: &timings)
    }

    /// ``load(csv:encodings:spec:)`` recording the `read` and `encode` stages in `timings`.
    package static func load(
        csv: URL, encodings: [FeatureEncoding], spec: ScoringSpec,
        timings: inout StageTimings
    ) throws(DataError) -> ScoringData {
        let (table, hasOutcome) = try readTable(csv: csv, encodings: encodings, spec: spec, timings: &timings)
        return try timings.measure("encode") { () throws(DataError) in
            try build(table: table, encodings: encodings, spec: spec, hasOutcome: hasOutcome)
        }
    }

    /// The columns `encodings` and `spec` need, and the outcome when the file has it (`read` stage).
    static func readTable(
        csv: URL, encodings: [FeatureEncoding], spec: ScoringSpec, timings: inout StageTimings
    ) throws(DataError) -> (table: LeadTable, hasOutcome: Bool) {
        try timings.measure("read") { () throws(DataError) -> (LeadTable, Bool) in
            try readingOutcomeIfPresent(encodings: encodings, spec: spec) { (columns, _) throws(LeadTableError) in
                try LeadTableReader.read(url: csv, columns: columns)
            }
        }
    }

    /// `read` with the columns `encodings` and `spec` need plus the outcome column, and again
    /// without the outcome when the file has no such column; whether the outcome was read.
    static func readingOutcomeIfPresent<T>(
        encodings: [FeatureEncoding], spec: ScoringSpec,
        _ read: (_ columns: [ColumnRequest], _ hasOutcome: Bool) throws(LeadTableError) -> T
    ) throws(DataError) -> (T, hasOutcome: Bool) {
        let requests = columnRequests(encodings: encodings, spec: spec)
        do throws(LeadTableError) {
            return (try read(requests + [.text(spec.outcome.column)], true), true)
        } catch let error {
            guard case let .unknownColumn(_, column, _, _) = error, column == spec.outcome.column else {
                throw DataError.table(error)
            }
            do throws(LeadTableError) {
                return (try read(requests, false), false)
            } catch {
                throw DataError.table(error)
            }
        }
    }

    static func columnRequests(encodings: [FeatureEncoding], spec: ScoringSpec) -> [ColumnRequest] {
        var requests: [ColumnRequest] = encodings.map { $0.type == .numeric ? .numeric($0.column) : .text($0.column) }
        if let weight = spec.weight { requests.append(.numeric(weight)) }
        if let time = spec.time { requests.append(.bounds(time)) }
        return requests
    }

    /// Encodes `table` with `encodings`; `hasOutcome` says whether the outcome column was read.
    package static func build(table: LeadTable, encodings: [FeatureEncoding], spec: ScoringSpec, hasOutcome: Bool) throws(DataError) -> ScoringData {
        let filter = try RowFilter.requiringRows(encodings: encodings, table: table)
        let (matrix, unseen) = try DesignMatrixBuilder.build(encodings: encodings, table: table, rows: filter.keptRows)
        return ScoringData(
            design: matrix,
            outcome: hasOutcome ? try outcomeVector(table: table, outcome: spec.outcome, rows: filter.keptRows) : nil,
            weights: try weightVector(table: table, column: spec.weight, rows: filter.keptRows),
            terms: FeatureEncoding.terms(of: encodings),
            fileLines: filter.keptRows.map { table.lineOfRow[$0] },
            ids: rawColumn(table, spec.id, filter.keptRows), times: rawColumn(table, spec.time, filter.keptRows),
            timeWindow: TimeWindow.of(table: table, column: spec.time, rows: filter.keptRows),
            rows: filter, unseenLevels: unseen, file: table.file)
    }
}

/// 1 where the (trimmed) outcome cell is one of `positive`; an empty cell in any row is an error.
func outcomeVector(table: LeadTable, outcome: OutcomeSpec, rows: [Int]) throws(DataError) -> [Double] {
    let column = table.text(outcome.column)
    let positive = column.levels.map { outcome.positive.contains($0) ? 1.0 : 0.0 }
    if let empty = column.levels.firstIndex(of: ""), let row = column.codes.firstIndex(of: Int32(empty)) {
        throw .missingOutcome(file: table.file, line: table.lineOfRow[row], column: outcome.column)
    }
    return rows.map { positive[Int(column.codes[$0])] }
}

func weightVector(table: LeadTable, column name: String?, rows: [Int]) throws(DataError) -> [Double]? {
    guard let name else { return nil }
    let column = table.numeric(name)
    for row in rows where column.missing[row] || column.values[row] < 0 {
        throw .badWeight(
            file: table.file, line: table.lineOfRow[row], column: name,
            value: column.missing[row] ? "" : "\(column.values[row])")
    }
    return rows.map { column.values[$0] }
}

func rawColumn(_ table: LeadTable, _ name: String?, _ rows: [Int]) -> [String]? {
    guard let name, let column = table.rawIfRead(name) else { return nil }
    return rows.map { column.values[$0] }
}
