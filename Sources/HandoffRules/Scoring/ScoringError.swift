import ScoringModelFormat

/// Why a lead (or a file of leads) could not be scored. Cases name the lead, file, line and
/// column; `description` says what went wrong and what to do.
public enum ScoringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The weight file could not be loaded (wrong format, newer version, checksum mismatch, …).
    case weightFile(WeightFileError)
    /// The lead lacks fields the weight file needs (all of them listed, in model order).
    case missingFields(lead: String, fields: [String])
    /// A field's value cannot be encoded (not a number, empty under `missing: error`, …).
    case badValue(lead: String, column: String, error: CellEncodingError)
    /// The data file lacks columns the weight file needs (all of them listed, in model order).
    case missingColumns(file: String, columns: [String])
    /// A cell of a data file cannot be encoded; `line` is the 1-based line of the file.
    case badCell(file: String, line: Int, column: String, error: CellEncodingError)

    public var description: String {
        switch self {
        case let .weightFile(error):
            return error.description
        case let .missingFields(lead, fields):
            let list = fields.map { "\"\($0)\"" }.joined(separator: ", ")
            return
                "lead \(lead): missing \(fields.count == 1 ? "field" : "fields") \(list) that the weight file needs; add \(fields.count == 1 ? "it" : "them") to the lead (an empty value counts as missing for numeric fields unless the spec says `missing: zero` or `indicator`)"
        case let .badValue(lead, _, error):
            return "lead \(lead): \(error.problem)"
        case let .missingColumns(file, columns):
            let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            return
                "\(file): no \(columns.count == 1 ? "column" : "columns") \(list), which the weight file needs; add \(columns.count == 1 ? "it" : "them") to the header (names are case-sensitive), or score with the model fitted on this file's columns"
        case let .badCell(file, line, _, error):
            return "\(file) line \(line): \(error.problem)"
        }
    }
}
