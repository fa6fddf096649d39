import LeadCSV
import ScoringModelFormat

/// The rows that enter the model: every row except those with an empty cell in a numeric
/// feature whose missing rule is `drop_row`.
package struct RowFilter: Sendable, Equatable {
    /// Indices of kept data rows, ascending.
    package var keptRows: [Int]
    /// Data rows in the file.
    package var rowsRead: Int
    /// Rows removed, per `drop_row` column, in spec order (columns that removed none omitted).
    package var droppedByColumn: [DroppedRows]

    /// Number of rows removed.
    package var rowsDropped: Int { rowsRead - keptRows.count }

    init(keptRows: [Int], rowsRead: Int, droppedByColumn: [DroppedRows]) {
        self.keptRows = keptRows
        self.rowsRead = rowsRead
        self.droppedByColumn = droppedByColumn
    }

    /// Applies the `drop_row` rules of `features` to `table`.
    /// - Precondition: every numeric feature was read as `.numeric`.
    package init(features: [FeatureSpec], table: LeadTable) {
        let dropColumns = features.filter { $0.type == .numeric && $0.missing == .dropRow }.map { table.numeric($0.column) }
            .filter { $0.missingCount > 0 }
        rowsRead = table.rowCount
        droppedByColumn = dropColumns.map { DroppedRows(column: $0.name, rows: $0.missingCount) }
        // The usual case, nothing dropped, in one allocation of the final size.
        guard !dropColumns.isEmpty else {
            keptRows = Array(0..<table.rowCount)
            return
        }
        var drop = [Bool](repeating: false, count: table.rowCount)
        for column in dropColumns {
            for row in 0..<table.rowCount where column.missing[row] { drop[row] = true }
        }
        var kept: [Int] = []
        kept.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount where !drop[row] { kept.append(row) }
        keptRows = kept
    }

    /// ``init(features:table:)``, for a fit or a scoring run that needs at least one row.
    /// - Throws: ``DataError/noRowsLeft(file:rowsRead:dropped:)`` when the rules drop every row.
    package static func requiringRows(features: [FeatureSpec], table: LeadTable) throws(DataError) -> RowFilter {
        let filter = RowFilter(features: features, table: table)
        guard !filter.keptRows.isEmpty else {
            throw .noRowsLeft(file: table.file, rowsRead: filter.rowsRead, dropped: filter.droppedByColumn)
        }
        return filter
    }

    /// ``requiringRows(features:table:)`` with the features a fitted model's encodings describe.
    package static func requiringRows(encodings: [FeatureEncoding], table: LeadTable) throws(DataError) -> RowFilter {
        try requiringRows(features: encodings.map { FeatureSpec(column: $0.column, type: $0.type, missing: $0.missing) }, table: table)
    }
}
