import BatonSupport

/// One input column for ``BatchScorer``, as a columnar reader delivers it (in the reader's own
/// storage: the scorer reads it where it is).
public enum BatchColumn: Sendable {
    /// Numbers, one per row; `missing[i]` marks an empty cell (its value is ignored).
    case numeric(values: ColumnStorage<Double>, missing: ColumnStorage<Bool>)
    /// Dictionary-encoded text: row `i` holds `levels[Int(codes[i])]` (trimmed; `""` = empty).
    case text(codes: ColumnStorage<Int32>, levels: [String])

    /// A numeric column from arrays.
    public static func numeric(values: [Double], missing: [Bool]) -> BatchColumn {
        .numeric(values: ColumnStorage(values), missing: ColumnStorage(missing))
    }

    /// A text column from an array of codes.
    public static func text(codes: [Int32], levels: [String]) -> BatchColumn {
        .text(codes: ColumnStorage(codes), levels: levels)
    }

    var count: Int {
        switch self {
        case .numeric(let values, _): return values.count
        case .text(let codes, _): return codes.count
        }
    }
}
