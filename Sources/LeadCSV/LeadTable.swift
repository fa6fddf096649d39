import BatonSupport

/// The requested columns of a CSV file, in typed column storage, plus where each data row
/// sits in the file so that later stages can name the line of a bad cell.
package struct LeadTable: Sendable {
    /// The file name used in messages (the path as given).
    package let file: String
    /// Header names, trimmed of surrounding spaces, in file order.
    package let header: [String]
    /// The field delimiter used: `,`, `;` or tab.
    package let delimiter: Delimiter
    /// Number of data rows.
    package let rowCount: Int
    /// 1-based physical line of the file on which data row `i` starts (the header is line 1
    /// unless blank lines precede it).
    package let lineOfRow: ColumnStorage<Int>
    /// Bytes in the file.
    package let byteCount: Int
    /// The numeric columns as one block with spare columns in front, when the reader was
    /// asked for them (``LeadTableReader/read(url:columns:delimiter:spareNumericColumns:)``).
    package var numberBlock: NumberBlock? = nil

    var numericColumns: [String: NumericColumn]
    var textColumns: [String: TextColumn]
    var rawColumns: [String: RawColumn]
    var boundsColumns: [String: BoundsColumn] = [:]

    /// The numeric column `name`.
    /// - Precondition: `name` was requested as `.numeric`.
    package func numeric(_ name: String) -> NumericColumn {
        guard let column = numericColumns[name] else { preconditionFailure("LeadTable: \(name) was not requested as .numeric") }
        return column
    }

    /// The dictionary-encoded text column `name`.
    /// - Precondition: `name` was requested as `.text`.
    package func text(_ name: String) -> TextColumn {
        guard let column = textColumns[name] else { preconditionFailure("LeadTable: \(name) was not requested as .text") }
        return column
    }

    /// The raw text column `name`.
    /// - Precondition: `name` was requested as `.raw`.
    package func raw(_ name: String) -> RawColumn {
        guard let column = rawColumns[name] else { preconditionFailure("LeadTable: \(name) was not requested as .raw") }
        return column
    }

    /// The raw text column `name`, or nil when it was not requested as `.raw`.
    package func rawIfRead(_ name: String) -> RawColumn? { rawColumns[name] }

    /// The least and greatest cell of `name`.
    /// - Precondition: `name` was requested as `.bounds`.
    package func bounds(_ name: String) -> BoundsColumn {
        guard let column = boundsColumns[name] else { preconditionFailure("LeadTable: \(name) was not requested as .bounds") }
        return column
    }

    /// The bounds of `name`, or nil when it was not requested as `.bounds`.
    package func boundsIfRead(_ name: String) -> BoundsColumn? { boundsColumns[name] }
}

/// A CSV field delimiter.
package enum Delimiter: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09

    package var description: String {
        switch self {
        case .comma: return "','"
        case .semicolon: return "';'"
        case .tab: return "tab"
        }
    }
}
