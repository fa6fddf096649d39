import Foundation
import HandoffPersistence

/// What went wrong in a review, with what to do about it.
package enum AnalyticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--week` is not `YYYY-Www` with a week that exists in that ISO year.
    case invalidWeek(String, reason: String)
    /// `--month` is not `YYYY-MM` with a month 01…12.
    case invalidMonth(String, reason: String)
    /// `--from` or `--to` (named by `flag`) is not a real `YYYY-MM-DD` date.
    case invalidDate(flag: String, text: String, reason: String)
    /// `--to` is before `--from`.
    case invalidRange(from: String, to: String)
    /// `--time-zone` is not an IANA zone name.
    case unknownTimeZone(String)
    /// The store failed.
    case store(StoreError)
    /// Writing the report failed.
    case cannotWrite(path: String, reason: String)
    /// A chart could not be drawn.
    case chart(name: String, reason: String)

    /// True for mistakes in the command line (exit code 64).
    package var isUsage: Bool {
        switch self {
        case .invalidWeek, .invalidMonth, .invalidDate, .invalidRange, .unknownTimeZone: true
        default: false
        }
    }

    package var description: String {
        switch self {
        case let .invalidWeek(text, reason):
            "--week '\(text)': \(reason); give an ISO week as YYYY-Www, e.g. 2025-W41 (weeks run Monday to Sunday, W01 holds the year's first Thursday)"
        case let .invalidMonth(text, reason):
            "--month '\(text)': \(reason); give a month as YYYY-MM, e.g. 2025-10"
        case let .invalidDate(flag, text, reason):
            "\(flag) '\(text)': \(reason); give a day as YYYY-MM-DD, e.g. 2025-10-01"
        case let .invalidRange(from, to):
            "--to '\(to)' is before --from '\(from)'; --to is the last day reviewed (included), so give a day on or after --from"
        case let .unknownTimeZone(name):
            "--time-zone '\(name)' is not a known IANA time zone; use a name such as UTC, Europe/Berlin or America/Sao_Paulo"
        case let .store(error):
            "store: \(error.description)"
        case let .cannotWrite(path, reason):
            "\(path): cannot write the report (\(reason)); check that the parent folder exists and is writable"
        case let .chart(name, reason):
            "chart '\(name)' could not be drawn: \(reason)"
        }
    }
}
