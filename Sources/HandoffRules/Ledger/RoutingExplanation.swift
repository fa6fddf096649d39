import Foundation

/// The routing half of the decision ledger: how a lead got its holder.
package struct RoutingExplanation: Sendable, Hashable, Codable {
    /// Who decided.
    package enum Method: String, Sendable, Hashable, Codable {
        /// The playbook's rules and weighted round-robin (a new hand-off or an SLA reassignment).
        case router
        /// A sales manager's `assign` event.
        case byHand = "by_hand"
        /// A late first touch undid an automatic reassignment: the lead went back to its rep.
        case restored
        /// The rep who held the lead handed it back to the fallback queue (a `release` event).
        case handedBack = "handed_back"
        /// A merge of two leads of one person (issue 16): who holds the survivor afterwards.
        case merged
        /// An SLA reassignment that would have split an account between two reps: parked for a
        /// manager instead, the account's other contacts staying with their rep.
        case accountKept = "account_kept"
    }

    /// One playbook rule as applied to the lead.
    package struct Rule: Sendable, Hashable, Codable {
        package let rule: String
        package let field: String
        /// The lead's value (nil when missing and the rule was skipped).
        package let value: String?
        /// The key the value mapped to (nil when skipped).
        package let key: String?
        /// Reps still eligible after the rule.
        package let eligible: [String]

        enum CodingKeys: String, CodingKey { case rule, field, value, key, eligible }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(field, forKey: .field)
            try c.encode(value, forKey: .value)
            try c.encode(key, forKey: .key)
            try c.encode(eligible, forKey: .eligible)
        }
    }

    /// One rep as the router weighed them.
    package struct Candidate: Sendable, Hashable, Codable {
        package let repID: String
        /// `chosen`, `passed_over` or `skipped`.
        package let verdict: RoutingCandidate.Verdict
        /// `territory`, `industry`, `deal_size`, `left`, `rule_unresolved`, `excluded`,
        /// `out_of_office`, `capacity`, `specialist`, `working_hours` or `weight`.
        package let reason: String
        /// The reason in words, with its numbers.
        package let detail: String
        package let weight: Int
        package let openHandoffs: Int
        package let capacity: Int
        /// Round-robin credit after the rep gained its weight (participants of the turn only).
        package let credit: Int?

        enum CodingKeys: String, CodingKey {
            case verdict, reason, detail, weight, capacity, credit
            case repID = "rep_id"
            case openHandoffs = "open_handoffs"
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(repID, forKey: .repID)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(reason, forKey: .reason)
            try c.encode(detail, forKey: .detail)
            try c.encode(weight, forKey: .weight)
            try c.encode(openHandoffs, forKey: .openHandoffs)
            try c.encode(capacity, forKey: .capacity)
            try c.encode(credit, forKey: .credit)
        }
    }

    package let method: Method
    /// `assigned` (to a rep) or `queued` (in the fallback queue).
    package let outcome: String
    /// The rep who got the lead, or nil when it was queued.
    package let repID: String?
    /// The fallback queue, when queued.
    package let queue: String?
    /// Why the lead was queued (the alert's words), when it was.
    package let queuedBecause: String?
    /// The rep the lead was taken from (an SLA reassignment or an assignment by hand).
    package let reassignedFrom: String?
    /// Who assigned it by hand.
    package let assignedBy: String?
    /// The assignment's rule as stored (e.g. `territory:emea,industry:software`).
    package let assignmentRule: String
    /// Whether the chosen rep was inside working hours (off-duty reps are chosen only when no
    /// eligible rep was working; their clock starts at their next opening).
    package let repWasWorking: Bool
    package let rules: [Rule]
    /// Every rep on the roster, in roster order (empty for decisions made by hand).
    package let candidates: [Candidate]

    enum CodingKeys: String, CodingKey {
        case method, outcome, queue, rules, candidates
        case repID = "rep_id"
        case queuedBecause = "queued_because"
        case reassignedFrom = "reassigned_from"
        case assignedBy = "assigned_by"
        case assignmentRule = "assignment_rule"
        case repWasWorking = "rep_was_working"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(method, forKey: .method)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(repID, forKey: .repID)
        try c.encode(queue, forKey: .queue)
        try c.encode(queuedBecause, forKey: .queuedBecause)
        try c.encode(reassignedFrom, forKey: .reassignedFrom)
        try c.encode(assignedBy, forKey: .assignedBy)
        try c.encode(assignmentRule, forKey: .assignmentRule)
        try c.encode(repWasWorking, forKey: .repWasWorking)
        try c.encode(rules, forKey: .rules)
        try c.encode(candidates, forKey: .candidates)
    }

    /// The explanation of a router's decision.
    package init(_ decision: RoutingDecision, assignmentRule: String, reassignedFrom: String?) {
        method = .router
        repID = decision.repID
        switch decision.outcome {
        case .assigned:
            outcome = "assigned"
            queue = nil
            queuedBecause = nil
        case .queued(let name, let alert):
            outcome = "queued"
            queue = name
            queuedBecause = RoutingAlert.explain(alert.reason)
        }
        self.reassignedFrom = reassignedFrom
        assignedBy = nil
        self.assignmentRule = assignmentRule
        repWasWorking = decision.repWasWorking
        rules = decision.trail.map { Rule(rule: $0.rule, field: $0.field, value: $0.value, key: $0.key, eligible: $0.eligible) }
        candidates = decision.candidates.map(Candidate.init)
    }

    /// The explanation of an assignment the router did not make: by hand, or restored after a late touch.
    package init(method: Method, repID: String, from: String?, assignedBy: String?, assignmentRule: String, repWasWorking: Bool) {
        self.method = method
        outcome = "assigned"
        self.repID = repID
        queue = nil
        queuedBecause = nil
        reassignedFrom = from
        self.assignedBy = assignedBy
        self.assignmentRule = assignmentRule
        self.repWasWorking = repWasWorking
        rules = []
        candidates = []
    }

    /// The explanation of a hand-back: `rep` gave the lead to the fallback queue `queue`.
    package init(handedBackBy rep: String, queue: String, reason: String?) {
        method = .handedBack
        outcome = "queued"
        repID = nil
        self.queue = queue
        queuedBecause = "handed back by \(rep)" + (reason.map { ": \($0)" } ?? "")
        reassignedFrom = rep
        assignedBy = rep
        assignmentRule = RoutingExplanation.handedBackRulePrefix + rep
        repWasWorking = false
        rules = []
        candidates = []
    }

    /// The explanation of a merge: `mergedLead` became part of this lead (by `rule`, with
    /// `evidence`); `holder` holds the survivor afterwards (nil: no one yet), `tookOver` when the
    /// survivor took that hand-off over from the merged lead, `closed` the merged lead's own
    /// hand-off closed by the merge.
    package init(merged mergedLead: String, rule: String, evidence: String, holder: String?, tookOver: Bool, closed: String?) {
        method = .merged
        outcome = holder == nil ? "unassigned" : "assigned"
        repID = holder
        queue = nil
        var because = "merged lead \(mergedLead) by \(rule) (\(evidence))"
        if let holder { because += tookOver ? "; took over its hand-off to \(holder), clock kept" : "; \(holder) keeps the lead" }
        if let closed { because += "; its hand-off to \(closed) closed" }
        queuedBecause = because
        reassignedFrom = closed
        assignedBy = nil
        assignmentRule = RoutingExplanation.mergedRulePrefix + mergedLead
        repWasWorking = holder != nil && !tookOver
        rules = []
        candidates = []
    }

    /// The explanation of an SLA reassignment parked to keep an account with one rep: `rep` missed
    /// the lead's deadline but holds the account's other contacts, so no other rep gets this one
    /// automatically; the manager decides in `queue` (assign by hand the lead, or the account).
    package init(keptAccount account: String, with rep: String, queue: String) {
        method = .accountKept
        outcome = "queued"
        repID = nil
        self.queue = queue
        queuedBecause =
            "\(rep) missed the deadline but works account \(account)'s other contacts; no other rep gets one of them automatically: a manager decides"
        reassignedFrom = rep
        assignedBy = nil
        assignmentRule = "fallback"
        repWasWorking = false
        rules = []
        candidates = []
    }

    /// The assignment rule of a hand-off the survivor took over in a merge: `merged:` and the merged lead.
    package static let mergedRulePrefix = "merged:"

    /// The assignment rule of a queue assignment made by a hand-back: `released:` and the rep.
    package static let handedBackRulePrefix = "released:"

    /// One line: who got it and why.
    package var summary: String {
        switch method {
        case .byHand:
            return "assigned by hand to \(repID ?? "?") by \(assignedBy ?? "a manager")" + (reassignedFrom.map { " (from \($0))" } ?? "")
        case .handedBack, .accountKept:
            return "parked in `\(queue ?? "?")`: \(queuedBecause ?? "handed back")"
        case .merged:
            return queuedBecause ?? "merged"
        case .restored:
            return "returned to \(repID ?? "?"): a late first touch undid the reassignment" + (reassignedFrom.map { " away from \($0)" } ?? "")
        case .router:
            let prefix = reassignedFrom.map { "reassigned from \($0): " } ?? ""
            if let last = rules.last, let owner = last.key, let rule = RoutingPolicy.AccountRule(rawValue: last.rule) {
                return prefix + "assigned to \(owner) by `\(rule.rawValue)` (\(last.value ?? ""))"
            }
            if let queue {
                return prefix + "parked in `\(queue)`: \(queuedBecause ?? "no rep could take it")"
            }
            let turn = candidates.filter { $0.credit != nil }
            let among = turn.count > 1 ? " by weighted round-robin among \(turn.map(\.repID).joined(separator: ", "))" : " (the only rep left)"
            return prefix + "assigned to \(repID ?? "?")\(among)"
        }
    }
}

