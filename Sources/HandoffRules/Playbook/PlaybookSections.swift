import Foundation
import Yams

/// Reads the flow sections of a playbook (`routing:`, `sla:`, `dispositions:`, `reps:`) from
/// YAML text, turning decoding failures into ``PlaybookSectionError``s that carry the key path
/// and the line.
package enum PlaybookSections {
    /// Decodes the top-level `section` of `yaml` as `T`. Other top-level keys are ignored (they
    /// belong to other parts of the playbook). Throws when the YAML is malformed, the section
    /// is missing, or the section does not decode.
    package static func decode<T: Decodable>(
        _ type: T.Type, section: String, from yaml: String
    ) throws(PlaybookSectionError) -> T {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PlaybookSectionError(
                section: section, keyPath: section, line: syntaxLine(error),
                problem: "the playbook is not valid YAML (\(error))", fix: "fix the YAML syntax")
        }
        guard let node = root?[section] else {
            throw PlaybookSectionError(
                section: section, keyPath: section, line: nil,
                problem: "the playbook has no `\(section):` section", fix: "add it at the top level")
        }
        do {
            return try YAMLDecoder().decode(Wrapper<T>.self, from: yaml, userInfo: [sectionKey: section]).value
        } catch let error as DecodingError {
            throw PlaybookSections.error(error, section: section, root: root)
        } catch {
            throw PlaybookSectionError(
                section: section, keyPath: section, line: node.mark?.line,
                problem: "\(error)", fix: "")
        }
    }

    /// Converts a decoding failure into an error with key path and line (looked up in `root`).
    package static func error(_ error: DecodingError, section: String, root: Node?) -> PlaybookSectionError {
        var path: [any CodingKey]
        let problem: String
        var fix = ""
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath
            problem = "missing key `\(key.stringValue)`"
            fix = "add `\(key.stringValue):` here"
            let located = locate(path, in: root)
            path.append(key)
            return PlaybookSectionError(section: section, keyPath: render(path), line: located, problem: problem, fix: fix)
        case .typeMismatch(let type, let context):
            path = context.codingPath
            problem = "expected \(describe(type))"
            fix = "write \(describe(type)) here"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            problem = "no value where \(describe(type)) is needed"
            fix = "give a value or remove the key"
        case .dataCorrupted(let context):
            path = context.codingPath
            // Our own messages carry "problem; what to do".
            let parts = context.debugDescription.split(separator: ";", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            problem = parts.first ?? context.debugDescription
            fix = parts.count > 1 ? parts[1] : ""
        @unknown default:
            path = []
            problem = "\(error)"
        }
        return PlaybookSectionError(section: section, keyPath: render(path), line: locate(path, in: root), problem: problem, fix: fix)
    }

    /// `routing.rules[1].field`.
    static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == String(index) || key.stringValue.hasPrefix("Index") {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// The line of the deepest node on `path` that exists in `root` (keys report the key's line).
    static func locate(_ path: [any CodingKey], in root: Node?) -> Int? {
        guard var node = root else { return nil }
        var line = node.mark?.line
        for key in path {
            if let index = key.intValue, let sequence = node.sequence {
                guard index < sequence.count else { break }
                node = sequence[index]
                line = node.mark?.line ?? line
            } else if let mapping = node.mapping,
                let pair = mapping.first(where: { $0.key.string == key.stringValue })
            {
                line = pair.key.mark?.line ?? line
                node = pair.value
            } else {
                break
            }
        }
        return line
    }

    static func syntaxLine(_ error: any Error) -> Int? {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
                return mark.line
            default:
                return nil
            }
        }
        return nil
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a text value"
        default:
            String(describing: type).hasPrefix("Array")
                ? "a list" : (String(describing: type).hasPrefix("Dictionary") ? "a mapping" : "a \(type) value")
        }
    }

    static let sectionKey: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "baton.playbook.section") else {
            preconditionFailure("a non-empty raw value always makes a CodingUserInfoKey")
        }
        return key
    }()

    /// Decodes only the named section so the coding path starts at the section key.
    struct Wrapper<T: Decodable>: Decodable {
        let value: T
        init(from decoder: any Decoder) throws {
            let name = decoder.userInfo[PlaybookSections.sectionKey] as? String ?? ""
            let container = try decoder.container(keyedBy: PlaybookKey.self)
            value = try container.decode(T.self, forKey: PlaybookKey(name))
        }
    }
}
