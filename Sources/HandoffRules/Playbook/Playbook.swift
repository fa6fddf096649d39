import BatonSupport
import Conversations
import Foundation
import ScoringModelFormat
import Yams

/// The hand-off playbook (YAML): how leads are qualified, and (in other sections) routed,
/// timed and closed out.
///
/// One playbook file holds every section: `qualification:` (see ``QualificationPlaybook``) and
/// the flow sections `routing:`, `reps:`, `sla:` and `dispositions:` (see ``FlowPlaybook``),
/// read by ``requireFlow()``. Any other top-level key is skipped —
/// except a near-miss of a section name (`qualfication:`), which is an error with a "did you
/// mean" hint. Keys inside every section are checked strictly, and every problem is a
/// ``PlaybookError`` with the file, line and key path, so callers handle one error type.
package struct Playbook: Sendable, Equatable {
    /// The file name used in messages.
    package var file: String
    /// The qualification rules, when the playbook has them.
    package var qualification: QualificationPlaybook?
    /// Routing rules, reps, SLA policies and disposition codes given in code (``requireFlow()`` reads them from the YAML otherwise).
    package var flow: FlowPlaybook?
    /// The `trackers:` section (``ConversationTrackers``): what to listen for in conversations.
    package var trackers: [Tracker] = []

    package init(file: String, qualification: QualificationPlaybook? = nil, flow: FlowPlaybook? = nil) {
        self.file = file
        self.qualification = qualification
        self.flow = flow
    }

    /// Top-level sections this build knows about.
    package static let knownSections = ["qualification", "routing", "sla", "dispositions", "reps", "trackers", "merge"]

    /// The YAML text, kept when it has flow sections so ``requireFlow()`` can read them.
    var source: String?

    /// The flow sections (`routing:`, `reps:`, `sla:`, `dispositions:`), read strictly on first
    /// need: the scorer and qualifier use a playbook whose other sections are drafts, the engine
    /// needs them whole.
    /// - Throws: ``PlaybookError/missingSection(file:section:)`` without `routing:`/`reps:`, and
    ///   the file, line and key path of any flow-section problem.
    package func requireFlow() throws(PlaybookError) -> FlowPlaybook {
        if let flow { return flow }
        guard let source else { throw .missingSection(file: file, section: "routing") }
        return try FlowPlaybook.parse(yaml: source, file: file)
    }

    /// Parses playbook YAML; `file` names it in messages.
    package static func parse(yaml: String, file: String) throws(PlaybookError) -> Playbook {
        let reader = PlaybookReader(file: file)
        var playbook = Playbook(file: file)
        guard let root = try reader.compose(yaml) else { return playbook }
        let top = try reader.entries(reader.root(root), allowed: nil)
        for (name, entry) in top where !knownSections.contains(name) {
            if let near = NearestName.closest(to: name, among: knownSections), NearestName.editDistance(name, near) <= 2 {
                throw .yaml(.unknownKey(file: file, line: entry.line, key: name, suggestion: near, allowed: knownSections))
            }
        }
        if let entry = top["qualification"] {
            playbook.qualification = try QualificationPlaybook.read(entry, reader: reader)
        }
        if let entry = top["trackers"] { playbook.trackers = try ConversationTrackers.read(entry, reader: reader) }
        if top["routing"] != nil || top["reps"] != nil { playbook.source = yaml }
        return playbook
    }

    /// Reads and parses the playbook at `url`.
    package static func load(url: URL) throws(PlaybookError) -> Playbook {
        try parse(yaml: try PlaybookReader.text(of: url, document: "playbook"), file: url.lastPathComponent)
    }
}
