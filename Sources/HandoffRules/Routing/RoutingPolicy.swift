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
///
/// Account-aware rules (issue 16) come first in `rules`, and pick a rep before the narrowing
/// rules and the round-robin: `{match: account_owner}` (a lead of an account goes to the rep who
/// lists the account under `reps[].accounts`, else to the rep holding an open hand-off of another
/// of its contacts) and `{match: sticky}` (a lead handed off before goes back to its last rep).
/// The rep they name takes the lead only when available now (active, not out of office, below
/// capacity, not excluded); otherwise routing goes on with the next rule. Such an assignment is
/// a round-robin turn the rep is made to win: every available active rep gains its weight and
/// the rep pays their total, so account leads count toward the rep's share.
package struct RoutingPolicy: Sendable, Hashable {
    /// The account-aware rules.
    package enum AccountRule: String, Sendable, Hashable, CaseIterable {
        case accountOwner = "account_owner"
        case sticky
    }
    /// Where a lead goes when no rule or rep can take it (always with an alert).
    package let fallbackQueue: String
    /// Applied in order, each narrowing the eligible reps.
    package let rules: [RoutingRule]
    /// Applied first, in order (see the type's discussion).
    package let accountRules: [AccountRule]

    package init(fallbackQueue: String, rules: [RoutingRule], accountRules: [AccountRule] = []) {
        self.fallbackQueue = fallbackQueue
        self.rules = rules
        self.accountRules = accountRules
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
        var accountRules: [AccountRule] = []
        if let rulesEntry = reader.given(fields, "rules") {
            for item in try reader.items(rulesEntry) {
                let entries = try reader.entries(item, allowed: nil)
                if let match = entries["match"], !match.isNull, let rule = AccountRule(rawValue: try reader.text(match)) {
                    _ = try reader.entries(item, allowed: ["match"])
                    guard rules.isEmpty else {
                        throw reader.invalid(
                            item,
                            "`match: \(rule.rawValue)` picks a rep ahead of the narrowing rules; list it before `match: \(rules[0].dimension.rawValue)`"
                        )
                    }
                    guard !accountRules.contains(rule) else { throw reader.invalid(item, "`match: \(rule.rawValue)` is listed twice") }
                    accountRules.append(rule)
                    continue
                }
                rules.append(try RoutingRule.read(item, reader: reader))
            }
        }
        return RoutingPolicy(fallbackQueue: queue, rules: rules, accountRules: accountRules)
    }
}
