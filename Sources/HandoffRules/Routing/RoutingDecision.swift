import Foundation

/// What the router did with one lead, with the evidence for it.
package struct RoutingDecision: Sendable, Hashable {
    package enum Outcome: Sendable, Hashable {
        /// Assigned to a rep.
        case assigned(repID: String)
        /// Parked in the fallback queue; the alert must be delivered by the caller.
        case queued(queue: String, alert: RoutingAlert)
    }

    package let leadID: String
    package let outcome: Outcome
    /// Each rule applied, in order, with the key it read and the reps still eligible after it.
    package let trail: [RoutingStep]
    /// For an assignment: whether the rep was inside working hours at routing time. When no
    /// eligible rep is working, the lead still goes to an available rep and the SLA clock
    /// starts at their next opening.
    package let repWasWorking: Bool
    /// Every rep on the roster, in roster order, as the router weighed them (see
    /// ``RoutingCandidate``): the decision ledger's candidates.
    package let candidates: [RoutingCandidate]

    package init(leadID: String, outcome: Outcome, trail: [RoutingStep], repWasWorking: Bool, candidates: [RoutingCandidate] = []) {
        self.leadID = leadID
        self.outcome = outcome
        self.trail = trail
        self.repWasWorking = repWasWorking
        self.candidates = candidates
    }

    /// The assigned rep, if any.
    package var repID: String? {
        if case .assigned(let id) = outcome { return id }
        return nil
    }

    /// The alert, if the lead was queued.
    package var alert: RoutingAlert? {
        if case .queued(_, let alert) = outcome { return alert }
        return nil
    }
}

/// One routing rule as applied to a lead.
package struct RoutingStep: Sendable, Hashable {
    package let rule: String
    package let field: String
    /// The lead's value (`nil` when missing and the rule was skipped).
    package let value: String?
    /// The key it mapped to (`nil` when skipped).
    package let key: String?
    /// Rep ids still eligible after the rule, in roster order.
    package let eligible: [String]
    /// Whether no eligible rep listed the key itself (only generalists with `*` matched).
    package let matchedGeneralists: Bool
}

/// An alert for a lead that could not be assigned: it sits in `queue` until someone acts.
package struct RoutingAlert: Sendable, Hashable, CustomStringConvertible {
    /// Why a rep was not available.
    package enum Unavailability: Sendable, Hashable {
        case left
        case outOfOffice(until: Date)
        case atCapacity(open: Int, capacity: Int)
        /// Excluded by the caller (e.g. the rep who breached and is being replaced).
        case excluded
    }

    package enum Reason: Error, Sendable, Hashable {
        case missingField(rule: String, field: String)
        case unmappedValue(rule: String, field: String, value: String)
        case notANumber(rule: String, field: String, value: String)
        case noTier(rule: String, field: String, value: String)
        /// After earlier rules left `candidates`, no rep lists `key` (nor `*`).
        case noRepCovers(rule: String, key: String, candidates: [String])
        /// Reps matched the rules but none can take a lead now.
        case noAvailableRep(eligible: [String: Unavailability])
    }

    package let leadID: String
    package let queue: String
    package let at: Date
    package let reason: Reason

    package var description: String {
        "lead \(leadID) parked in queue `\(queue)`: \(RoutingAlert.explain(reason))"
    }

    static func explain(_ reason: Reason) -> String {
        switch reason {
        case .missingField(let rule, let field):
            return "rule `\(rule)` needs field `\(field)`, which the lead lacks; fill it in or set `if_missing: skip` on the rule"
        case .unmappedValue(let rule, let field, let value):
            return "rule `\(rule)` has no mapping for \(field) = `\(value)`; add it to the rule's `map` (or a `\"*\"` entry)"
        case .notANumber(let rule, let field, let value):
            return "rule `\(rule)` needs a number in `\(field)`, got `\(value)`; correct the lead's value"
        case .noTier(let rule, let field, let value):
            return "rule `\(rule)` has no tier for \(field) = \(value); add a last tier without `below`"
        case .noRepCovers(let rule, let key, let candidates):
            let among = candidates.isEmpty ? "no reps were left" : "none of \(candidates.joined(separator: ", "))"
            return "rule `\(rule)` needs a rep for `\(key)` and \(among) lists it or `*`; add the key to a rep"
        case .noAvailableRep(let eligible):
            if eligible.isEmpty { return "the roster has no reps; add reps to the playbook" }
            let parts = eligible.keys.sorted().map { id -> String in
                switch eligible[id] {
                case .left?: return "\(id) has left"
                case .outOfOffice(let until)?: return "\(id) is out of office until \(until)"
                case .atCapacity(let open, let capacity)?: return "\(id) is at capacity (\(open)/\(capacity))"
                case .excluded?, nil: return "\(id) is excluded"
                }
            }
            return "every eligible rep is unavailable (\(parts.joined(separator: "; "))); assign it by hand or raise a capacity"
        }
    }
}
