import Foundation
import Yams

/// The rep-facing sections of a playbook, read together so cross-references (a rep's holiday
/// list) are checked: `routing:` and `reps:` are required, `sla:` and `dispositions:` default
/// to the standard policies and codes. Other top-level keys are left to the rest of the playbook.
package struct FlowPlaybook: Sendable, Hashable {
    package let routing: RoutingPolicy
    package let sla: SLAPolicies
    package let dispositions: DispositionPolicy
    package let roster: RepRoster

    package init(routing: RoutingPolicy, sla: SLAPolicies, dispositions: DispositionPolicy, roster: RepRoster) {
        self.routing = routing
        self.sla = sla
        self.dispositions = dispositions
        self.roster = roster
    }

    /// Reads the four sections from playbook YAML; errors carry `file`, the key path and line.
    package static func parse(yaml: String, file: String? = nil) throws(PlaybookSectionError) -> FlowPlaybook {
        do {
            return try read(yaml: yaml)
        } catch {
            var named = error
            named.file = file
            throw named
        }
    }

    private static func read(yaml: String) throws(PlaybookSectionError) -> FlowPlaybook {
        let root = try? Yams.compose(yaml: yaml)
        func has(_ section: String) -> Bool { root?[section] != nil }
        let routing = try PlaybookSections.decode(RoutingPolicy.self, section: "routing", from: yaml)
        let sla = has("sla") ? try PlaybookSections.decode(SLAPolicies.self, section: "sla", from: yaml) : SLAPolicies()
        let dispositions =
            has("dispositions")
            ? try PlaybookSections.decode(DispositionPolicy.self, section: "dispositions", from: yaml) : DispositionPolicy()
        let specs = try PlaybookSections.decode([RepSpec].self, section: "reps", from: yaml)
        do {
            let roster = try RepSpec.resolve(specs, holidays: sla.holidays, defaultHours: sla.workingHours)
            return FlowPlaybook(routing: routing, sla: sla, dispositions: dispositions, roster: roster)
        } catch {
            var located = error
            located.line = PlaybookSections.locate(PlaybookSections.keys(ofPath: error.keyPath), in: root)
            throw located
        }
    }

    /// A router over this playbook's rules and reps, starting from `state`.
    package func router(state: RoundRobinState = RoundRobinState()) -> Router {
        Router(policy: routing, roster: roster, state: state)
    }

    /// The SLA state machine for this playbook.
    package var slaClock: SLAClock { SLAClock(policies: sla, roster: roster, dispositions: dispositions) }
}

extension PlaybookSections {
    /// Splits `reps[2].holidays` into coding keys.
    static func keys(ofPath path: String) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"),
                let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
            {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { keys.append(PlaybookKey(String(name))) }
            keys += indices.compactMap { PlaybookKey(intValue: $0) }
        }
        return keys
    }
}
