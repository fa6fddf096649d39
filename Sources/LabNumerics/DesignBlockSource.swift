/// One block of design rows lent to a streaming fit: `rows` rows of the p design columns,
/// column-major with leading dimension `rows` (`values[i + j * rows]`), their 0/1 outcomes and
/// optional case weights. The pointers are valid only during the callback that receives it.
package struct DesignBlockView {
    /// Rows in the block, ≥ 1.
    package let rows: Int
    /// `rows × columns` values, column-major.
    package let values: UnsafePointer<Double>
    /// One outcome (0 or 1) per row.
    package let outcomes: UnsafePointer<Double>
    /// One case weight cᵢ ≥ 0 per row, or nil for all 1.
    package let weights: UnsafePointer<Double>?

    package init(
        rows: Int, values: UnsafePointer<Double>, outcomes: UnsafePointer<Double>,
        weights: UnsafePointer<Double>?
    ) {
        self.rows = rows
        self.values = values
        self.outcomes = outcomes
        self.weights = weights
    }
}

/// Rows of a design that a streaming fit reads block by block, once per pass, without the
/// whole design ever being in memory (a CSV file read in row blocks, a database cursor).
///
/// Every call of ``forEachBlock(_:)`` must lend the same rows, in the same order, with the
/// same values: the fit's passes are over one fixed design. Memory is the source's: a block
/// buffer reused from block to block keeps it bounded by the block size.
package protocol DesignBlockSource {
    /// What reading the rows can fail with (I/O, bad cells).
    associatedtype Failure: Error
    /// Term names, one per design column (p of them).
    var names: [String] { get }
    /// The intercept column, not penalised, if there is one.
    var interceptColumn: Int? { get }
    /// Calls `body` with each block of rows in order, then returns.
    mutating func forEachBlock(_ body: (DesignBlockView) -> Void) throws(Failure)
}

/// Why a streaming fit stopped: the source could not deliver its rows, or the model cannot
/// be fitted on them (the same ``FitError`` the in-memory fit throws; its `row` values count
/// rows across blocks from 0).
package enum StreamingFitError<SourceFailure: Error>: Error {
    case source(SourceFailure)
    case fit(FitError)
}
