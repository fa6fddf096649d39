import Foundation
import HandoffPersistence
import HandoffRules

/// The writes and effects one unit of work builds for one lead (an event, or a timer firing).
struct LeadWork {
    let engine: HandoffEngine
    let leadID: String
    /// The event id (or timer id) errors and alert ids name.
    let source: String
    var timeline: LeadTimeline? {
        didSet {
            if timeline?.lead.fields != oldValue?.lead.fields { storedFields = timeline?.lead.fieldValues ?? [:] }
        }
    }
    /// The lead's stored fields, decoded from the stored JSON once (not at every read: an event
    /// reads them several times) and again only when the stored record changes.
    private(set) var storedFields: [String: String]
    var operations: [WriteOperation] = []
    var effects: [EngineEffect] = []
    var sla: SLAState
    var timers: [String: SLATimerRecord]
    var router: (state: RoundRobinState, revision: Int64)?
    /// What a hand-off made by this unit's event is based on (set when the event rescored the lead).
    var handoffBasis: (lead: Lead, score: LeadScore, decision: QualificationDecision)?
    /// Packages of the hand-offs to reps this unit made.
    var packages: [HandoffPackage] = []
    /// This unit's hold on the process's routing turn (``RoutingTurn``).
    let routing: RoutingClaim

    init(engine: HandoffEngine, leadID: String, source: String, timeline: LeadTimeline?, routing: RoutingClaim) throws(EngineError) {
        self.engine = engine
        self.routing = routing
        self.leadID = leadID
        self.source = source
        self.timeline = timeline
        storedFields = timeline?.lead.fieldValues ?? [:]
        do {
            sla = try engine.foldSLA(timeline, leadID: leadID)
        } catch {
            throw .sla(eventID: source, error)
        }
        timers = Dictionary((timeline?.timers ?? []).map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
    }

    var flow: FlowPlaybook { engine.flow }

    /// Whether won/lost closed the lead.
    var hasOutcome: Bool { !(timeline?.outcomes.isEmpty ?? true) }

    /// Runs one SLA event (and everything its effects require) at `instant`.
    mutating func slaEvent(_ event: SLAEvent, at instant: Date, priority: HandoffPriority? = nil) async throws(EngineError) {
        let at = max(instant, sla.lastEventAt ?? instant)
        let transition: SLATransition
        do {
            transition = try flow.slaClock.transition(sla, event, at: at)
        } catch {
            throw .sla(eventID: source, error)
        }
        let previousHandoffs = sla.handoffs
        if case .tick = event, transition.effects.isEmpty {
        } else {
            let explanation = SLAExplanation(before: sla, event: event, transition: transition, at: at, roster: flow.roster)
            try recordLedger(DecisionLedgerEntry(kind: .sla, at: at, source: source, summary: explanation.summary, sla: explanation), at: at)
        }
        sla = transition.state
        var fired: [FiredEscalationStep] = []
        var reassignFrom: String?
        for effect in transition.effects {
            switch effect {
            case .firstTouchDue(_, let rep, let deadline):
                effects.append(
                    EngineEffect(leadID: leadID, at: at, kind: .handedOff(repID: rep, priority: priority ?? .standard, deadline: deadline)))
            case .breachRecorded(let breach):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .breach(repID: breach.repID, kind: breach.kind, deadline: breach.deadline)))
                if case .attemptCadence = breach.kind { fired.append(FiredEscalationStep(step: 0, action: "cadence-breach", firedAt: at)) }
            case .remindRep(_, let rep, let since):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .reminder(repID: rep, overdueSince: since)))
                fired.append(FiredEscalationStep(step: 1, action: "remind-rep", firedAt: at))
            case .notifyManager(_, let rep, let manager, let breach):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .managerNotified(repID: rep, manager: manager, breach: breach)))
                if case .firstTouch = breach { fired.append(FiredEscalationStep(step: 2, action: "notify-manager", firedAt: at)) }
            case .reassign(_, let from):
                fired.append(FiredEscalationStep(step: 3, action: "reassign", firedAt: at))
                reassignFrom = from
            case .handedBack:
                // The event's own work records the queue assignment and its `reassigned` effect.
                break
            case .paused(_, let reason, let until):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .slaPaused(reason: reason, until: until)))
            case .resumed(_, let seconds):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .slaResumed(pausedBusinessSeconds: seconds)))
            case .firstTouch(_, let rep, let seconds, let within):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .firstTouch(repID: rep, businessSeconds: seconds, withinSLA: within)))
            case .assist(_, let rep, let owner):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .assist(repID: rep, ownerID: owner)))
            case .returnToNurtureAllowed(_, let attempts):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .returnToNurtureAllowed(attempts: attempts)))
            case .closed(_, let outcome):
                effects.append(EngineEffect(leadID: leadID, at: at, kind: .closed(reason: outcome.code, reEngageOn: outcome.reEngageOn)))
            }
        }
        if sla.handoffs > previousHandoffs, previousHandoffs > 0 {
            let oldID = HandoffEngine.timerID(leadID: leadID, handoff: previousHandoffs)
            if var old = timers[oldID], old.state.isOpen {
                old.state = .cancelled
                old.updatedAt = at
                upsert(old)
            }
        }
        if sla.handoffs > 0 { upsert(currentTimer(fired: fired, at: at)) }
        if let from = reassignFrom {
            operations.append(.closeAssignment(leadID: leadID, at: at, reason: "reassigned after SLA breach"))
            let priority = HandoffPriority(rawValue: sla.policyName ?? "") ?? .standard
            // Every rep who already held the lead is passed over, so a lead nobody touches ends in
            // the fallback queue instead of bouncing between reps.
            var held = Set((timeline?.assignments ?? []).compactMap(\.repID))
            held.insert(from)
            try await route(priority: priority, at: at, excluding: held, reassignedFrom: from)
        }
    }

    /// The record of the current hand-off's timer after a transition at `at`.
    func currentTimer(fired: [FiredEscalationStep], at: Date) -> SLATimerRecord {
        let id = HandoffEngine.timerID(leadID: leadID, handoff: sla.handoffs)
        var record =
            timers[id]
            ?? SLATimerRecord(
                id: id, leadID: leadID, policy: sla.policyName ?? "standard",
                dueAt: sla.firstTouchDeadline ?? at, startedAt: sla.handedOffAt ?? at)
        record.firedSteps += fired
        record.escalationStep = record.firedSteps.filter(\.stands).map(\.step).max() ?? 0
        if let wake = sla.nextWakeUp {
            record.state = sla.firstTouchBreached ? .breached : .running
            record.dueAt = wake
        } else {
            record.state = sla.firstTouchAt != nil ? .met : .cancelled
        }
        record.updatedAt = at
        return record
    }

    mutating func upsert(_ timer: SLATimerRecord) {
        timers[timer.id] = timer
        operations.append(.upsertTimer(timer))
    }

    /// Routes the lead and, for a rep, starts the SLA clock under `priority`'s policy.
    mutating func route(
        priority: HandoffPriority, at instant: Date, excluding: Set<String> = [],
        reassignedFrom: String? = nil
    ) async throws(EngineError) {
        let store = engine.store
        if router == nil {
            await routing.take()
            do {
                let saved = try await store.routerState(name: engine.routerName)
                let state = try saved?.state.decode(RoundRobinState.self) ?? RoundRobinState()
                router = (state, saved?.revision ?? 0)
            } catch {
                throw .store(eventID: source, error)
            }
        }
        // Only the per-rep counts matter here: one GROUP BY instead of reading every open hand-off with its rows.
        let open: [String: Int]
        do {
            open = try await store.openAssignmentCounts()
        } catch {
            throw .store(eventID: source, error)
        }
        guard let current = router else { return }
        if let from = reassignedFrom, flow.routing.accountRules.contains(.accountOwner), try await splitsAccount(from: from, at: instant) { return }
        let known = try await knownReps()
        var machine = flow.router(state: current.state)
        let decision = machine.route(
            leadID: leadID, fields: engine.effectiveFields(storedFields, events: engagementEvents, at: instant),
            at: instant, openHandoffs: open, excluding: excluding, known: known)
        // With account-aware rules every routing writes the state (its revision moves even when the
        // credits do not, as in a one-rep turn), so two units routing at once always collide.
        if machine.state != current.state || !flow.routing.accountRules.isEmpty {
            let json: JSONText
            do { json = try JSONText(encoding: machine.state) } catch { throw .store(eventID: source, error) }
            operations.append(.saveRouterState(name: engine.routerName, state: json, expectedRevision: current.revision, at: instant))
            router = (machine.state, current.revision + 1)
        }
        let rule = decision.trail.map { "\($0.rule):\($0.key ?? "-")" }.joined(separator: ",")
        let assignmentRule = decision.repID == nil ? "fallback" : (rule.isEmpty ? "round-robin" : rule)
        let explanation = RoutingExplanation(decision, assignmentRule: assignmentRule, reassignedFrom: reassignedFrom)
        try recordLedger(
            DecisionLedgerEntry(kind: .routing, at: instant, source: source, summary: explanation.summary, routing: explanation), at: instant)
        switch decision.outcome {
        case .assigned(let rep):
            operations.append(
                .openAssignment(
                    AssignmentRecord(
                        leadID: leadID, target: .rep(rep), rule: assignmentRule,
                        assignedAt: instant)))
            if let from = reassignedFrom {
                effects.append(EngineEffect(leadID: leadID, at: instant, kind: .reassigned(fromRepID: from, to: .rep(rep))))
            }
            try await slaEvent(.handedOff(repID: rep, policy: priority.slaPolicyName), at: instant, priority: priority)
            if let basis = handoffBasis, let deadline = sla.firstTouchDeadline {
                packages.append(engine.makePackage(basis.lead, score: basis.score, decision: basis.decision, slaDeadline: deadline, repID: rep))
            }
        case .queued(let queue, let alert):
            operations.append(
                .openAssignment(
                    AssignmentRecord(
                        leadID: leadID, target: .fallbackQueue(queue), rule: "fallback",
                        assignedAt: instant)))
            effects.append(EngineEffect(leadID: leadID, at: instant, kind: .queued(queue: queue, reason: alert.description)))
            if let from = reassignedFrom {
                effects.append(EngineEffect(leadID: leadID, at: instant, kind: .reassigned(fromRepID: from, to: .fallbackQueue(queue))))
            }
        }
    }

    /// With `account_owner` routing, an SLA reassignment never splits an account (issue 16): when
    /// `from`, who missed this lead's deadline, still works other contacts of its account, the lead
    /// goes to the fallback queue (alerted, with the reason in the ledger) for a manager to assign
    /// by hand, instead of to another rep. True when it parked the lead.
    mutating func splitsAccount(from: String, at instant: Date) async throws(EngineError) -> Bool {
        guard let account = try await accountID() else { return false }
        let others: [String]
        do { others = try await engine.store.accountHolders(accountID: account, excludingLead: leadID) } catch {
            throw .store(eventID: source, error)
        }
        guard others.contains(from) else { return false }
        let queue = flow.routing.fallbackQueue
        let explanation = RoutingExplanation(keptAccount: account, with: from, queue: queue)
        try recordLedger(
            DecisionLedgerEntry(kind: .routing, at: instant, source: source, summary: explanation.summary, routing: explanation), at: instant)
        operations.append(.openAssignment(AssignmentRecord(leadID: leadID, target: .fallbackQueue(queue), rule: "fallback", assignedAt: instant)))
        effects.append(EngineEffect(leadID: leadID, at: instant, kind: .queued(queue: queue, reason: explanation.queuedBecause ?? "")))
        effects.append(EngineEffect(leadID: leadID, at: instant, kind: .reassigned(fromRepID: from, to: .fallbackQueue(queue))))
        return true
    }

    /// The reps the playbook's account-aware rules name for this lead (issue 16), in rule order:
    /// `sticky` its last rep; `account_owner` the rep whose `accounts:` lists its account, else
    /// the rep holding the oldest open hand-off of the account. Two units that route leads of one
    /// account at once both write the round-robin state (compare-and-swap on its revision), so
    /// the later one is run again and finds the earlier one's hand-off: one account, one rep.
    func knownReps() async throws(EngineError) -> [Router.KnownRep] {
        var picks: [Router.KnownRep] = []
        for rule in flow.routing.accountRules {
            switch rule {
            case .sticky:
                let last = (timeline?.assignments ?? []).filter { $0.repID != nil }
                    .max { ($0.assignedAt, $0.rowID ?? 0) < ($1.assignedAt, $1.rowID ?? 0) }
                if let last, let rep = last.repID {
                    picks.append(Router.KnownRep(rule: .sticky, repID: rep, evidence: "its hand-off of \(EventTime.format(last.assignedAt))"))
                }
            case .accountOwner:
                guard let account = try await accountID() else { continue }
                if let named = flow.roster.reps.first(where: { $0.accounts.contains(account) }) {
                    picks.append(Router.KnownRep(rule: .accountOwner, repID: named.id, evidence: "account \(account), named for \(named.id)"))
                    continue
                }
                let holders: [String]
                do { holders = try await engine.store.accountHolders(accountID: account) } catch { throw .store(eventID: source, error) }
                if let holder = holders.first {
                    picks.append(Router.KnownRep(rule: .accountOwner, repID: holder, evidence: "account \(account), worked by \(holder)"))
                }
            }
        }
        return picks
    }

    /// The lead's account: linked in this unit of work, else in the store.
    func accountID() async throws(EngineError) -> String? {
        for operation in operations.reversed() {
            if case .linkLeadAccount(let link) = operation, link.leadID == leadID { return link.accountID }
        }
        do { return try await engine.store.linkedAccountID(leadID: leadID) } catch { throw .store(eventID: source, error) }
    }

    /// Adds `entry` to the lead's decision ledger, in this unit of work (so it commits with the
    /// decision it explains, or not at all).
    mutating func recordLedger(_ entry: DecisionLedgerEntry, at instant: Date) throws(EngineError) {
        do {
            operations.append(.recordLedgerEntry(try DecisionLedgerRecord(leadID: leadID, decidedAt: instant, entry: entry)))
        } catch {
            throw .store(eventID: source, error)
        }
    }

    /// The lead's engagement events (journal rows of other kinds excluded).
    var engagementEvents: [EngagementEvent] {
        HandoffEngine.engagementRows(timeline?.events ?? []).map {
            EngagementEvent(type: $0.type, occurredAt: $0.occurredAt)
        }
    }

    /// Raises every alert among the effects (ids derived from `source`, so a retried unit raises none twice).
    mutating func raiseAlerts() throws(EngineError) {
        var index = 0
        for effect in effects {
            guard let kind = effect.alertKind else { continue }
            index += 1
            let payload: JSONText
            do {
                payload = try JSONText(encoding: ["summary": effect.summary, "lead_id": leadID, "at": EventTime.format(effect.at)])
            } catch {
                throw .store(eventID: source, error)
            }
            operations.append(
                .raiseAlert(
                    AlertRecord(
                        id: "\(source)/\(index)-\(kind)", kind: kind, leadID: leadID,
                        target: effect.alertTarget(fallbackQueue: flow.routing.fallbackQueue),
                        payload: payload, createdAt: effect.at)))
        }
    }
}

