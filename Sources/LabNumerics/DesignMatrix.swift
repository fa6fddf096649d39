/// A dense design matrix stored column-major (`values[row + column * rows]`), the layout
/// LAPACK and BLAS read without copying.
///
/// Column 0 is the intercept when ``interceptColumn`` is 0; the ridge penalty never applies
/// to the intercept column.
package struct DesignMatrix: Sendable, Equatable {
    /// Number of rows (leads), n.
    package let rows: Int
    /// Number of columns (terms), p.
    package let columns: Int
    /// Column-major values, `rows * columns` of them.
    package var values: [Double]
    /// Term names, one per column.
    package var names: [String]
    /// The intercept column, if there is one.
    package var interceptColumn: Int?

    /// Creates a matrix from column-major values.
    /// - Precondition: `values.count == rows * columns` and `names.count == columns`.
    package init(rows: Int, columns: Int, values: [Double], names: [String], interceptColumn: Int? = 0) {
        precondition(values.count == rows * columns, "DesignMatrix: \(values.count) values for \(rows)×\(columns)")
        precondition(names.count == columns, "DesignMatrix: \(names.count) names for \(columns) columns")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.names = names
        self.interceptColumn = interceptColumn
    }

    /// Creates a matrix from whole columns.
    package init(columns: [[Double]], names: [String], interceptColumn: Int? = 0) {
        let rows = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == rows }, "DesignMatrix: columns of unequal length")
        self.init(
            rows: rows, columns: columns.count, values: columns.flatMap { $0 }, names: names,
            interceptColumn: interceptColumn)
    }

    /// The element at `row`, `column`.
    @inlinable package subscript(row: Int, column: Int) -> Double {
        get { values[row + column * rows] }
        set { values[row + column * rows] = newValue }
    }

    /// A copy of one column.
    package func column(_ index: Int) -> [Double] {
        Array(values[(index * rows)..<((index + 1) * rows)])
    }
}
