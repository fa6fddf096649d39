import Foundation

/// A problem in one of the flow sections of a playbook (`routing:`, `sla:`, `dispositions:`,
/// `reps:`): where it is (section, key path such as `reps[2].time_zone`, line when known),
/// what is wrong and what to do.
package struct PlaybookSectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The playbook file, when known (set by the reader that loaded it).
    package var file: String?
    /// The top-level section, e.g. `sla`.
    package let section: String
    /// The dotted key path from the top of the playbook, list positions in brackets.
    package let keyPath: String
    /// 1-based line of the offending key or value, when the YAML text is at hand.
    package var line: Int?
    package let problem: String
    package let fix: String

    package init(section: String, keyPath: String, line: Int?, problem: String, fix: String) {
        self.section = section
        self.keyPath = keyPath
        self.line = line
        self.problem = problem
        self.fix = fix
    }

    package var description: String {
        let place = line.map { "line \($0), " } ?? ""
        let action = fix.isEmpty ? "" : "; \(fix)"
        return "\(file ?? "playbook") \(place)`\(keyPath)`: \(problem)\(action)"
    }
}
