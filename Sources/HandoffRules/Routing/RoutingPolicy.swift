import Foundation

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
package struct RoutingPolicy: Sendable, Hashable, Decodable {
    /// Where a lead goes when no rule or rep can take it (always with an alert).
    package let fallbackQueue: String
    /// Applied in order, each narrowing the eligible reps.
    package let rules: [RoutingRule]

    package init(fallbackQueue: String, rules: [RoutingRule]) {
        self.fallbackQueue = fallbackQueue
        self.rules = rules
    }

    private enum Keys: String, CodingKey {
        case rules
        case fallbackQueue = "fallback_queue"
    }

    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: ["fallback_queue", "rules"])
        let c = try decoder.container(keyedBy: Keys.self)
        let queue = try c.decode(String.self, forKey: .fallbackQueue).trimmingCharacters(in: .whitespaces)
        guard !queue.isEmpty else {
            throw c.fail(.fallbackQueue, "the fallback queue name is empty; name the queue unplaced leads go to, e.g. sales-triage")
        }
        self.init(fallbackQueue: queue, rules: try c.decodeIfPresent([RoutingRule].self, forKey: .rules) ?? [])
    }
}
