import Foundation
import HandoffStore

/// What went wrong in a review or an import, with what to do about it.
public enum AnalyticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--week` is not `YYYY-Www` with a week that exists in that ISO year.
    case invalidWeek(String, reason: String)
    /// `--month` is not `YYYY-MM` with a month 01…12.
    case invalidMonth(String, reason: String)
    /// `--time-zone` is not an IANA zone name.
    case unknownTimeZone(String)
    /// A CSV file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A CSV row lacks a column, or a value does not parse.
    case badRow(file: String, row: Int, column: String, reason: String)
    /// A CSV header lacks a required column.
    case missingColumn(file: String, column: String)
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
        case .badRow, .missingColumn: true
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
        case let .unreadableFile(path, reason):
            "\(path): cannot be read (\(reason)); check the path and permissions"
        case let .badRow(file, row, column, reason):
            "\(file) row \(row), column '\(column)': \(reason); fix or remove the row"
        case let .missingColumn(file, column):
            "\(file): the header has no column '\(column)'; is this the right file?"
        case let .store(error):
            "store: \(error.description)"
        case let .cannotWrite(path, reason):
            "\(path): cannot write the report (\(reason)); check that the parent folder exists and is writable"
        case let .chart(name, reason):
            "chart '\(name)' could not be drawn: \(reason)"
        }
    }
}
