import BatonSupport
import Foundation
import ScoringModelFormat
import Yams

/// Walks a playbook's Yams node tree, checking every key, so that errors carry lines and keys.
/// Other playbook sections reuse it.
struct PlaybookReader {
    let file: String

    typealias Entry = (key: String, line: Int, value: Node)

    static let testKeys = ["in", "not_in", "equals", "not_equals", "at_least", "above", "at_most", "below", "present"]

    static func syntaxError(_ error: Error, file: String) -> PlaybookError {
        if let error = error as? YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                let .composer(context, problem, mark, _):
                let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                return .syntax(file: file, line: mark.line, problem: text)
            default: break
            }
        }
        return .syntax(file: file, line: 1, problem: "\(error)")
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// The entries of a mapping; with `allowed`, every key is checked (unknown → near-name hint).
    func entries(_ node: Node, key: String, allowed: [String]?) throws(PlaybookError) -> [String: Entry] {
        guard let mapping = node.mapping else {
            throw .wrongShape(
                file: file, line: line(node), key: key.isEmpty ? "the top level" : key,
                expected: "a mapping (`key: value` lines or `{key: value}`)")
        }
        var result: [String: Entry] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                throw .wrongShape(file: file, line: line(keyNode), key: key, expected: "a mapping with plain keys")
            }
            let path = key.isEmpty ? name : "\(key).\(name)"
            if let allowed, !allowed.contains(name) {
                throw .unknownKey(file: file, line: line(keyNode), key: path, suggestion: Self.nearest(name, allowed), allowed: allowed)
            }
            guard result[name] == nil else { throw .duplicateKey(file: file, line: line(keyNode), key: path) }
            result[name] = (path, line(keyNode), value)
        }
        return result
    }

    func sequence(_ entry: Entry) throws(PlaybookError) -> [Node] {
        guard let sequence = entry.value.sequence else {
            throw .wrongShape(file: file, line: entry.line, key: entry.key, expected: "a list (`- …` lines or `[…]`)")
        }
        return Array(sequence)
    }

    func text(_ entry: Entry) throws(PlaybookError) -> String {
        guard let scalar = entry.value.scalar else {
            throw .wrongShape(file: file, line: entry.line, key: entry.key, expected: "a single value")
        }
        return scalar.string.trimmingCharacters(in: .whitespaces)
    }

    func texts(_ entry: Entry) throws(PlaybookError) -> [String] {
        if entry.value.scalar != nil { return [try text(entry)] }
        var result: [String] = []
        for (index, node) in try sequence(entry).enumerated() {
            result.append(try text((key: "\(entry.key)[\(index)]", line: line(node), value: node)))
        }
        return result
    }

    func number(_ entry: Entry) throws(PlaybookError) -> Double {
        let raw = try text(entry)
        guard let value = Double(raw), value.isFinite else {
            throw .notANumber(file: file, line: entry.line, key: entry.key, value: raw)
        }
        return value
    }

    func choice<E: RawRepresentable & CaseIterable>(_ entry: Entry, from cases: [E]) throws(PlaybookError) -> E where E.RawValue == String {
        let raw = try text(entry)
        guard let value = cases.first(where: { $0.rawValue == raw }) else {
            throw .notAllowed(file: file, line: entry.line, key: entry.key, value: raw, allowed: cases.map(\.rawValue))
        }
        return value
    }

    /// The closest allowed name for "did you mean" (ScoringModelFormat's one implementation).
    static func nearest(_ name: String, _ allowed: [String]) -> String? {
        NearestName.closest(to: name, among: allowed)
    }
}