extension RoutingExplanation.Candidate {
    init(_ candidate: RoutingCandidate) {
        repID = candidate.repID
        verdict = candidate.verdict
        reason = candidate.reasonCode
        weight = candidate.weight
        openHandoffs = candidate.openHandoffs
        capacity = candidate.capacity
        if case .roundRobin(let credit, _, _) = candidate.reason { self.credit = credit } else { credit = nil }
        detail = Self.detail(candidate)
    }

    static func detail(_ candidate: RoutingCandidate) -> String {
        switch candidate.reason {
        case .left:
            return "has left the team"
        case .ruleMismatch(let rule, let dimension, let key, let repKeys):
            let listed = repKeys.isEmpty ? "nothing" : repKeys.joined(separator: ", ")
            return "rule `\(rule)` needs \(dimension.rawValue.replacingOccurrences(of: "_", with: " ")) `\(key)`; the rep lists \(listed)"
        case .ruleUnresolved(let rule):
            return "the lead could not be placed by rule `\(rule)`, so nobody was chosen"
        case .excluded:
            return "excluded: already held this lead"
        case .outOfOffice(let until):
            return "out of office until \(LedgerTime.text(until))"
        case .atCapacity(let open, let capacity):
            return "at capacity: \(open) open hand-offs of \(capacity)"
        case .lessSpecific(let rule):
            return "matches rule `\(rule)` only through `*` while a specialist was available"
        case .offDuty(let next):
            return "outside working hours while an eligible rep was working (opens \(LedgerTime.text(next)))"
        case .roundRobin(let credit, let winnerCredit, let participants):
            if participants == 1 { return "the only rep who could take it (weight \(candidate.weight))" }
            if candidate.verdict == .chosen {
                return "most round-robin credit: \(credit) after adding weight \(candidate.weight), among \(participants) reps"
            }
            return "round-robin credit \(credit) after adding weight \(candidate.weight), below the winner's \(winnerCredit)"
                + (credit == winnerCredit ? " (tie: the earlier rep on the roster wins)" : "")
        case .accountRule(let rule, let owner):
            let why = rule == .sticky ? "its last rep is \(owner)" : "its account is \(owner)'s"
            return candidate.verdict == .chosen
                ? "\(why) (`\(rule.rawValue)`), available now; counted as a round-robin turn \(owner) won"
                : "not weighed: \(why) (`\(rule.rawValue)`)"
        }
    }
}
