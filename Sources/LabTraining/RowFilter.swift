import LeadTable
import ScoringModelFormat

/// The rows that enter the model: every row except those with an empty cell in a numeric
/// feature whose missing rule is `drop_row`.
public struct RowFilter: Sendable, Equatable {
    /// Indices of kept data rows, ascending.
    public var keptRows: [Int]
    /// Data rows in the file.
    public var rowsRead: Int
    /// Rows removed, per `drop_row` column, in spec order (columns that removed none omitted).
    public var droppedByColumn: [DroppedRows]

    /// Number of rows removed.
    public var rowsDropped: Int { rowsRead - keptRows.count }

    /// Applies the `drop_row` rules of `features` to `table`.
    /// - Precondition: every numeric feature was read as `.numeric`.
    public init(features: [FeatureSpec], table: LeadTable) {
        let dropColumns = features.filter { $0.type == .numeric && $0.missing == .dropRow }.map { table.numeric($0.column) }
        rowsRead = table.rowCount
        var drop = [Bool](repeating: false, count: table.rowCount)
        droppedByColumn = []
        for column in dropColumns where column.missingCount > 0 {
            for row in 0..<table.rowCount where column.missing[row] { drop[row] = true }
            droppedByColumn.append(DroppedRows(column: column.name, rows: column.missingCount))
        }
        keptRows = (0..<table.rowCount).filter { !drop[$0] }
    }
}
