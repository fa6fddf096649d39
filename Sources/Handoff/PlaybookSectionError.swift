import Foundation

/// A problem in one of the flow sections of a playbook (`routing:`, `sla:`, `dispositions:`,
/// `reps:`): where it is (section, key path such as `reps[2].time_zone`, line when known),
/// what is wrong and what to do.
public struct PlaybookSectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The playbook file, when known (set by the reader that loaded it).
    public var file: String?
    /// The top-level section, e.g. `sla`.
    public let section: String
    /// The dotted key path from the top of the playbook, list positions in brackets.
    public let keyPath: String
    /// 1-based line of the offending key or value, when the YAML text is at hand.
    public var line: Int?
    public let problem: String
    public let fix: String

    public init(section: String, keyPath: String, line: Int?, problem: String, fix: String) {
        self.section = section
        self.keyPath = keyPath
        self.line = line
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        let place = line.map { "line \($0), " } ?? ""
        let action = fix.isEmpty ? "" : "; \(fix)"
        return "\(file ?? "playbook") \(place)`\(keyPath)`: \(problem)\(action)"
    }
}
