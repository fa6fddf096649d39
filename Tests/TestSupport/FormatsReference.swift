import Foundation

/// `Notebooks-md/formats.md`, the reference of the playbook, service configuration and hand-off
/// package formats, read the way its tests compare it with the code: the tables of one `## `
/// section, and the fenced blocks in it.
public struct FormatsReference: Sendable {
    public static let relativePath = "Notebooks-md/formats.md"

    public let text: String

    public init() throws {
        let url = SharedData.projectRoot.appendingPathComponent(Self.relativePath)
        text = try String(contentsOf: url, encoding: .utf8)
    }

    /// The lines of the section headed `## title`, up to the next `## ` heading.
    public func section(_ title: String) throws -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: Substring("## \(title)")) else {
            throw SharedDataError("\(Self.relativePath) has no section `## \(title)`")
        }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("## ") } ?? rest.endIndex
        return Array(rest[..<end])
    }

    /// The table rows of a section whose first cell is a backticked name: the cells of each row,
    /// backticks kept, trimmed. Header and separator rows are left out.
    public func rows(_ title: String) throws -> [[String]] {
        try section(title).filter { $0.hasPrefix("| `") }.map { line in
            line.dropFirst().dropLast(line.hasSuffix("|") ? 1 : 0).split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The first cells of ``rows(_:)`` without their backticks, in file order.
    public func names(_ title: String) throws -> [String] {
        try rows(title).map(Self.unquoted)
    }

    /// The contents of the fenced blocks tagged `language` in a section.
    public func blocks(_ title: String, language: String) throws -> [String] {
        var result: [String] = []
        var current: [Substring]?
        for line in try section(title) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if current != nil, line == "```" {
                result.append((current ?? []).joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return result
    }

    /// `` `name` `` → `name`; a cell without backticks stays as it is (`""` for an empty one).
    public static func unquoted(_ row: [String]) -> String { unquoted(row.first ?? "") }

    public static func unquoted(_ cell: String) -> String {
        cell.count >= 2 && cell.hasPrefix("`") && cell.hasSuffix("`") ? String(cell.dropFirst().dropLast()) : cell
    }

    /// A message for two sets that should be equal, naming what only each side has.
    public static func difference(code: Set<String>, documented: Set<String>, what: String) -> String {
        let missing = code.subtracting(documented).sorted(), extra = documented.subtracting(code).sorted()
        var parts: [String] = []
        if !missing.isEmpty { parts.append("the code has \(what) \(Self.relativePath) does not document: \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { parts.append("\(Self.relativePath) documents \(what) the code does not have: \(extra.joined(separator: ", "))") }
        return parts.joined(separator: "; ") + ". Update \(Self.relativePath) to match."
    }
}
