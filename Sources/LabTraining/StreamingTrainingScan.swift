import Foundation
import LeadCSV
import ScoringModelFormat

/// The first pass of a streaming fit: everything ``TrainingData/build(table:spec:)`` learns
/// from the whole table, learned block by block with memory bounded by the block (plus the
/// distinct levels of the categorical columns): the kept rows, the outcome counts, the
/// encodings (level counts over all kept rows, so rare levels merge into `Other` exactly as
/// in memory), the time window and the input file's SHA-256 over the same bytes.
///
/// It reports the same ``DataError``s as the in-memory build (bad cells with file, line and
/// column from the reader; missing outcomes and bad weights with their line; no rows, no
/// positive or only positive outcomes; single-level and baseline problems).
package struct StreamingTrainingScan: Sendable {
    /// Learned encodings, in spec order.
    package var encodings: [FeatureEncoding]
    /// The model terms, `(intercept)` first.
    package var terms: [Term] { FeatureEncoding.terms(of: encodings) }
    /// Data rows in the file, rows kept, and rows dropped per `drop_row` column (spec order).
    package var rowsRead: Int
    package var rowsKept: Int
    package var droppedByColumn: [DroppedRows]
    /// Kept rows with a positive outcome.
    package var positives: Int
    /// Smallest and largest non-empty time cell of the kept rows (text order, as in memory).
    package var timeFrom: String?
    package var timeTo: String?
    /// Hex SHA-256 of the file's bytes.
    package var inputSHA256: String
    /// Bytes in the file and blocks read.
    package var bytes: Int
    package var blocks: Int
    /// The CSV path.
    package var file: String

    package var rowsDropped: Int { rowsRead - rowsKept }

    /// Reads `csv` once in blocks of `blockRows` rows.
    package static func scan(csv: URL, spec: ScoringSpec, blockRows: Int) throws(DataError) -> StreamingTrainingScan {
        if let binned = spec.features.first(where: { $0.transform == .bins }) {
            throw .binsNeedInMemoryFit(file: csv.path, column: binned.column)
        }
        let hasher = HashSink()
        let reader: LeadTableBlockReader
        do {
            reader = try LeadTableBlockReader(
                url: csv, columns: EncodingLearner.columnRequests(for: spec, includeIdAndTime: true),
                blockRows: blockRows, onBytes: { hasher.sha.update($0) })
        } catch {
            throw .table(error)
        }
        let categorical = spec.features.filter { $0.type == .categorical }
        var levelCounts = [[String: Int]](repeating: [:], count: categorical.count)
        // `missing: indicator` features, and those of them with an empty cell in a kept row so far.
        let indicatorFeatures = spec.features.filter { $0.type == .numeric && $0.missing == .indicator }
        var missingSeen: Set<String> = []
        var dropped: [String: Int] = [:]
        var outcomeLevels: Set<String> = []
        var rowsRead = 0, rowsKept = 0, positives = 0, blocks = 0
        var timeFrom: String?, timeTo: String?
        while true {
            let next: LeadTable?
            do { next = try reader.next() } catch { throw .table(error) }
            guard let table = next else { break }
            blocks += 1
            let filter = RowFilter(features: spec.features, table: table)
            rowsRead += filter.rowsRead
            rowsKept += filter.keptRows.count
            for drop in filter.droppedByColumn { dropped[drop.column, default: 0] += drop.rows }
            let outcomes = try outcomeVector(table: table, outcome: spec.outcome, rows: filter.keptRows)
            positives += outcomes.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
            outcomeLevels.formUnion(table.text(spec.outcome.column).levels)
            _ = try weightVector(table: table, column: spec.weight, rows: filter.keptRows)
            for feature in indicatorFeatures where !missingSeen.contains(feature.column) {
                let missing = table.numeric(feature.column).missing
                if filter.keptRows.contains(where: { missing[$0] }) { missingSeen.insert(feature.column) }
            }
            for (index, feature) in categorical.enumerated() {
                let column = table.text(feature.column)
                var codeCounts = [Int](repeating: 0, count: column.levels.count)
                for row in filter.keptRows { codeCounts[Int(column.codes[row])] += 1 }
                for (code, level) in column.levels.enumerated() where codeCounts[code] > 0 {
                    levelCounts[index][level, default: 0] += codeCounts[code]
                }
            }
            if let times = rawColumn(table, spec.time, filter.keptRows) {
                for time in times where !time.isEmpty {
                    if timeFrom.map({ time < $0 }) ?? true { timeFrom = time }
                    if timeTo.map({ time > $0 }) ?? true { timeTo = time }
                }
            }
        }
        let file = reader.file
        let droppedByColumn = spec.features.compactMap { feature in
            dropped[feature.column].map { DroppedRows(column: feature.column, rows: $0) }
        }
        guard rowsKept > 0 else { throw .noRowsLeft(file: file, rowsRead: rowsRead, dropped: droppedByColumn) }
        if positives == 0 {
            throw .noPositiveOutcomes(
                file: file, column: spec.outcome.column, positive: spec.outcome.positive,
                seen: outcomeLevels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        if positives == rowsKept {
            throw .onlyPositiveOutcomes(file: file, column: spec.outcome.column, positive: spec.outcome.positive)
        }
        var encodings: [FeatureEncoding] = []
        var categoricalIndex = 0
        for feature in spec.features {
            switch feature.type {
            case .numeric:
                encodings.append(EncodingLearner.learnNumeric(feature, anyMissing: missingSeen.contains(feature.column)))
            case .categorical:
                let counts = levelCounts[categoricalIndex].map { (level: $0.key, count: $0.value) }
                encodings.append(try EncodingLearner.learnCategorical(feature, rawCounts: counts, file: file))
                categoricalIndex += 1
            }
        }
        return StreamingTrainingScan(
            encodings: encodings, rowsRead: rowsRead, rowsKept: rowsKept, droppedByColumn: droppedByColumn,
            positives: positives, timeFrom: timeFrom, timeTo: timeTo, inputSHA256: hasher.sha.finalize().hex,
            bytes: reader.bytesRead, blocks: blocks, file: file)
    }
}

/// The running SHA-256 fed from the block reader's callback.
private final class HashSink {
    var sha = Checksum()
}
