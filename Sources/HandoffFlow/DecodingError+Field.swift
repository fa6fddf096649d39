import Foundation

extension DecodingError {
    /// The JSON path of the offending member, e.g. `[2].occurred_at` or `fields`.
    package var fieldPath: String {
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
    package var problem: String {
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

    package static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is Bool.Type: "true/false"
        default: type is [Any].Type ? "an array" : (type is [String: Any].Type ? "an object" : "\(type)")
        }
    }
}
