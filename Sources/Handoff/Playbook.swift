import Foundation
import Yams

/// The hand-off playbook (YAML): how leads are qualified, and (in other sections) routed,
/// timed and closed out.
///
/// This type reads the `qualification:` section (see ``QualificationPlaybook``). The top-level
/// keys `routing:`, `sla:` and `dispositions:` belong to other parts of the hand-off and are
/// skipped here, as is any other top-level key — except a near-miss of a section name this type
/// reads (`qualfication:`), which is an error with a "did you mean" hint. Keys inside
/// `qualification:` are checked strictly.
public struct Playbook: Sendable, Equatable {
    /// The file name used in messages.
    public var file: String
    /// The qualification rules, when the playbook has them.
    public var qualification: QualificationPlaybook?

    public init(file: String, qualification: QualificationPlaybook? = nil) {
        self.file = file
        self.qualification = qualification
    }

    /// Top-level sections this build knows about (read here or by other parts of the hand-off).
    public static let knownSections = ["qualification", "routing", "sla", "dispositions"]

    /// Parses playbook YAML; `file` names it in messages.
    public static func parse(yaml: String, file: String) throws(PlaybookError) -> Playbook {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PlaybookReader.syntaxError(error, file: file)
        }
        var playbook = Playbook(file: file)
        guard let root else { return playbook }
        let reader = PlaybookReader(file: file)
        let top = try reader.entries(root, key: "", allowed: nil)
        for (name, entry) in top where !knownSections.contains(name) {
            if let near = PlaybookReader.nearest(name, knownSections), PlaybookReader.editDistance(name, near) <= 2 {
                throw .unknownKey(file: file, line: entry.line, key: name, suggestion: near, allowed: knownSections)
            }
        }
        if let entry = top["qualification"] {
            playbook.qualification = try QualificationPlaybook.read(entry, reader: reader)
        }
        return playbook
    }

    /// Reads and parses the playbook at `url`.
    public static func load(url: URL) throws(PlaybookError) -> Playbook {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try parse(yaml: text, file: url.lastPathComponent)
    }
}
