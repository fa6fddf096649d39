import BatonSupport
import Foundation
import Yams

/// One value of a YAML mapping or list as it was written: its key path from the top of the
/// file (`reps[0].time_zone`), the 1-based line of its key (or of the item), and the node.
package struct YAMLEntry: @unchecked Sendable {
    package let key: String
    package let line: Int
    package let value: Node

    package init(key: String, line: Int, value: Node) {
        self.key = key
        self.line = line
        self.value = value
    }

    /// A plain (unquoted) YAML null: nothing, `~` or `null`. A quoted `""` is an empty string.
    package var isNull: Bool {
        guard let scalar = value.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

/// The one way Baton reads its YAML files (scoring spec, playbook): it walks the Yams node
/// tree and checks every key, so that every error carries the file, the line and the key path,
/// and is thrown as the document's own error type (`Failure`, which wraps ``YAMLFileError``).
///
/// Scalars are read as the literal text written: `positive: [yes, 1]` is the text `yes` and
/// the text `1`, never a boolean and an integer (YAML 1.1's "Norway problem" cannot happen).
package struct YAMLReader<Failure: YAMLDocumentError>: Sendable {
    /// The file name used in messages.
    package let file: String

    package init(file: String) { self.file = file }

    /// The text of the file at `url`; `document` ("spec", "playbook") names it in the error.
    package static func text(of url: URL, document: String) throws(Failure) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .yaml(.unreadable(file: url.path, document: document, reason: (error as NSError).localizedDescription))
        }
    }

    /// The root node of `yaml` (nil for an empty document).
    package func compose(_ yaml: String) throws(Failure) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                let .composer(context, problem, mark, _):
                let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                throw .yaml(.syntax(file: file, line: mark.line, problem: text))
            default:
                throw .yaml(.syntax(file: file, line: 1, problem: "\(error)"))
            }
        } catch {
            throw .yaml(.syntax(file: file, line: 1, problem: "\(error)"))
        }
    }

    /// The root as an entry with an empty key path.
    package func root(_ node: Node) -> YAMLEntry { YAMLEntry(key: "", line: line(node), value: node) }

    package func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// The entries of a mapping by key, every key checked for duplicates and, with `allowed`,
    /// against that list (an unknown key gets a "did you mean" hint).
    package func entries(_ entry: YAMLEntry, allowed: [String]?) throws(Failure) -> [String: YAMLEntry] {
        try orderedEntries(entry, allowed: allowed).reduce(into: [:]) { $0[$1.name] = $1.entry }
    }

    /// The entries of a mapping in the order written, checked as in ``entries(_:allowed:)``.
    package func orderedEntries(_ entry: YAMLEntry, allowed: [String]?) throws(Failure) -> [(name: String, entry: YAMLEntry)] {
        guard let mapping = entry.value.mapping else {
            throw .yaml(
                .wrongShape(
                    file: file, line: entry.line, key: entry.key.isEmpty ? "the top level" : entry.key,
                    expected: "a mapping (`key: value` lines or `{key: value}`)"))
        }
        var result: [(name: String, entry: YAMLEntry)] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                throw .yaml(.wrongShape(file: file, line: line(keyNode), key: entry.key, expected: "a mapping with plain keys"))
            }
            let path = entry.key.isEmpty ? name : "\(entry.key).\(name)"
            if let allowed, !allowed.contains(name) {
                throw .yaml(
                    .unknownKey(
                        file: file, line: line(keyNode), key: path, suggestion: NearestName.closest(to: name, among: allowed),
                        allowed: allowed))
            }
            guard seen.insert(name).inserted else { throw .yaml(.duplicateKey(file: file, line: line(keyNode), key: path)) }
            result.append((name, YAMLEntry(key: path, line: line(keyNode), value: value)))
        }
        return result
    }

    /// The entry for `name`, unless it is absent or a plain null (`key:` with nothing, `~`).
    package func given(_ fields: [String: YAMLEntry], _ name: String) -> YAMLEntry? {
        guard let entry = fields[name], !entry.isNull else { return nil }
        return entry
    }

    /// A required key `name` that is absent from the mapping at `entry`; `hint` says what to write.
    package func missing(_ name: String, in entry: YAMLEntry, hint: String) -> Failure {
        .yaml(.missingKey(file: file, line: entry.line, key: entry.key.isEmpty ? name : "\(entry.key).\(name)", hint: hint))
    }

    /// The items of a list, each keyed `key[i]` with its own line.
    package func items(_ entry: YAMLEntry, expected: String = "a list (`- …` lines or `[…]`)") throws(Failure) -> [YAMLEntry] {
        guard let sequence = entry.value.sequence else {
            throw .yaml(.wrongShape(file: file, line: entry.line, key: entry.key, expected: expected))
        }
        return sequence.enumerated().map { YAMLEntry(key: "\(entry.key)[\($0.offset)]", line: line($0.element), value: $0.element) }
    }

    /// The literal text of a scalar, untrimmed.
    package func literal(_ entry: YAMLEntry) throws(Failure) -> String {
        guard let scalar = entry.value.scalar else {
            throw .yaml(.wrongShape(file: file, line: entry.line, key: entry.key, expected: "a single value"))
        }
        return scalar.string
    }

    /// The text of a scalar, spaces trimmed.
    package func text(_ entry: YAMLEntry) throws(Failure) -> String {
        try literal(entry).trimmingCharacters(in: .whitespaces)
    }

    /// A single value or a list of values, each trimmed.
    package func texts(_ entry: YAMLEntry) throws(Failure) -> [String] {
        if entry.value.scalar != nil { return [try text(entry)] }
        var result: [String] = []
        for item in try items(entry) { result.append(try text(item)) }
        return result
    }

    /// A finite number.
    package func number(_ entry: YAMLEntry) throws(Failure) -> Double {
        let raw = try literal(entry)
        guard let value = Double(raw.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw .yaml(.notANumber(file: file, line: entry.line, key: entry.key, value: raw, wholeNumber: false))
        }
        return value
    }

    /// A whole number (no fraction, within `Int`).
    package func wholeNumber(_ entry: YAMLEntry) throws(Failure) -> Int {
        let raw = try literal(entry)
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw .yaml(.notANumber(file: file, line: entry.line, key: entry.key, value: raw, wholeNumber: true))
        }
        return value
    }

    /// `true` or `false` (also YAML's `yes`/`no`, any case).
    package func flag(_ entry: YAMLEntry) throws(Failure) -> Bool {
        let raw = try text(entry)
        switch raw.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw .yaml(.notAllowed(file: file, line: entry.line, key: entry.key, value: raw, allowed: ["true", "false"]))
        }
    }

    /// One of `cases`, by raw value.
    package func choice<E: RawRepresentable>(_ entry: YAMLEntry, from cases: [E]) throws(Failure) -> E where E.RawValue == String {
        let raw = try text(entry)
        guard let value = cases.first(where: { $0.rawValue == raw }) else {
            throw .yaml(.notAllowed(file: file, line: entry.line, key: entry.key, value: raw, allowed: cases.map(\.rawValue)))
        }
        return value
    }

    /// One of the cases of `E`.
    package func choice<E: RawRepresentable & CaseIterable>(_ entry: YAMLEntry, as: E.Type) throws(Failure) -> E where E.RawValue == String {
        try choice(entry, from: Array(E.allCases))
    }
}