extension HandoffEngine {
    /// Timer id of a lead's `n`-th hand-off (from 1).
    static func timerID(leadID: String, handoff n: Int) -> String { "\(leadID)/handoff-\(n)" }

    /// The field values the model and the playbook see (see the type's discussion of counts).
    nonisolated func effectiveFields(_ fields: [String: String], events: [EngagementEvent], at instant: Date) -> [String: String] {
        Self.effectiveFields(fields, events: events, at: instant, countedColumns: countedColumns)
    }

    /// The rule of ``effectiveFields(_:events:at:)`` for any list of counted columns (numeric model
    /// columns without a half-life), shared with the training export so a training row holds the
    /// values the scorer saw.
    static func effectiveFields(
        _ fields: [String: String], events: [EngagementEvent], at instant: Date, countedColumns: [String]
    ) -> [String: String] {
        guard !events.isEmpty else { return fields }
        var result = fields
        // Counted per distinct type first: normalising each event's type for each column cost
        // more than the rest of an engagement's unit of work.
        var perType: [String: Int] = [:]
        for event in events where event.occurredAt <= instant { perType[event.type, default: 0] += 1 }
        let perName = perType.map { (name: EngagementDecay.normalizedName($0.key), count: $0.value) }
        for column in countedColumns {
            let key = EngagementDecay.normalizedName(column)
            let count = perName.reduce(0) { $1.name == key ? $0 + $1.count : $0 }
            guard count > 0 else { continue }
            let base = Double(fields[column]?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
            let total = base + Double(count)
            result[column] = total == total.rounded() && abs(total) < 1e15 ? String(Int(total)) : "\(total)"
        }
        return result
    }

    /// The lead's SLA state, folded from its stored hand-offs, attempts and dispositions, then
    /// advanced to the last instant a transition was stored at (so fired steps stay fired).
    nonisolated func foldSLA(_ timeline: LeadTimeline?, leadID: String) throws(SLAError) -> SLAState {
        try foldSLA(timeline, leadID: leadID, before: nil)
    }

    /// The fold by event time; with `before`, only the inputs earlier than that instant (hand-offs
    /// at it included) and no final tick: where the lead stood just before an event of that time.
    nonisolated func foldSLA(_ timeline: LeadTimeline?, leadID: String, before cutoff: Date?) throws(SLAError) -> SLAState {
        var state = SLAState(leadID: leadID)
        guard let timeline else { return state }
        let clock = flow.slaClock
        let reps = timeline.assignments.compactMap { a in a.repID.map { (a, $0) } }
            .sorted { ($0.0.assignedAt, $0.0.rowID ?? 0) < ($1.0.assignedAt, $1.0.rowID ?? 0) }
        let timers = timeline.timers.sorted { Self.handoffNumber($0.id) < Self.handoffNumber($1.id) }
        var inputs: [(at: Date, order: Int, seq: Int, event: SLAEvent)] = []
        for (i, timer) in timers.enumerated() where i < reps.count {
            let (assignment, rep) = reps[i]
            let byHand = assignment.rule.hasPrefix(HandoffEngine.byHandRulePrefix)
            inputs.append(
                (timer.startedAt, 0, i, byHand ? .assignedByHand(repID: rep, policy: timer.policy) : .handedOff(repID: rep, policy: timer.policy)))
        }
        for (i, a) in timeline.contactAttempts.enumerated() {
            let attempt = ContactAttempt(
                repID: a.repID ?? "", channel: ContactAttempt.Channel(rawValue: a.channel) ?? .other,
                result: a.result.flatMap(ContactAttempt.Result.init(rawValue:)) ?? .noAnswer)
            inputs.append((a.attemptedAt, 1, i, .contactAttempt(attempt)))
        }
        for (i, d) in timeline.dispositions.enumerated() { inputs.append((d.decidedAt, 2, i, .disposition(code: d.code))) }
        // Pauses and resumes are journal rows; their payload is the event.
        for (i, row) in timeline.events.enumerated()
        where row.type == InboundEvent.Kind.slaPause.rawValue || row.type == InboundEvent.Kind.slaResume.rawValue {
            guard let stored = try? row.payload.decode(InboundEvent.self), case .clock(let pause) = stored.body else { continue }
            inputs.append((row.occurredAt, 4, i, stored.kind == .slaPause ? .paused(reason: pause.reason ?? "", until: pause.until) : .resumed))
        }
        // A hand-back (`release`) is stored as the queue's assignment, its rule naming the rep.
        for (i, a) in timeline.assignments.enumerated() where a.repID == nil {
            guard a.rule.hasPrefix(RoutingExplanation.handedBackRulePrefix) else { continue }
            inputs.append((a.assignedAt, 3, i, .handedBack(repID: String(a.rule.dropFirst(RoutingExplanation.handedBackRulePrefix.count)))))
        }
        inputs.sort { ($0.at, $0.order, $0.seq) < ($1.at, $1.order, $1.seq) }
        // An input the machine refuses here was stored without moving the SLA (sales activity
        // on a lead not handed off, or after won/lost), so skipping it reproduces the live state.
        for input in inputs {
            if let cutoff, input.at > cutoff || (input.at == cutoff && input.order > 0) { break }
            if !input.event.isHandoff && state.phase == .pending { continue }
            let at = max(input.at, state.lastEventAt ?? input.at)
            if let next = try? clock.transition(state, input.event, at: at) { state = next.state }
        }
        // The scheduler's last pass, as a tick: it catches up the steps it fired. A clock closed
        // since has none to catch up; a disposition dated before a step that had already fired
        // (CRM lag) closes it in the past, and a tick there would refuse every later event.
        if cutoff == nil, state.phase != .closed, let processed = timers.map(\.updatedAt).max(), processed > (state.lastEventAt ?? .distantPast) {
            state = try clock.transition(state, .tick, at: processed).state
        }
        return state
    }

    static func handoffNumber(_ id: String) -> Int {
        guard let range = id.range(of: "/handoff-", options: .backwards) else { return 0 }
        return Int(id[range.upperBound...]) ?? 0
    }
}
