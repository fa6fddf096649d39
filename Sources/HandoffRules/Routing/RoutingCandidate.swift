import Foundation

/// One rep as the router weighed them for one lead: chosen, passed over by the round-robin
/// turn, or skipped, with the reason. A ``RoutingDecision`` lists every rep on the roster this
/// way, so "why did this rep get this lead?" (and why not another) has a stored answer.
package struct RoutingCandidate: Sendable, Hashable {
    /// What the router made of the rep.
    package enum Verdict: String, Sendable, Hashable, Codable {
        /// Got the lead.
        case chosen
        /// Could take the lead but another rep had more round-robin credit.
        case passedOver = "passed_over"
        /// Could not, or was not to, take the lead; ``reason`` says why.
        case skipped
    }

    /// Why a rep was skipped, passed over or chosen.
    package enum Reason: Sendable, Hashable {
        /// Left the team (status `left`).
        case left
        /// A routing rule (territory, industry or deal size) mapped the lead to `key`, which the
        /// rep does not list (nor `*`).
        case ruleMismatch(rule: String, dimension: RoutingRule.Dimension, key: String, repKeys: [String])
        /// The lead could not be placed by `rule` (a missing or unmapped field) before this rep
        /// was weighed: nobody got it.
        case ruleUnresolved(rule: String)
        /// Excluded by the caller (a rep who already held the lead and breached).
        case excluded
        /// Out of office at the routing instant, until `until`.
        case outOfOffice(until: Date)
        /// Held `open` open hand-offs of `capacity`.
        case atCapacity(open: Int, capacity: Int)
        /// Matched `rule` only through `*` while a rep listing the lead's key itself was available.
        case lessSpecific(rule: String)
        /// Outside working hours while an eligible rep was working; next opening `nextOpening`.
        case offDuty(nextOpening: Date)
        /// The smooth weighted round-robin turn: the rep's credit after gaining its weight, and
        /// the winner's (the chosen rep has the most; ties go to the earlier rep on the roster).
        case roundRobin(credit: Int, winnerCredit: Int, participants: Int)
        /// An account-aware rule (`account_owner`, `sticky`) named `owner` for the lead (the
        /// chosen rep's reason, and every other rep's: the lead was not theirs to take).
        case accountRule(rule: RoutingPolicy.AccountRule, owner: String)
    }

    package let repID: String
    package let verdict: Verdict
    package let reason: Reason
    /// The rep's round-robin weight.
    package let weight: Int
    /// Open hand-offs the rep held at routing time, and the rep's capacity.
    package let openHandoffs: Int
    package let capacity: Int

    package init(repID: String, verdict: Verdict, reason: Reason, weight: Int, openHandoffs: Int, capacity: Int) {
        self.repID = repID
        self.verdict = verdict
        self.reason = reason
        self.weight = weight
        self.openHandoffs = openHandoffs
        self.capacity = capacity
    }

    /// The reason's code, as the ledger stores it: the routing dimension (`territory`,
    /// `industry`, `deal_size`), `left`, `rule_unresolved`, `excluded`, `out_of_office`,
    /// `capacity`, `specialist`, `working_hours`, `weight`, `account_owner` or `sticky`.
    package var reasonCode: String {
        switch reason {
        case .left: "left"
        case .ruleMismatch(_, let dimension, _, _): dimension.rawValue
        case .ruleUnresolved: "rule_unresolved"
        case .excluded: "excluded"
        case .outOfOffice: "out_of_office"
        case .atCapacity: "capacity"
        case .lessSpecific: "specialist"
        case .offDuty: "working_hours"
        case .roundRobin: "weight"
        case .accountRule(let rule, _): rule.rawValue
        }
    }
}
