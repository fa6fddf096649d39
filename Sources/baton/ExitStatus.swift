import ArgumentParser
import DatasetImport
import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffRules
import HandoffServer
import LabTraining
import Recalibration

/// The exit statuses of every `baton` command, named as in BSD's sysexits.h. `baton --help` and
/// the README list them; scripts and supervisors depend on the numbers.
enum ExitStatus: Int32, Sendable {
    /// The command did what it was asked.
    case success = 0
    /// Anything not covered below (an output that cannot be written, a store that fails mid-run).
    case failure = 1
    /// EX_USAGE: a flag, a path or a `--db` URL is wrong; nothing was read.
    case usage = 64
    /// EX_DATAERR: an input's content is refused (CSV, spec, weight file, playbook, event log, store).
    case dataError = 65
    /// EX_UNAVAILABLE: the database server cannot be reached; a supervisor may retry.
    case unavailable = 69
    /// EX_CANTCREAT: an output file cannot be created.
    case cannotCreate = 73
}

/// An error a command reports by its description and ends with its exit status. The conformances
/// below are the one place that maps a module's errors to exit statuses.
protocol CommandError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}

/// Prints `error: <message>` to standard error and ends the process with `status`.
func fail(_ message: String, _ status: ExitStatus) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(status.rawValue)
}

/// Prints the error's description to standard error and ends the process with its status.
func fail(_ error: some CommandError) -> Never {
    fail(error.description, error.exitStatus)
}

extension LabError: CommandError {
    /// Missing input files are usage mistakes, bad content is bad data, a failed write is other.
    var exitStatus: ExitStatus {
        switch self {
        case .fileNotFound, .notRegularFile: return .usage
        default: break
        }
        return isBadData ? .dataError : .failure
    }
}

extension PlaybookError: CommandError {
    /// A playbook that is refused is bad data (a missing file is caught before, as a usage mistake).
    var exitStatus: ExitStatus { .dataError }
}

extension RecalibrationError: CommandError {
    var exitStatus: ExitStatus {
        if case let .lab(error) = self { return error.exitStatus }
        if case .outputExists = self { return .cannotCreate }
        return isBadData ? .dataError : .failure
    }
}

extension StoreError: CommandError {
    /// For a store that could not be parsed or opened: unavailable when the server cannot be
    /// reached, usage for a malformed `--db` value, bad data for anything the store refuses (not a
    /// database, a schema from a newer Baton, a refused login or a missing database).
    var exitStatus: ExitStatus {
        switch self {
        case .unavailable: .unavailable
        case .invalidField: .usage
        default: .dataError
        }
    }
}

extension ServiceError: CommandError {
    /// `baton serve`: usage for configuration, the store's own status for a store that cannot be
    /// opened, bad data for a playbook, model or token file the service refuses.
    var exitStatus: ExitStatus {
        switch self {
        case .configuration: .usage
        case .store(let error): error.exitStatus
        case .engine, .noModel, .tokens: .dataError
        }
    }
}

extension AnalyticsError: CommandError {
    var exitStatus: ExitStatus { isUsage ? .usage : .failure }
}

extension StoreImportError: CommandError {
    var exitStatus: ExitStatus { isBadData ? .dataError : .failure }
}

extension OlistImportError: CommandError {
    var exitStatus: ExitStatus {
        if case .output = self { return .failure }
        return .dataError
    }
}
