import HandoffPersistence

/// Why a data set could not be imported into a hand-off store, with what to do about it.
package enum StoreImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Olist reader refused a file (unreadable, a missing column, a duplicate or empty MQL id,
    /// a bad first-contact date); it names the file, line and column.
    case olistImport(OlistImportError)
    /// An imported row the store cannot take; `row` is the 1-based line of the file.
    case badRow(file: String, row: Int, column: String, reason: String)
    /// The store failed.
    case store(StoreError)

    /// True for bad input data (exit code 65).
    package var isBadData: Bool {
        switch self {
        case .badRow, .olistImport: true
        case .store: false
        }
    }

    package var description: String {
        switch self {
        case let .olistImport(error):
            error.description
        case let .badRow(file, row, column, reason):
            "\(file) line \(row), column '\(column)': \(reason); fix or remove the row"
        case let .store(error):
            "store: \(error.description)"
        }
    }
}
