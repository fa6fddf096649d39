import Foundation
import ScoringModelFormat

/// The playbook's `routing:` section: ordered rules and the queue for leads they cannot place.
///
/// ```yaml
/// routing:
///   fallback_queue: sales-triage
///   rules:
///     - {match: territory, field: country, map: {DE: emea, FR: emea, US: na}}
///     - {match: industry, field: industry, if_missing: skip}
///     - {match: deal_size, field: employees, tiers: [{tier: smb, below: 200}, {tier: enterprise}]}
/// ```
package struct RoutingPolicy: Sendable, Hashable {
    /// Where a lead goes when no rule or rep can take it (always with an alert).
    package let fallbackQueue: String
    /// Applied in order, each narrowing the eligible reps.
    package let rules: [RoutingRule]

    package init(fallbackQueue: String, rules: [RoutingRule]) {
        self.fallbackQueue = fallbackQueue
        self.rules = rules
    }

    /// The keys of the `routing:` section.
    static let keys = ["fallback_queue", "rules"]

    /// Reads the `routing:` section.
    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> RoutingPolicy {
        let fields = try reader.entries(entry, allowed: keys)
        guard let queueEntry = fields["fallback_queue"] else {
            throw reader.missing(
                "fallback_queue", in: entry, hint: "Name the queue for leads no rule or rep can take, e.g. `fallback_queue: sales-triage`.")
        }
        let queue = queueEntry.isNull ? "" : try reader.text(queueEntry)
        guard !queue.isEmpty else {
            throw reader.invalid(queueEntry, "the fallback queue name is empty; name the queue unplaced leads go to, e.g. sales-triage")
        }
        var rules: [RoutingRule] = []
        if let rulesEntry = reader.given(fields, "rules") {
            for item in try reader.items(rulesEntry) { rules.append(try RoutingRule.read(item, reader: reader)) }
        }
        return RoutingPolicy(fallbackQueue: queue, rules: rules)
    }
}
