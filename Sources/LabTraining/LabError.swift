import BatonSupport
import LabNumerics
import LabStatistics
import LeadCSV
import ScoringModelFormat

/// Everything that can stop a lab run, with the file it concerns. ``description`` names the
/// file (and, for cell problems, the line and column) and says what to do; ``isBadData``
/// separates bad input (exit 65) from usage mistakes and other failures.
package enum LabError: Error, CustomStringConvertible, Sendable {
    /// A file named on the command line does not exist or cannot be read.
    case fileNotFound(path: String, role: String)
    /// A pipe or a device where a file is read more than once (``InputFile``).
    case notRegularFile(path: String, role: String)
    /// The spec file is not a valid scoring spec.
    case spec(ScoringSpecError)
    /// The CSV and the spec could not be turned into model inputs.
    case data(DataError)
    /// The model cannot be fitted on this data.
    case fit(FitError, file: String, lines: [Int])
    /// The metrics cannot be computed on this data.
    case metrics(MetricsError, file: String)
    /// The weight file cannot be written, read or used.
    case weightFile(WeightFileError)
    /// Writing an output failed.
    case output(path: String, detail: String)
    /// Validation data without the outcome column the model was fitted on.
    case noOutcomeColumn(file: String, column: String)

    /// The error for an input file with `problem` (``InputFile/problem(atPath:)``): a pipe or a
    /// device is named as such, anything else (missing, unreadable, a directory) as not found.
    package static func input(_ problem: InputFile.Problem, path: String, role: String) -> LabError {
        problem == .notRegular ? .notRegularFile(path: path, role: role) : .fileNotFound(path: path, role: role)
    }

    /// True when the input's content is at fault (exit code 65).
    package var isBadData: Bool {
        switch self {
        case .fileNotFound, .notRegularFile, .output: return false
        case .weightFile(.io): return false
        default: return true
        }
    }

    package var description: String {
        switch self {
        case let .fileNotFound(path, role):
            return InputFile.message(.missingOrUnreadable, path: path, role: role)
        case let .notRegularFile(path, role):
            return InputFile.message(.notRegular, path: path, role: role)
        case let .spec(error): return error.description
        case let .data(error): return error.description
        case let .fit(error, file, lines):
            switch error {
            case let .nonFiniteValue(row, term, value) where row < lines.count:
                return "\(file) line \(lines[row]): term \(term) is \(value); fix the cell or use missing: drop_row"
            default:
                return "\(file): cannot fit the model: \(error.description)"
            }
        case let .metrics(error, file):
            return "\(file): cannot compute the validation metrics: \(error.description)"
        case let .weightFile(error): return error.description
        case let .output(path, detail):
            return "cannot write \(path): \(detail); check the folder exists and is writable"
        case let .noOutcomeColumn(file, column):
            return
                "\(file): no outcome column \"\(column)\"; validation needs the closed-won / closed-lost outcome of every lead (use `baton score` for leads without outcomes)"
        }
    }
}
