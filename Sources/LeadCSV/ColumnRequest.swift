import BatonSupport

/// Which column to read and into what storage. Columns that no request names are skipped
/// without being materialized.
package enum ColumnRequest: Sendable, Hashable {
    /// Decimal numbers into `[Double]` plus a missing mask (empty cell = missing).
    case numeric(String)
    /// Text, dictionary-encoded: one `Int32` code per row plus the distinct levels.
    case text(String)
    /// Text kept as one `String` per row (ids, timestamps). Use only where needed.
    case raw(String)
    /// Only the least and greatest non-empty cell (``BoundsColumn``), e.g. the time window of
    /// ISO 8601 timestamps; no per-row storage.
    case bounds(String)

    /// The header name requested.
    package var name: String {
        switch self {
        case let .numeric(name), let .text(name), let .raw(name), let .bounds(name): return name
        }
    }
}

/// A numeric column: `values[i]` is the number in data row `i`, or 0 where `missing[i]`.
package struct NumericColumn: Sendable, Equatable {
    package let name: String
    /// One value per data row; 0 where the cell was empty.
    package internal(set) var values: ColumnStorage<Double>
    /// True where the cell was empty (after trimming spaces).
    package internal(set) var missing: ColumnStorage<Bool>
    /// Number of empty cells.
    package internal(set) var missingCount: Int
}

/// A dictionary-encoded text column: row `i` holds `levels[Int(codes[i])]`.
///
/// Cells are trimmed of surrounding spaces and tabs; an empty cell is the level `""`.
/// Levels are in order of first appearance.
package struct TextColumn: Sendable, Equatable {
    package let name: String
    package internal(set) var codes: ColumnStorage<Int32>
    package internal(set) var levels: [String]

    /// The cell text of data row `row`.
    package subscript(row: Int) -> String { levels[Int(codes[row])] }

    /// How many rows hold each level (indexed like `levels`).
    package func levelCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: levels.count)
        for code in codes { counts[Int(code)] += 1 }
        return counts
    }
}

/// A text column with one `String` per row, exactly as written (quotes removed, not trimmed).
package struct RawColumn: Sendable, Equatable {
    package let name: String
    package internal(set) var values: [String]
}

/// The least and greatest non-empty cell of a column, compared as UTF-8 bytes (code point
/// order: for ISO 8601 timestamps of one format, time order). Cells are taken exactly as
/// written (quotes removed, not trimmed), as in ``RawColumn``.
package struct BoundsColumn: Sendable, Equatable {
    package let name: String
    /// nil when every cell is empty.
    package internal(set) var least: String?
    package internal(set) var greatest: String?
}
