import Foundation

/// Round-robin credits: the router's only mutable state, persisted by the store between leads.
///
/// Smooth weighted round-robin (as in nginx): at each turn every participating rep gains its
/// weight; the rep with the most credit is chosen (ties go to the earlier rep in the roster)
/// and pays back the participants' total weight. The sum of all credits stays 0. A rep who
/// does not participate (out of office, at capacity, off duty while others are on duty) gains
/// nothing, so a returning rep competes from where they left off and gets no burst of leads.
package struct RoundRobinState: Sendable, Hashable, Codable {
    /// Credit per rep id; missing means 0.
    package var credit: [String: Int]

    package init(credit: [String: Int] = [:]) { self.credit = credit }
}

/// Assigns leads to reps: ordered rules narrow the eligible reps, then weighted round-robin
/// picks among those who can take a lead now.
///
/// Eligibility: a rep must match every rule, exactly or through `*`. Among the available
/// eligible reps, specialists are preferred: reps matching the first rule exactly beat those
/// matching it through `*`, then the second rule decides, and so on. So a healthcare specialist
/// gets healthcare leads, and a generalist takes them when the specialist is away, full, or
/// does not cover the lead's deal size.
///
/// Availability: a rep who has left, is out of office at the routing instant, is at capacity
/// (`openHandoffs ≥ capacity`) or is excluded by the caller cannot be chosen. Working hours do
/// not block assignment, because a lead that arrives at night should be waiting on a rep's desk
/// in the morning rather than in a triage queue: among available reps, those inside working
/// hours are preferred; when none is, an off-duty rep is chosen and the SLA clock (which
/// counts business hours only) starts at their next opening.
///
/// A value type: copy it, route, and persist ``state``. Deterministic for equal inputs.
package struct Router: Sendable {
    package let policy: RoutingPolicy
    package let roster: RepRoster
    package var state: RoundRobinState

    package init(policy: RoutingPolicy, roster: RepRoster, state: RoundRobinState = RoundRobinState()) {
        self.policy = policy
        self.roster = roster
        self.state = state
    }

    /// A rep an account-aware rule names for the lead, with what named them (the account id, or
    /// the lead's last hand-off).
    package struct KnownRep: Sendable, Hashable {
        package let rule: RoutingPolicy.AccountRule
        package let repID: String
        package let evidence: String

        package init(rule: RoutingPolicy.AccountRule, repID: String, evidence: String) {
            self.rule = rule
            self.repID = repID
            self.evidence = evidence
        }
    }

    /// Routes one lead.
    /// - Parameters:
    ///   - known: the reps the policy's account-aware rules name, in rule order (see
    ///     ``RoutingPolicy``): the first available takes the lead; an unavailable one is noted in
    ///     the trail and routing goes on.
    ///   - leadID: for the decision and alert.
    ///   - fields: the lead's raw field values by column name.
    ///   - instant: routing time (availability and working hours are judged at it).
    ///   - openHandoffs: open hand-offs per rep id (missing means 0).
    ///   - excluding: rep ids not to choose (e.g. the rep a breached lead is taken from).
    package mutating func route(
        leadID: String, fields: [String: String], at instant: Date,
        openHandoffs: [String: Int] = [:], excluding: Set<String> = [], known: [KnownRep] = []
    ) -> RoutingDecision {
        var knownTrail: [RoutingStep] = []
        for pick in known {
            guard let rep = roster.rep(pick.repID) else { continue }
            if let why = Self.unavailability(rep, at: instant, openHandoffs: openHandoffs, excluding: excluding) {
                let blocker =
                    switch why {
                    case .left: "left"
                    case .excluded: "excluded"
                    case .outOfOffice: "out of office"
                    case .atCapacity(let open, let capacity): "at capacity \(open)/\(capacity)"
                    }
                knownTrail.append(
                    RoutingStep(
                        rule: pick.rule.rawValue, field: "account", value: "\(pick.evidence): \(rep.id) \(blocker)", key: nil, eligible: [],
                        matchedGeneralists: false))
                continue
            }
            // A turn the named rep is made to win: every available active rep gains its weight, the rep pays their total.
            let participants = roster.reps.filter { Self.unavailability($0, at: instant, openHandoffs: openHandoffs, excluding: excluding) == nil }
            let total = participants.reduce(0) { $0 + $1.weight }
            for r in participants { state.credit[r.id, default: 0] += r.weight }
            state.credit[rep.id, default: 0] -= total
            let step = RoutingStep(
                rule: pick.rule.rawValue, field: "account", value: pick.evidence, key: rep.id, eligible: [rep.id], matchedGeneralists: false)
            let candidates = roster.reps.map { r in
                RoutingCandidate(
                    repID: r.id, verdict: r.id == rep.id ? .chosen : .skipped, reason: .accountRule(rule: pick.rule, owner: rep.id),
                    weight: r.weight, openHandoffs: openHandoffs[r.id] ?? 0, capacity: r.capacity)
            }
            return RoutingDecision(
                leadID: leadID, outcome: .assigned(repID: rep.id), trail: knownTrail + [step], repWasWorking: rep.isWorking(at: instant),
                candidates: candidates)
        }
        var eligible = roster.reps.filter { $0.status == .active }
        // Per rep, whether each rule so far matched exactly (true) or through `*` (false).
        var exactness: [String: [Bool]] = [:]
        var trail: [RoutingStep] = knownTrail
        // Why each rep dropped out, first reason only (the ledger's skip reasons).
        var skipped: [String: RoutingCandidate.Reason] = [:]
        for rep in roster.reps where rep.status == .left { skipped[rep.id] = .left }
        func candidates(chosen: String? = nil, turn: [String: Int] = [:], winnerCredit: Int = 0) -> [RoutingCandidate] {
            roster.reps.map { rep in
                let open = openHandoffs[rep.id] ?? 0
                let reason: RoutingCandidate.Reason
                let verdict: RoutingCandidate.Verdict
                if let skip = skipped[rep.id] {
                    (verdict, reason) = (.skipped, skip)
                } else if let credit = turn[rep.id] {
                    verdict = rep.id == chosen ? .chosen : .passedOver
                    reason = .roundRobin(credit: credit, winnerCredit: winnerCredit, participants: turn.count)
                } else {
                    // Still eligible when the lead could not be placed: the failing rule stopped it.
                    let applied = trail.count - knownTrail.count
                    let failing = applied < policy.rules.count ? policy.rules[applied].name : "routing"
                    (verdict, reason) = (.skipped, .ruleUnresolved(rule: failing))
                }
                return RoutingCandidate(
                    repID: rep.id, verdict: verdict, reason: reason, weight: rep.weight, openHandoffs: open, capacity: rep.capacity)
            }
        }
        func queued(_ reason: RoutingAlert.Reason) -> RoutingDecision {
            let alert = RoutingAlert(leadID: leadID, queue: policy.fallbackQueue, at: instant, reason: reason)
            return RoutingDecision(
                leadID: leadID, outcome: .queued(queue: policy.fallbackQueue, alert: alert),
                trail: trail, repWasWorking: false, candidates: candidates())
        }
        for rule in policy.rules {
            switch rule.key(for: fields) {
            case .failure(let reason):
                return queued(reason)
            case .success(nil):
                trail.append(
                    RoutingStep(
                        rule: rule.name, field: rule.field, value: nil, key: nil,
                        eligible: eligible.map(\.id), matchedGeneralists: false))
            case .success(let found?):
                let key = RoutingRule.normalize(found.key)
                var kept: [Rep] = []
                for rep in eligible {
                    let keys = rule.keys(of: rep).map(RoutingRule.normalize)
                    if keys.contains(key) {
                        exactness[rep.id, default: []].append(true)
                        kept.append(rep)
                    } else if keys.contains("*") {
                        exactness[rep.id, default: []].append(false)
                        kept.append(rep)
                    } else {
                        skipped[rep.id] = .ruleMismatch(rule: rule.name, dimension: rule.dimension, key: found.key, repKeys: rule.keys(of: rep))
                    }
                }
                guard !kept.isEmpty else {
                    return queued(.noRepCovers(rule: rule.name, key: found.key, candidates: eligible.map(\.id)))
                }
                eligible = kept
                trail.append(
                    RoutingStep(
                        rule: rule.name, field: rule.field, value: found.value, key: found.key,
                        eligible: kept.map(\.id),
                        matchedGeneralists: !kept.contains { exactness[$0.id]?.last == true }))
            }
        }
        var unavailable: [String: RoutingAlert.Unavailability] = [:]
        var available: [Rep] = []
        for rep in eligible {
            if let why = Self.unavailability(rep, at: instant, openHandoffs: openHandoffs, excluding: excluding) {
                unavailable[rep.id] = why
                skipped[rep.id] =
                    switch why {
                    case .excluded: .excluded
                    case .outOfOffice(let until): .outOfOffice(until: until)
                    case .atCapacity(let open, let capacity): .atCapacity(open: open, capacity: capacity)
                    case .left: .left
                    }
            } else {
                available.append(rep)
            }
        }
        if available.isEmpty {
            // Reps who left never reach the rules; name them only when the roster had nobody else.
            if eligible.isEmpty {
                for rep in roster.reps where rep.status == .left { unavailable[rep.id] = .left }
            }
            return queued(.noAvailableRep(eligible: unavailable))
        }
        // Specialists first: the best exact/`*` pattern, earlier rules weighing more.
        let best = available.map { exactness[$0.id] ?? [] }.max { Router.lexicographicallyLess($0, $1) } ?? []
        let preferred = available.filter { (exactness[$0.id] ?? []) == best }
        for rep in available where (exactness[rep.id] ?? []) != best {
            let pattern = exactness[rep.id] ?? []
            let index = pattern.indices.first { $0 < best.count && pattern[$0] != best[$0] } ?? 0
            let rule = trail.filter { $0.key != nil }.dropFirst(index).first?.rule ?? "routing"
            skipped[rep.id] = .lessSpecific(rule: rule)
        }
        let working = preferred.filter { $0.isWorking(at: instant) }
        let participants = working.isEmpty ? preferred : working
        for rep in preferred where !working.isEmpty && !rep.isWorking(at: instant) {
            skipped[rep.id] = .offDuty(nextOpening: rep.calendar.nextOpening(atOrAfter: instant))
        }
        let before = state.credit
        let chosen = takeTurn(among: participants)
        var turn: [String: Int] = [:]
        for rep in participants { turn[rep.id] = (before[rep.id] ?? 0) + rep.weight }
        return RoutingDecision(
            leadID: leadID, outcome: .assigned(repID: chosen.id), trail: trail,
            repWasWorking: !working.isEmpty, candidates: candidates(chosen: chosen.id, turn: turn, winnerCredit: turn[chosen.id] ?? 0))
    }

    /// Why `rep` cannot take a lead at `instant` (left, excluded, out of office, at capacity), nil when they can.
    static func unavailability(
        _ rep: Rep, at instant: Date, openHandoffs: [String: Int], excluding: Set<String>
    ) -> RoutingAlert.Unavailability? {
        let open = openHandoffs[rep.id] ?? 0
        if rep.status == .left { return .left }
        if excluding.contains(rep.id) { return .excluded }
        if let absence = rep.outOfOffice.first(where: { instant >= $0.start && instant < $0.end }) { return .outOfOffice(until: absence.end) }
        if open >= rep.capacity { return .atCapacity(open: open, capacity: rep.capacity) }
        return nil
    }

    /// `false < true`, compared from the first rule on.
    static func lexicographicallyLess(_ a: [Bool], _ b: [Bool]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return !x && y }
        return a.count < b.count
    }

    /// One smooth weighted round-robin turn among `participants` (non-empty, roster order).
    mutating func takeTurn(among participants: [Rep]) -> Rep {
        precondition(!participants.isEmpty, "a round-robin turn needs at least one rep")
        let total = participants.reduce(0) { $0 + $1.weight }
        var best = participants[0]
        var bestCredit = Int.min
        for rep in participants {
            let credit = (state.credit[rep.id] ?? 0) + rep.weight
            state.credit[rep.id] = credit
            if credit > bestCredit {
                best = rep
                bestCredit = credit
            }
        }
        state.credit[best.id] = bestCredit - total
        return best
    }
}
