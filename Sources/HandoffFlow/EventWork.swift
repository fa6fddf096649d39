import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// The unit of work for one inbound event: checks, then the writes and effects of its kind.
struct EventWork {
    let event: InboundEvent
    /// The instant the flow runs at: the event's time, or the lead's latest for a late engagement.
    let instant: Date
    /// The journal row of the event (idempotent by its id).
    let journal: WriteOperation
    var lead: LeadWork

    /// Whether the event creates the lead (`lead_created`, or an integration's lead event for a new lead).
    let createsLead: Bool
    /// The model fields the lead still lacks after this event (empty once it is scored).
    var missingFields: [String] = []

    /// The unit's trigger: the journal row, except for the event that creates the lead, whose row
    /// can only follow the lead it references (a retried one is caught by the lead's journal before).
    var trigger: WriteOperation? { createsLead || arrivalKey != nil ? nil : journal }
    var operations: [WriteOperation] { lead.operations }
    var effects: [EngineEffect] { lead.effects }

    /// The lead the event named, under which its journal row is kept: the unit's lead, or a lead
    /// merged into it (see `EventWork+Merge`).
    let journalLeadID: String
    /// Set for a second form fill of a stored person: the normalised e-mail that found the unit's lead.
    let arrivalKey: String?

    /// - Parameters:
    ///   - event: the event as applied, addressed to the unit's lead.
    ///   - original: the event as sent, when it named another lead (merged, or a duplicate
    ///     arriving): its journal row keeps it, so a retry is recognised.
    init(
        event: InboundEvent, timeline: LeadTimeline?, engine: HandoffEngine, receivedAt: Date?, original: InboundEvent? = nil,
        arrivalKey: String? = nil, routing: RoutingClaim
    ) throws(EngineError) {
        let id = event.eventID
        // An integration's lead event merges: it creates a new lead and updates a stored one.
        // A second form fill of a stored person arrives at that person's lead.
        let merges = event.integration != nil || arrivalKey != nil
        switch (event.kind, timeline) {
        case (.leadCreated, .some) where !merges: throw .leadAlreadyExists(eventID: id, leadID: event.leadID)
        case (.leadCreated, nil): break
        case (.leadUpdated, nil) where merges: break
        case (_, nil): throw .unknownLead(eventID: id, leadID: event.leadID, type: event.kind.rawValue)
        default: break
        }
        createsLead = timeline == nil
        if let lead = timeline?.lead, event.occurredAt < lead.createdAt, !merges {
            throw .invalidField(
                eventID: id, field: "occurred_at",
                problem:
                    "\(EventTime.format(event.occurredAt)) is before lead '\(event.leadID)' was created (\(EventTime.format(lead.createdAt))); an event cannot precede its lead. Send engagement from before the form fill as lead_created `fields`, or correct the time"
            )
        }
        var instant = event.occurredAt
        if let latest = timeline?.events.max(by: { $0.occurredAt < $1.occurredAt }), event.occurredAt < latest.occurredAt {
            // Engagement and contact attempts may arrive late (tracking batches, CRM lag): the
            // first at the lead's latest instant, the second judged at its own time (LeadWork+LateTouch).
            // An integration's lead event too (vendors deliver out of order): merged at the lead's
            // latest instant, without the fields a later stored event set (``lateMerge``).
            guard event.kind == .engagement || event.kind == .contactAttempt || merges else {
                throw .outOfOrder(
                    eventID: id, leadID: event.leadID, occurredAt: event.occurredAt, latest: latest.occurredAt,
                    latestEventID: latest.id)
            }
            instant = latest.occurredAt
        }
        var type = event.kind.rawValue
        if case .engagement(let engagement) = event.body {
            guard !HandoffEngine.reservedTypes.contains(engagement.eventType) else {
                throw .invalidField(
                    eventID: id, field: "event_type",
                    problem: "cannot be `\(engagement.eventType)`, which names an event type; use the engagement's own name (e.g. webinar_attended)")
            }
            type = engagement.eventType
        }
        let sent = original ?? event
        let payload: JSONText
        do { payload = try JSONText(encoding: sent) } catch { throw .store(eventID: id, error) }
        self.event = event
        self.instant = instant
        self.journalLeadID = sent.leadID
        self.arrivalKey = arrivalKey
        journal = .appendEvent(
            EngagementEventRecord(
                id: id, leadID: sent.leadID, type: type, occurredAt: event.occurredAt,
                receivedAt: receivedAt ?? instant, payload: payload))
        lead = try LeadWork(engine: engine, leadID: event.leadID, source: id, timeline: timeline, routing: routing)
    }

