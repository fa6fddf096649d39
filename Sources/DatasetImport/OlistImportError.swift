import BatonSupport
import LeadCSV

/// A problem importing the Olist marketing-funnel files. Every case names the file; cases about
/// one row name its 1-based line and the column. `description` says what is wrong and what to do.
package enum OlistImportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read as a CSV table (missing file, bad quoting, wrong field count, ...).
    case table(LeadTableError)
    /// A column the import needs is not in the header (renamed or dropped by an export).
    case missingColumn(file: String, column: String, role: String, suggestions: [String], header: [String])
    /// An MQL id occurs on two lines of the MQL file.
    case duplicateMQL(file: String, line: Int, firstLine: Int, mqlID: String)
    /// An MQL row without an id.
    case emptyMQLID(file: String, line: Int, column: String)
    /// A first-contact date that is not `YYYY-MM-DD` (a real calendar date).
    case badDate(file: String, line: Int, column: String, value: String)
    /// Writing the lead table or the spec failed.
    case output(path: String, detail: String)

    package var description: String {
        switch self {
        case let .table(error):
            return error.description
        case let .missingColumn(file, column, role, suggestions, header):
            let hint = suggestions.isEmpty ? "" : " Did you mean \(quoted(suggestions))?"
            return
                "\(file) line 1 (header): no column \"\(column)\" (\(role)).\(hint) The header has \(quoted(header)). The Olist export names it \"\(column)\"; rename the column back (names are case-sensitive) or point --mqls / --deals at the unmodified Kaggle file."
        case let .duplicateMQL(file, line, firstLine, mqlID):
            return
                "\(file) line \(line): MQL id \"\(mqlID)\" already appeared on line \(firstLine). Each MQL must occur once, or the join with the closed deals is ambiguous; remove the duplicate row."
        case let .emptyMQLID(file, line, column):
            return
                "\(file) line \(line), column \"\(column)\": the MQL id is empty, so the lead cannot be joined with its deal. Fill in the id or remove the row."
        case let .badDate(file, line, column, value):
            return
                "\(file) line \(line), column \"\(column)\": \"\(value)\" is not a date YYYY-MM-DD. Fix the cell (a spreadsheet may have re-formatted the dates; re-export them as ISO dates)."
        case let .output(path, detail):
            return "cannot write \(path): \(detail); check the folder exists and is writable"
        }
    }
}
