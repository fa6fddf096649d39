import Foundation
import HandoffStore
import LabTraining

/// What went wrong in a review or an import, with what to do about it.
public enum AnalyticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--week` is not `YYYY-Www` with a week that exists in that ISO year.
    case invalidWeek(String, reason: String)
    /// `--month` is not `YYYY-MM` with a month 01…12.
    case invalidMonth(String, reason: String)
    /// `--time-zone` is not an IANA zone name.
    case unknownTimeZone(String)
    /// The Olist reader refused a file (unreadable, a missing column, a duplicate or empty MQL id,
    /// a bad first-contact date); it names the file, line and column.
    case olistImport(OlistImportError)
    /// An imported row the store cannot take; `row` is the 1-based line of the file.
    case badRow(file: String, row: Int, column: String, reason: String)
    /// The store failed.
    case store(StoreError)
    /// Writing the report failed.
    case cannotWrite(path: String, reason: String)
    /// A chart could not be drawn.
    case chart(name: String, reason: String)

    /// True for mistakes in the command line (exit code 64).
    public var isUsage: Bool {
        switch self {
        case .invalidWeek, .invalidMonth, .unknownTimeZone: true
        default: false
        }
    }

    /// True for bad input data (exit code 65).
    public var isBadData: Bool {
        switch self {
        case .badRow, .olistImport: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case let .invalidWeek(text, reason):
            "--week '\(text)': \(reason); give an ISO week as YYYY-Www, e.g. 2025-W41 (weeks run Monday to Sunday, W01 holds the year's first Thursday)"
        case let .invalidMonth(text, reason):
            "--month '\(text)': \(reason); give a month as YYYY-MM, e.g. 2025-10"
        case let .unknownTimeZone(name):
            "--time-zone '\(name)' is not a known IANA time zone; use a name such as UTC, Europe/Berlin or America/Sao_Paulo"
        case let .olistImport(error):
            error.description
        case let .badRow(file, row, column, reason):
            "\(file) line \(row), column '\(column)': \(reason); fix or remove the row"
        case let .store(error):
            "store: \(error.description)"
        case let .cannotWrite(path, reason):
            "\(path): cannot write the report (\(reason)); check that the parent folder exists and is writable"
        case let .chart(name, reason):
            "chart '\(name)' could not be drawn: \(reason)"
        }
    }
}
