/// One input column for ``BatchScorer``, as a columnar reader delivers it.
public enum BatchColumn: Sendable {
    /// Numbers, one per row; `missing[i]` marks an empty cell (its value is ignored).
    case numeric(values: [Double], missing: [Bool])
    /// Dictionary-encoded text: row `i` holds `levels[Int(codes[i])]` (trimmed; `""` = empty).
    case text(codes: [Int32], levels: [String])

    var count: Int {
        switch self {
        case .numeric(let values, _): return values.count
        case .text(let codes, _): return codes.count
        }
    }
}
