/// A problem in the structure of a YAML file that Baton reads (a scoring spec, a playbook):
/// the one error type of ``YAMLReader``. Each case names the file, the 1-based line and the
/// key (as a path like `features[2].min_count` or `reps[0].time_zone`); `description` says what
/// is wrong and what to do. A document's own rules (a feature listed twice, a rep on an unknown
/// time zone) are its error type's other cases; this type is wrapped in them.
public enum YAMLFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read; `document` says what it was meant to be ("spec", "playbook").
    case unreadable(file: String, document: String, reason: String)
    /// The YAML itself does not parse.
    case syntax(file: String, line: Int, problem: String)
    /// A value has the wrong shape (e.g. a list where a mapping belongs).
    case wrongShape(file: String, line: Int, key: String, expected: String)
    /// A key the document does not know at this place.
    case unknownKey(file: String, line: Int, key: String, suggestion: String?, allowed: [String])
    /// A key given twice in one mapping.
    case duplicateKey(file: String, line: Int, key: String)
    /// A required key is absent.
    case missingKey(file: String, line: Int, key: String, hint: String)
    /// A value outside a fixed set.
    case notAllowed(file: String, line: Int, key: String, value: String, allowed: [String])
    /// A value that should be a number (or a whole number).
    case notANumber(file: String, line: Int, key: String, value: String, wholeNumber: Bool)

    /// The file named in the message.
    public var file: String {
        switch self {
        case let .unreadable(file, _, _), let .syntax(file, _, _), let .wrongShape(file, _, _, _),
            let .unknownKey(file, _, _, _, _), let .duplicateKey(file, _, _), let .missingKey(file, _, _, _),
            let .notAllowed(file, _, _, _, _), let .notANumber(file, _, _, _, _):
            return file
        }
    }

    /// The 1-based line, when the file could be read.
    public var line: Int? {
        switch self {
        case .unreadable: return nil
        case let .syntax(_, line, _), let .wrongShape(_, line, _, _), let .unknownKey(_, line, _, _, _),
            let .duplicateKey(_, line, _), let .missingKey(_, line, _, _), let .notAllowed(_, line, _, _, _),
            let .notANumber(_, line, _, _, _):
            return line
        }
    }

    /// The key path, when the problem is at a key.
    public var key: String? {
        switch self {
        case .unreadable, .syntax: return nil
        case let .wrongShape(_, _, key, _), let .unknownKey(_, _, key, _, _), let .duplicateKey(_, _, key),
            let .missingKey(_, _, key, _), let .notAllowed(_, _, key, _, _), let .notANumber(_, _, key, _, _):
            return key
        }
    }

    public var description: String {
        switch self {
        case let .unreadable(file, document, reason):
            return "\(file): cannot read the \(document) (\(reason)). Check the path."
        case let .syntax(file, line, problem):
            return "\(file) line \(line): not valid YAML (\(problem)). Check indentation and quoting on or just before that line."
        case let .wrongShape(file, line, key, expected):
            return "\(file) line \(line): `\(key)` must be \(expected)."
        case let .unknownKey(file, line, key, suggestion, allowed):
            let hint = suggestion.map { "Did you mean `\($0)`? " } ?? ""
            return "\(file) line \(line): unknown key `\(key)`. \(hint)Allowed here: \(allowed.joined(separator: ", "))."
        case let .duplicateKey(file, line, key):
            return "\(file) line \(line): `\(key)` is given twice. Keep one."
        case let .missingKey(file, line, key, hint):
            return "\(file) line \(line): `\(key)` is required. \(hint)"
        case let .notAllowed(file, line, key, value, allowed):
            return "\(file) line \(line): `\(key)` cannot be \"\(value)\". Use one of: \(allowed.joined(separator: ", "))."
        case let .notANumber(file, line, key, value, whole):
            return
                "\(file) line \(line): `\(key)` is \"\(value)\", which is not a \(whole ? "whole number" : "number"). Write a plain \(whole ? "integer (e.g. 100)" : "number (e.g. 0.5)")."
        }
    }
}

/// An error type of a YAML document (a spec, a playbook) that holds ``YAMLFileError``s, so one
/// ``YAMLReader`` can throw it directly.
package protocol YAMLDocumentError: Error {
    /// Wraps a structural problem.
    static func yaml(_ error: YAMLFileError) -> Self
}
