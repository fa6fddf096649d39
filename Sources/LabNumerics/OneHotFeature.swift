/// A categorical feature's one-hot columns in a design and each row's level, as the encoder
/// that built the design knows them.
///
/// Passed to ``LogisticRegression/fit(_:outcomes:weights:oneHot:options:)``, it lets the fit take
/// the dummies as level codes (one small integer per row) without scanning X to find them.
package struct OneHotFeature: Sendable, Equatable {
    /// Design columns of the dummies: level k (1-based) is the row having `columns[k - 1]` = 1.
    package var columns: [Int]
    /// Per row: 0 for the baseline (every dummy 0), k when `columns[k - 1]` is 1.
    package var levels: [UInt16]

    /// - Precondition: every level is at most `columns.count`, and row i of the design has
    ///   exactly `columns[levels[i] - 1]` set among `columns` (none when the level is 0).
    package init(columns: [Int], levels: [UInt16]) {
        self.columns = columns
        self.levels = levels
    }
}