    var engine: HandoffEngine { lead.engine }
    var id: String { event.eventID }

    mutating func run() async throws(EngineError) {
        switch event.body {
        case .lead(let body):
            if let arrivalKey { try await arrivalMerge(body, key: arrivalKey) } else { try await leadFields(body) }
        case .merge(let body):
            try await mergeEvent(body)
        case .engagement(let body):
            try await evaluate(
                extraEvent: EngagementEvent(
                    type: journal.engagementType, occurredAt: event.occurredAt,
                    contentTitle: body.content, contentURL: body.url))
        case .contactAttempt(let attempt):
            try await contactAttempt(attempt)
        case .disposition(let disposition):
            try await dispose(disposition)
        case .assign(let assignment):
            try await assignByHand(assignment)
        case .release(let release):
            try await handBack(release)
        case .clock(let pause):
            try await clock(pause)
        case .opportunity(let opportunity):
            try opportunityEvent(opportunity)
        case .outcome(let outcome):
            try await outcomeEvent(outcome)
        }
        try lead.raiseAlerts()
    }

    // MARK: Lead and engagement

    mutating func leadFields(_ body: InboundEvent.LeadFields) async throws(EngineError) {
        var record: LeadRecord
        if let existing = lead.timeline?.lead {
            var fields = lead.storedFields
            var given = body.fields
            if body.integration != nil, event.occurredAt < instant || event.occurredAt < existing.createdAt {
                for field in try await fieldsSetAfter(event.occurredAt) { given[field] = nil }
            }
            fields.merge(given) { _, new in new }
            record = existing
            do { record.fields = try JSONText(encoding: fields) } catch { throw .store(eventID: id, error) }
            record.source = body.source ?? existing.source
            record.campaign = body.campaign ?? existing.campaign
            record.updatedAt = instant
        } else {
            let fields: JSONText
            do { fields = try JSONText(encoding: body.fields) } catch { throw .store(eventID: id, error) }
            record = LeadRecord(id: event.leadID, fields: fields, source: body.source, campaign: body.campaign, createdAt: instant)
            lead.timeline = LeadTimeline(lead: record)
        }
        let previousKey = (createsLead ? nil : lead.storedFields["email"]).flatMap(EmailKey.of)
        lead.timeline?.lead = record
        lead.operations.append(.upsertLead(record))
        if createsLead { lead.operations.append(journal) }
        let key = lead.storedFields["email"].flatMap(EmailKey.of)
        if createsLead ? key != nil : key != previousKey { lead.operations.append(.keyLeadEmail(leadID: event.leadID, key: key)) }
        try await lead.linkAccount(at: instant)
        try await evaluate(extraEvent: nil)
    }

    /// The fields that the lead's stored lead events later than `instant` set: a late
    /// integration event must not overwrite them with its older values.
    func fieldsSetAfter(_ instant: Date) async throws(EngineError) -> Set<String> {
        let stored: [EngagementEventRecord]
        do { stored = try await engine.store.leadTimeline(leadID: event.leadID)?.events ?? [] } catch { throw .store(eventID: id, error) }
        var fields = Set<String>()
        for row in stored
        where row.occurredAt > instant && (row.type == InboundEvent.Kind.leadCreated.rawValue || row.type == InboundEvent.Kind.leadUpdated.rawValue) {
            if let later = try? row.payload.decode(InboundEvent.self), case .lead(let body) = later.body { fields.formUnion(body.fields.keys) }
        }
        return fields
    }

    /// Whether a lead that lacks model fields may be stored without a score: the event came
    /// through an integration, or the lead was stored incomplete before (it has no score yet).
    /// Baton's own `lead_created` for a new lead is never incomplete (422 instead).
    func mayStayIncomplete() async throws(EngineError) -> Bool {
        if event.integration != nil { return true }
        guard !createsLead else { return false }
        do { return try await engine.store.leadTimeline(leadID: event.leadID)?.scores.isEmpty ?? false } catch { throw .store(eventID: id, error) }
    }

