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

extension DecodingError {
    /// The JSON path of the offending member, e.g. `[2].occurred_at` or `fields`.
    var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case let .keyNotFound(key, ctx): path = ctx.codingPath + [key]
        case let .typeMismatch(_, ctx), let .valueNotFound(_, ctx), let .dataCorrupted(ctx): path = ctx.codingPath
        @unknown default: path = []
        }
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return text.isEmpty ? "(body)" : text
    }

    /// What is wrong, without the value itself (it may be personal data).
    var problem: String {
        switch self {
        case .keyNotFound: return "is required"
        case let .typeMismatch(type, _): return "has the wrong type (expected \(Self.typeName(type)))"
        case let .valueNotFound(type, _): return "must not be null (expected \(Self.typeName(type)))"
        case let .dataCorrupted(ctx):
            if let underlying = ctx.underlyingError { return "is not valid JSON (\(underlying.localizedDescription))" }
            return ctx.debugDescription
        @unknown default: return "is invalid"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is Bool.Type: "true/false"
        default: type is [Any].Type ? "an array" : (type is [String: Any].Type ? "an object" : "\(type)")
        }
    }
}
