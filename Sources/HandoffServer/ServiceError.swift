import Foundation
import HandoffFlow
import HandoffPersistence

/// Why the service could not start (configuration, store, playbook, model, tokens). `baton serve`
/// maps each case to its exit status.
package enum ServiceError: Error, Sendable, CustomStringConvertible {
    /// A setting is missing or wrong; `key` names it (file key or environment variable).
    case configuration(file: String?, key: String?, problem: String)
    /// The store could not be opened.
    case store(StoreError)
    /// The engine refused the playbook or model.
    case engine(EngineError)
    /// No model to score with: neither in the registry nor given.
    case noModel
    /// An old token file (from before tokens lived in the store) could not be imported.
    case tokens(file: String, problem: String)

    package var description: String {
        switch self {
        case let .configuration(file, key, problem):
            let place = [file, key.map { "`\($0)`" }].compactMap { $0 }.joined(separator: " ")
            return "configuration \(place.isEmpty ? "" : place + " ")\(problem)."
        case .store(let error): return error.description
        case .engine(let error): return error.description
        case .noModel:
            return
                "no weight file is in production in this store. Start with --model FILE (a `baton fit` weight file); it is registered and promoted on first start."
        case let .tokens(file, problem):
            return "token file \(file): \(problem). Check its permissions and content, or delete it to start with a new admin token."
        }
    }
}