    /// Rescores and qualifies the lead; hands it off when it reaches MQL/SQL and may be handed off.
    mutating func evaluate(extraEvent: EngagementEvent?) async throws(EngineError) {
        let engine = self.engine
        var events = lead.engagementEvents
        if let extraEvent { events.append(extraEvent) }
        let fields = engine.effectiveFields(lead.storedFields, events: events, at: instant)
        let subject = Lead(id: event.leadID, fields: fields, createdAt: lead.timeline?.lead.createdAt ?? instant, events: events)
        let score: LeadScore
        do {
            score = try engine.scorer.score(subject, at: instant)
        } catch {
            switch error {
            case .missingFields(_, let missing):
                // Stored with its fields and events, neither scored nor qualified nor routed: the
                // event that brings the last missing field scores it (the lead read lists the rest).
                guard try await mayStayIncomplete() else { throw .missingFields(eventID: id, leadID: event.leadID, fields: missing) }
                missingFields = missing
                return
            default: throw .badValue(eventID: id, leadID: event.leadID, detail: error.description)
            }
        }
        let decision = engine.qualifier.decide(subject, score: score, at: instant, account: try await accountContacts())
        do {
            lead.operations.append(
                .recordScore(
                    ScoreRecord(
                        leadID: event.leadID, model: engine.model, probability: score.probability, points: score.points,
                        fitPoints: score.fitPoints, engagementPoints: score.engagementPoints,
                        reasons: try JSONText(encoding: score.reasons), scoredAt: instant, triggerEventID: id)))
            lead.operations.append(
                .recordDecision(
                    QualificationDecisionRecord(
                        leadID: event.leadID, stage: decision.stage,
                        priority: decision.priority, rule: decision.decidingRule ?? "none",
                        evidence: try JSONText(encoding: decision), decidedAt: instant)))
        } catch {
            throw .store(eventID: id, error)
        }
        lead.effects.append(
            EngineEffect(
                leadID: event.leadID, at: instant,
                kind: .qualified(
                    stage: decision.stage, priority: decision.priority, rule: decision.decidingRule, points: score.points)))
        if decision.stage >= .mql && mayHandOff {
            // The package shows the journey with its content, which scoring does not read (the flow
            // timeline carries no payloads): one full read, only when the lead may be handed off.
            let stored: [EngagementEventRecord]
            do { stored = try await engine.store.leadTimeline(leadID: event.leadID)?.events ?? [] } catch { throw .store(eventID: id, error) }
            var shown = HandoffEngine.packageEvents(stored)
            if let extraEvent { shown.append(extraEvent) }
            lead.handoffBasis = (Lead(id: event.leadID, fields: fields, createdAt: subject.createdAt, events: shown), score, decision)
            try await lead.route(priority: decision.priority, at: instant)
        }
    }

    /// The other contacts of the lead's account as they stand now, for the playbook's account
    /// rules; nil without account rules or an account. A contact that cannot be scored yet (an
    /// integration's lead missing model fields) is left out.
    func accountContacts() async throws(EngineError) -> (id: String, contacts: [AccountContact])? {
        guard !engine.qualifier.playbook.accountRules.isEmpty, let account = try await lead.accountID() else { return nil }
        let store = engine.store
        var contacts: [AccountContact] = []
        do {
            for other in try await store.accountContacts(accountID: account, limit: AccountQualificationRule.contactLimit)
            where other != event.leadID {
                guard let timeline = try await store.flowTimeline(leadID: other) else { continue }
                let events = HandoffEngine.engagementRows(timeline.events).filter { $0.occurredAt <= instant }
                    .map { EngagementEvent(type: $0.type, occurredAt: $0.occurredAt) }
                let fields = engine.effectiveFields(timeline.lead.fieldValues, events: events, at: instant)
                let subject = Lead(id: other, fields: fields, createdAt: timeline.lead.createdAt, events: events)
                guard let score = try? engine.scorer.score(subject, at: max(instant, timeline.lead.createdAt)) else { continue }
                contacts.append(AccountContact(lead: subject, score: score))
            }
        } catch {
            throw .store(eventID: id, error)
        }
        return (account, contacts)
    }

