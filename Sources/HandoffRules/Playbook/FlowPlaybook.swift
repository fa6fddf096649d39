import Foundation
import ScoringModelFormat

/// The rep-facing sections of a playbook, read together so cross-references (a rep's holiday
/// list) are checked: `routing:` and `reps:` are required, `sla:` and `dispositions:` default
/// to the standard policies and codes. Other top-level keys are left to the rest of the playbook.
package struct FlowPlaybook: Sendable, Hashable {
    package let routing: RoutingPolicy
    package let sla: SLAPolicies
    package let dispositions: DispositionPolicy
    package let roster: RepRoster
    /// How duplicates of one person become one lead (section `merge:`; defaults without it).
    package let merge: MergePolicy

    package init(routing: RoutingPolicy, sla: SLAPolicies, dispositions: DispositionPolicy, roster: RepRoster, merge: MergePolicy = MergePolicy()) {
        self.routing = routing
        self.sla = sla
        self.dispositions = dispositions
        self.roster = roster
        self.merge = merge
    }

    /// Reads the four sections from playbook YAML; every error carries `file`, the line and the
    /// key path (`reps[2].time_zone`).
    package static func parse(yaml: String, file: String = "playbook") throws(PlaybookError) -> FlowPlaybook {
        let reader = PlaybookReader(file: file)
        guard let root = try reader.compose(yaml) else { throw .missingSection(file: file, section: "routing") }
        let top = try reader.entries(reader.root(root), allowed: nil)
        guard let routingEntry = top["routing"] else { throw .missingSection(file: file, section: "routing") }
        let routing = try RoutingPolicy.read(routingEntry, reader: reader)
        let sla = try reader.given(top, "sla").map { (entry) throws(PlaybookError) in try SLAPolicies.read(entry, reader: reader) } ?? SLAPolicies()
        let dispositions =
            try reader.given(top, "dispositions").map { (entry) throws(PlaybookError) in try DispositionPolicy.read(entry, reader: reader) }
            ?? DispositionPolicy()
        guard let repsEntry = top["reps"] else { throw .missingSection(file: file, section: "reps") }
        var specs: [RepSpec] = []
        for item in try reader.items(repsEntry) { specs.append(try RepSpec.read(item, reader: reader)) }
        let roster = try RepSpec.resolve(specs, holidays: sla.holidays, defaultHours: sla.workingHours, file: file)
        for rep in sla.touchesFrom.sorted() where roster.rep(rep) == nil {
            throw .invalid(
                file: file, line: sla.touchesFromLine ?? 0, key: "sla.touches_from",
                problem: "names rep `\(rep)`, who is not under `reps:`; list rep ids only (\(roster.ids.joined(separator: ", ")))")
        }
        let merge =
            try reader.given(top, "merge").map { (entry) throws(PlaybookError) in try MergePolicy.read(entry, reader: reader) } ?? MergePolicy()
        return FlowPlaybook(routing: routing, sla: sla, dispositions: dispositions, roster: roster, merge: merge)
    }

    /// A router over this playbook's rules and reps, starting from `state`.
    package func router(state: RoundRobinState = RoundRobinState()) -> Router {
        Router(policy: routing, roster: roster, state: state)
    }

    /// The SLA state machine for this playbook.
    package var slaClock: SLAClock { SLAClock(policies: sla, roster: roster, dispositions: dispositions) }
}
