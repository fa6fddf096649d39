import BatonSupport
import Foundation

/// Everything that can go wrong reading a lead table. Every case names the file; cases about
/// one cell also name the 1-based physical line of the file and the column. `description`
/// says what went wrong and what to do about it.
package enum LeadTableError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// A pipe, a FIFO, a socket or a device: a table is read more than once (header, then parts
    /// on all cores, a checksum), which only a regular file allows; opening a FIFO would block.
    case notRegularFile(file: String)
    /// The file has no bytes (or only a byte-order mark / blank lines).
    case emptyFile(file: String)
    /// The file has a header line but no data rows.
    case noDataRows(file: String, header: [String])
    /// The header line mixes `,` `;` and tab, and more than one of them splits it into
    /// columns that include every requested name.
    case ambiguousDelimiter(file: String, candidates: [String])
    /// A header name occurs more than once and a request names it.
    case duplicateHeader(file: String, column: String)
    /// A requested column is not in the header.
    case unknownColumn(file: String, column: String, suggestions: [String], header: [String])
    /// A data row has a different number of fields than the header.
    case wrongFieldCount(file: String, line: Int, found: Int, expected: Int)
    /// A quoted field is never closed.
    case unterminatedQuote(file: String, line: Int)
    /// A closing quote is followed by something other than a delimiter or line end.
    case textAfterClosingQuote(file: String, line: Int, column: String)
    /// A numeric cell that is not a decimal number.
    case notANumber(file: String, line: Int, column: String, value: String)
    /// A numeric cell that is a number too large for a Double, or infinity / NaN.
    case nonFiniteNumber(file: String, line: Int, column: String, value: String)
    /// A numeric cell beyond ±10¹⁵ (`largestLeadNumber`, the scorer's bound too).
    case numberTooLarge(file: String, line: Int, column: String, value: String)

    /// The file the error is about.
    package var file: String {
        switch self {
        case let .unreadable(file, _), let .notRegularFile(file), let .emptyFile(file), let .noDataRows(file, _),
            let .ambiguousDelimiter(file, _), let .duplicateHeader(file, _),
            let .unknownColumn(file, _, _, _), let .wrongFieldCount(file, _, _, _),
            let .unterminatedQuote(file, _), let .textAfterClosingQuote(file, _, _),
            let .notANumber(file, _, _, _), let .nonFiniteNumber(file, _, _, _), let .numberTooLarge(file, _, _, _):
            return file
        }
    }

    package var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason)). Check the path and its permissions."
        case let .notRegularFile(file):
            return InputFile.message(.notRegular, path: file, role: "CSV")
        case let .emptyFile(file):
            return "\(file): the file is empty. Export the table again with a header line and at least one data row."
        case let .noDataRows(file, header):
            return "\(file): the file has a header line (\(header.count) columns) but no data rows. Export the rows too, or point at the right file."
        case let .ambiguousDelimiter(file, candidates):
            return
                "\(file): the header line can be split on \(candidates.joined(separator: " or ")); cannot tell which is the delimiter. Quote header names that contain delimiter characters, or pass the delimiter explicitly."
        case let .duplicateHeader(file, column):
            return "\(file): the header names column \"\(column)\" more than once. Rename one of them so the column to use is unambiguous."
        case let .unknownColumn(file, column, suggestions, header):
            let hint =
                suggestions.isEmpty
                ? "The header has: \(header.map { "\"\($0)\"" }.joined(separator: ", "))."
                : "Did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: " or "))?"
            return
                "\(file): no column named \"\(column)\" in the header. \(hint) Fix the name in the spec (names are case-sensitive; surrounding spaces are trimmed)."
        case let .wrongFieldCount(file, line, found, expected):
            return
                "\(file) line \(line): \(found) field\(found == 1 ? "" : "s") but the header has \(expected). Quote fields that contain the delimiter (\"like, this\"), double quotes inside quoted fields (\"\"), or fix the row."
        case let .unterminatedQuote(file, line):
            return
                "\(file) line \(line): a quoted field starts here and is never closed. Close the quote, or double quotes that are part of the text (\"\")."
        case let .textAfterClosingQuote(file, line, column):
            return
                "\(file) line \(line), column \"\(column)\": text follows the closing quote of a quoted field. Double quotes that are part of the text (\"\") or quote the whole field."
        case let .notANumber(file, line, column, value):
            var hint = "Fix the cell, leave it empty for a missing value, or declare the column categorical."
            if value.contains(","), value.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." || $0 == "-" || $0 == "+" }) {
                hint = "Write numbers with a decimal point and no thousands separators (1234.5)."
            } else if ["na", "n/a", "nan", "null", "none", "-"].contains(value.lowercased()) {
                hint = "Leave the cell empty for a missing value (\"\(value)\" is not read as missing)."
            }
            return "\(file) line \(line), column \"\(column)\": \"\(value)\" is not a number. \(hint)"
        case let .nonFiniteNumber(file, line, column, value):
            return
                "\(file) line \(line), column \"\(column)\": \"\(value)\" is not a finite number. Use a finite value or leave the cell empty for a missing value."
        case let .numberTooLarge(file, line, column, value):
            return
                "\(file) line \(line), column \"\(column)\": \"\(value)\" is beyond ±10^15, larger than any lead count or amount. Check the export (a shifted column or a unit?), or leave the cell empty for a missing value."
        }
    }
}