    /// No open hand-off, no opportunity or outcome, and no disposition still holding the lead.
    var mayHandOff: Bool {
        guard let timeline = lead.timeline else { return true }
        if timeline.assignments.contains(where: { $0.unassignedAt == nil }) { return false }
        if !timeline.opportunities.isEmpty || !timeline.outcomes.isEmpty { return false }
        guard let last = timeline.dispositions.last else { return true }
        guard let code = engine.flow.dispositions.code(last.code), code.destination == .nurture else { return false }
        guard let reEngage = last.reengageAt else { return false }
        return instant >= reEngage
    }

    // MARK: Sales activity

    func checkRep(_ repID: String) throws(EngineError) {
        guard engine.flow.roster.rep(repID) != nil else {
            throw .unknownRep(eventID: id, repID: repID, field: "rep_id", known: engine.flow.roster.ids)
        }
    }

    /// SLA moves only for a lead handed off and not closed by won/lost.
    var slaActive: Bool { lead.sla.phase != .pending && !lead.hasOutcome }

    mutating func contactAttempt(_ body: InboundEvent.Attempt) async throws(EngineError) {
        try checkRep(body.repID)
        guard let channel = ContactAttempt.Channel(rawValue: body.channel) else {
            throw .invalidField(
                eventID: id, field: "channel",
                problem: "`\(body.channel)` is not a channel; use one of \(ContactAttempt.Channel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let result = ContactAttempt.Result(rawValue: body.outcome) else {
            throw .invalidField(
                eventID: id, field: "outcome",
                problem:
                    "`\(body.outcome)` is not an attempt outcome; use one of \(ContactAttempt.Result.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let record = ContactAttemptRecord(
            id: id, leadID: event.leadID, repID: body.repID, channel: channel.rawValue, result: result.rawValue,
            attemptedAt: event.occurredAt, note: body.note)
        if slaActive {
            if lead.arrivesLate(event.occurredAt) {
                try await lead.lateTouch(record, arrivedAt: max(instant, lead.sla.lastEventAt ?? instant), eventID: id)
            } else {
                try await lead.slaEvent(.contactAttempt(ContactAttempt(repID: body.repID, channel: channel, result: result)), at: instant)
            }
        }
        lead.operations.append(.appendContactAttempt(record))
    }

    mutating func dispose(_ body: InboundEvent.DispositionBody) async throws(EngineError) {
        try checkRep(body.repID)
        let engine = self.engine
        let timeZone = engine.flow.roster.rep(body.repID)?.calendar.timeZone ?? TimeZone(secondsFromGMT: 0) ?? .current
        var reEngage: LocalDate?
        if slaActive {
            try await lead.slaEvent(.disposition(code: body.code), at: instant)
            reEngage = lead.sla.disposition?.reEngageOn
            lead.operations.append(.closeAssignment(leadID: event.leadID, at: instant, reason: "disposition \(body.code)"))
        } else {
            let attempts = lead.timeline?.contactAttempts.count ?? 0
            let minimum = (try? engine.flow.sla.policy(named: HandoffPriority.standard.slaPolicyName))?.minimumAttempts ?? 0
            do {
                let outcome = try engine.flow.dispositions.outcome(
                    code: body.code, attemptsMade: attempts, minimumAttempts: minimum,
                    at: instant, timeZone: timeZone)
                reEngage = outcome.reEngageOn
                lead.effects.append(EngineEffect(leadID: event.leadID, at: instant, kind: .closed(reason: outcome.code, reEngageOn: reEngage)))
            } catch {
                throw .sla(eventID: id, .disposition(leadID: event.leadID, error))
            }
            lead.operations.append(.closeAssignment(leadID: event.leadID, at: instant, reason: "disposition \(body.code)"))
        }
        lead.operations.append(
            .appendDisposition(
                DispositionRecord(
                    id: id, leadID: event.leadID, repID: body.repID, code: body.code, note: body.note,
                    reengageAt: reEngage.map { $0.midnight(in: timeZone) }, decidedAt: event.occurredAt)))
    }

    // MARK: Closed loop

    func money(_ amount: Decimal, currency: String, field: String) throws(EngineError) -> Money {
        guard currency.count == 3, currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw .invalidField(
                eventID: id, field: "currency", problem: "`\(currency)` is not an ISO 4217 code; use three capital letters such as EUR")
        }
        let exponent = Self.zeroDecimalCurrencies.contains(currency) ? 0 : 2
        var scaled = amount * Decimal(sign: .plus, exponent: exponent, significand: 1)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, !amount.isNaN, amount >= 0 else {
            throw .invalidField(eventID: id, field: field, problem: "\(amount) is not an amount ≥ 0 with at most \(exponent) decimals in \(currency)")
        }
        // Bounded before the conversion, which would wrap silently: 10¹⁵ major units is beyond
        // any deal, and its minor units fit an Int64 with room to sum a whole pipeline.
        guard amount < Decimal(largestLeadNumber), let minor = Int64("\(rounded)") else {
            throw .invalidField(
                eventID: id, field: field, problem: "\(amount) is beyond 10^15 \(currency), the largest amount Baton records; check the unit")
        }
        return Money(minorUnits: minor, currency: currency)
    }

    /// ISO 4217 currencies without minor units.
    static let zeroDecimalCurrencies: Set<String> = ["JPY", "KRW", "VND", "CLP", "ISK", "PYG", "UGX", "XAF", "XOF"]

    mutating func opportunityEvent(_ body: InboundEvent.OpportunityBody) throws(EngineError) {
        let existing = lead.timeline?.opportunities.first { $0.id == body.opportunityID }
        if existing != nil, lead.timeline?.outcomes.contains(where: { $0.opportunityID == body.opportunityID }) == true {
            throw .opportunity(eventID: id, problem: OpportunityError.alreadyClosed(id: body.opportunityID).description)
        }
        if let existing, existing.amount.currency != body.currency {
            throw .invalidField(
                eventID: id, field: "currency",
                problem:
                    "is \(body.currency) but opportunity \(body.opportunityID) is in \(existing.amount.currency); keep one currency per opportunity")
        }
        let amount = try money(body.amount, currency: body.currency, field: "amount")
        lead.operations.append(
            .upsertOpportunity(
                OpportunityRecord(
                    id: body.opportunityID, leadID: event.leadID, amount: amount, stage: body.stage,
                    openedAt: existing?.openedAt ?? event.occurredAt, updatedAt: instant)))
    }

    mutating func outcomeEvent(_ body: InboundEvent.OutcomeBody) async throws(EngineError) {
        guard let opportunity = lead.timeline?.opportunities.first(where: { $0.id == body.opportunityID }) else {
            throw .opportunity(
                eventID: id,
                problem: "opportunity \(body.opportunityID) is not stored for lead \(event.leadID); send its opportunity event (for this lead) first")
        }
        if lead.timeline?.outcomes.contains(where: { $0.opportunityID == body.opportunityID }) == true {
            throw .opportunity(eventID: id, problem: OpportunityError.alreadyClosed(id: body.opportunityID).description)
        }
        guard
            body.closeDate >= InboundEvent.truncatedToMilliseconds(opportunity.openedAt)
                || Calendar(identifier: .gregorian).isDate(body.closeDate, inSameDayAs: opportunity.openedAt)
        else {
            throw .opportunity(
                eventID: id,
                problem: OpportunityError.closedBeforeOpened(
                    id: body.opportunityID, closedAt: body.closeDate,
                    openedAt: opportunity.openedAt
                ).description)
        }
        let amount = try money(body.amount, currency: opportunity.amount.currency, field: "amount")
        let result: OutcomeRecord.Result = event.kind == .won ? .won : .lost
        lead.operations.append(
            .appendOutcome(
                OutcomeRecord(
                    id: id, opportunityID: body.opportunityID, leadID: event.leadID,
                    result: result, amount: amount, closedAt: body.closeDate, reason: body.reason)))
        lead.operations.append(.closeAssignment(leadID: event.leadID, at: instant, reason: result.rawValue))
        for var timer in lead.timers.values where timer.state.isOpen {
            timer.state = .cancelled
            timer.updatedAt = instant
            lead.upsert(timer)
        }
        lead.effects.append(EngineEffect(leadID: event.leadID, at: instant, kind: .closed(reason: result.rawValue, reEngageOn: nil)))
    }
}

extension WriteOperation {
    /// The engagement type of an event append (empty otherwise).
    var engagementType: String {
        if case .appendEvent(let record) = self { return record.type }
        return ""
    }
}

extension LocalDate {
    /// Midnight at the start of this date in `timeZone`.
    func midnight(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }
}
