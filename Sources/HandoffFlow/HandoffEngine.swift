import Foundation
import HandoffPersistence
import HandoffRules
import ScoringModelFormat

/// Runs inbound events through the whole hand-off flow — store, score, qualify, route, SLA,
/// closed loop — each event in ONE store unit of work.
///
/// ```swift
/// let engine = try HandoffEngine(store: store, playbook: playbook, scorer: scorer)
/// try await engine.prepare(at: start)              // roster + model registry
/// let result = try await engine.apply(event)       // effects: hand-offs, alerts, …
/// let fired = try await engine.tick(at: now)       // SLA escalations due by now
/// ```
///
/// **Per event.** The event is journalled (engagement-events table, idempotent by `event_id`:
/// a retried delivery is ``ApplyResult/Status/duplicate`` and changes nothing). `lead_created`,
/// `lead_updated` and engagements rescore the lead with the weight file (the score records the
/// model version) and qualify it with the playbook (the decision stores its evidence); a lead
/// that reaches MQL or SQL with no open hand-off is routed (router state saved with
/// compare-and-swap) and its SLA timer started under the policy its priority names. Contact
/// attempts and dispositions move the SLA state; opportunities and won/lost feed the closed
/// loop (won/lost closes the hand-off). Alerts are stored for delivery. Any error rolls the
/// event's unit back whole; earlier events stay stored.
///
/// **Engagement counts.** A numeric model feature without `half_life_days` that engagement events
/// feed (``EngagementDecay``'s name rule) is the lead's field value (0 when absent) plus the
/// number of feeding events up to the scoring instant, so `lead_created` can carry 0 and each
/// `webinar_attended` adds one to `webinars_attended`. Decayed features use the events directly.
///
/// **Order.** Time never runs backwards for one lead: an event older than the lead's latest
/// accepted event is refused (``EngineError/outOfOrder(eventID:leadID:occurredAt:latest:latestEventID:)``),
/// except an engagement, which is stored as late data and counted from its own time, the lead
/// being rescored as of its latest instant. Across leads, order does not matter.
///
/// **Re-hand-off.** A lead is handed off again only after a `nurture` disposition's re-engage
/// date, never after `disqualified`, an opportunity or an outcome.
///
/// **Sales activity without a hand-off.** A contact attempt or disposition for a lead that was
/// never handed off (sales working it directly) is stored and validated (rep, code) but moves no
/// SLA clock.
///
/// SLA state is not stored as such: it is folded from the stored hand-offs, attempts and
/// dispositions by the pure ``SLAClock`` (the timer rows record what already fired), so any
/// process reading the same store sees the same state.
package actor HandoffEngine {
    nonisolated package let store: any HandoffStore
    nonisolated package let scorer: LeadScorer
    nonisolated package let flow: FlowPlaybook
    let qualifier: Qualifier
    let playbookFile: String
    /// The version every score records.
    nonisolated package let model: ModelVersion
    /// The router's name in the store.
    nonisolated package let routerName: String
    /// Numeric model columns counted from events (no half-life).
    let countedColumns: [String]
    /// Signs the warm-introduction draft of a hand-off package when the lead's fields name no
    /// owner (`marketing_owner_email`, `marketing_owner_name`, `marketing_owner_title`).
    nonisolated package let marketingOwner: MarketingOwner?
    /// One routing at a time in this process (see ``RoutingTurn``).
    nonisolated let routingTurn = RoutingTurn()

    /// Event `type` values that an engagement's `event_type` may not take (they name journal rows).
    static let reservedTypes = Set(InboundEvent.Kind.allCases.map(\.rawValue))

    /// Checks the playbook against the model: qualification and routing fields must be model
    /// columns, documented lead fields or `knownFields`.
    /// - Throws: ``EngineError/playbook(_:)`` (missing section, unknown field with its line).
    package init(
        store: any HandoffStore, playbook: Playbook, scorer: LeadScorer, knownFields: Set<String> = [],
        routerName: String = "default", marketingOwner: MarketingOwner? = nil
    ) throws(EngineError) {
        do {
            qualifier = try Qualifier(playbook: playbook, scorer: scorer, knownFields: knownFields)
            flow = try playbook.requireFlow()
            var known = knownFields.union(scorer.requiredFields).union(HandoffPackage.documentedFields)
            for column in [scorer.weights.spec.id, scorer.weights.spec.time].compactMap({ $0 }) { known.insert(column) }
            try playbook.checkRoutingFields(known: known)
        } catch {
            throw .playbook(error)
        }
        self.store = store
        self.scorer = scorer
        self.playbookFile = playbook.file
        self.routerName = routerName
        self.marketingOwner = marketingOwner
        self.model = ModelVersion(sha256: scorer.modelChecksum, format: "\(WeightFile.formatTag)/\(WeightFile.formatVersion)")
        countedColumns = scorer.weights.encodings.filter { encoding in
            encoding.type == .numeric
                && scorer.weights.spec.features.first(where: { $0.column == encoding.column })?.halfLifeDays == nil
        }.map(\.column)
    }

    /// Writes the playbook's roster to the store and makes the weight file the production model
    /// (registering it when new), so scores and assignments have their references.
    package func prepare(at instant: Date) async throws(EngineError) {
        var ops: [WriteOperation] = []
        for rep in flow.roster.reps {
            let profile = (try? JSONText(encoding: RepProfile(rep))) ?? .emptyObject
            ops.append(
                .upsertRep(
                    RepRecord(
                        id: rep.id, name: rep.name, timeZone: rep.calendar.timeZone.identifier,
                        status: rep.status == .active ? .active : .left, profile: profile, updatedAt: instant)))
        }
        do {
            _ = try await store.commit(UnitOfWork(ops))
            if try await store.productionModel()?.upload.sha256 != model.sha256 {
                _ = try await store.registerModel(
                    ModelUpload(
                        sha256: model.sha256, format: model.format,
                        versionLabel: scorer.weights.training.createdAt,
                        fileBytes: try? scorer.weights.encoded(), uploadedAt: instant))
                try await store.promoteModel(sha256: model.sha256, at: instant)
            }
        } catch {
            throw .store(eventID: nil, error)
        }
    }

    /// Applies one event in one unit of work (see the type's discussion).
    /// - Parameters:
    ///   - receivedAt: when it arrived (defaults to its effective instant, for replays).
    ///   - extra: writes the caller adds to the event's own unit of work, given the event's
    ///     effects (e.g. a CRM sync message): they commit with the event or not at all, and are
    ///     skipped with it when the event is a duplicate. Ids should derive from the event id so a
    ///     retry stays idempotent.
    ///   - commit: commits the event's unit of work in place of `store.commit` (the service's
    ///     group commit, ``GroupCommit``); it must answer only once the unit is durable.
    ///   - waitingForRouting: told when the event starts waiting for the process's routing turn
    ///     (`true`) and when it has it (`false`); see ``RoutingTurn``.
    /// - Throws: ``EngineError`` naming the event id; nothing of the event is stored then.
    package func apply(
        _ event: InboundEvent, receivedAt: Date? = nil,
        extra: (@Sendable (_ effects: [EngineEffect]) -> [WriteOperation])? = nil,
        commit: (@Sendable (UnitOfWork) async throws(StoreError) -> UnitResult)? = nil,
        waitingForRouting: (@Sendable (_ waits: Bool) async -> Void)? = nil
    ) async throws(EngineError) -> ApplyResult {
        // Event ids are unique across the store, not per lead: a retry (same content) is a
        // duplicate, the same id with other content (another lead, type, time or fields) a
        // conflict, never counted as a duplicate and never applied without its journal row.
        // The duplicate check, the lead's merges and its flow state in one store read.
        let arrival: EventArrival
        do { arrival = try await store.eventArrival(eventID: event.eventID, leadID: event.leadID) } catch {
            throw .store(eventID: event.eventID, error)
        }
        if let duplicate = try duplicate(of: event, stored: arrival.stored) { return duplicate }
        let addressee: Addressee
        do {
            addressee = try await self.addressee(of: event, arrival: arrival)
        } catch {
            throw .store(eventID: event.eventID, error)
        }
        var routed = event
        routed.leadID = addressee.leadID
        // An event that routes holds the routing turn until its unit is committed (RoutingTurn).
        let (work, result) = try await RoutingClaim.around(routingTurn, waiting: waitingForRouting) {
            claim async throws(EngineError) -> (EventWork, UnitResult) in
            var work = try EventWork(
                event: routed, timeline: addressee.timeline, engine: self, receivedAt: receivedAt, original: event,
                arrivalKey: addressee.arrivalKey, routing: claim)
            try await work.run()
            let operations = work.operations + (extra?(work.effects) ?? [])
            let unit = UnitOfWork(trigger: work.trigger, then: operations)
            do throws(StoreError) {
                if let commit { return (work, try await commit(unit)) }
                return (work, try await store.commit(unit))
            } catch {
                throw .store(eventID: event.eventID, error)
            }
        }
        if result.isDuplicate {
            // Another request stored this id between the check above and this commit (two
            // deliveries at once, possibly in one group): a duplicate only if it is the same event.
            return try await storedDuplicate(of: event) ?? ApplyResult(eventID: event.eventID, status: .duplicate, effects: [])
        }
        return ApplyResult(
            eventID: event.eventID, status: .applied, effects: work.effects, packages: work.lead.packages, missingFields: work.missingFields)
    }
}

extension HandoffEngine {
    /// The most merges followed from an id to its survivor.
    static let mergeHops = 8
    /// The most leads whose engagement one survivor's scoring joins.
    static let mergeReach = 64

    /// The lead an event is applied to, with its flow timeline (joined with the engagement of
    /// the leads merged into it) and, for a second form fill of a stored person, the e-mail key.
    struct Addressee {
        var leadID: String
        var timeline: LeadTimeline?
        var arrivalKey: String?
    }

    /// Follows standing merges from the event's lead to its survivor; a new lead (`lead_created`,
    /// or an integration's lead event) whose normalised e-mail a stored lead has goes to that lead
    /// when the playbook merges by e-mail (see `EventWork+Merge`).
    /// - Parameter arrival: the merges and flow timeline of the event's own lead, read already.
    func addressee(of event: InboundEvent, arrival: EventArrival) async throws(StoreError) -> Addressee {
        var leadID = event.leadID
        var merges = arrival.merges
        var hops = 0
        while hops < Self.mergeHops, let standing = merges.first(where: { $0.mergedID == leadID }) {
            leadID = standing.survivorID
            hops += 1
            merges = try await store.leadMerges(involving: leadID, includeEnded: false)
        }
        var timeline = hops == 0 ? arrival.timeline : try await store.flowTimeline(leadID: leadID)
        var arrivalKey: String?
        if timeline == nil, event.kind == .leadCreated || event.integration != nil, flow.merge.byEmail, case .lead(let body) = event.body,
            let key = body.fields["email"].flatMap(EmailKey.of),
            let first = try await store.leadIDs(emailKey: key).first(where: { $0 != event.leadID })
        {
            leadID = first
            arrivalKey = key
            merges = try await store.leadMerges(involving: leadID, includeEnded: false)
            timeline = try await store.flowTimeline(leadID: leadID)
        }
        guard var joined = timeline else { return Addressee(leadID: leadID, timeline: nil, arrivalKey: arrivalKey) }
        let merged = try await mergedLeads(into: leadID, direct: merges)
        if !merged.isEmpty { joined.events = Self.inTimeOrder(joined.events + (try await engagementRows(of: merged))) }
        return Addressee(leadID: leadID, timeline: joined, arrivalKey: arrivalKey)
    }

    /// The leads standing merged into `leadID`, and those merged into them in turn (at most
    /// ``mergeReach`` in all). `direct`: the merges already read for `leadID`.
    nonisolated func mergedLeads(into leadID: String, direct: [LeadMergeRecord]? = nil) async throws(StoreError) -> [String] {
        var seen: Set<String> = [leadID]
        var found: [String] = []
        let merges: [LeadMergeRecord]
        if let direct { merges = direct } else { merges = try await store.leadMerges(involving: leadID, includeEnded: false) }
        var queue = merges.filter { $0.survivorID == leadID }.map(\.mergedID)
        while let next = queue.popLast(), seen.count < Self.mergeReach {
            guard seen.insert(next).inserted else { continue }
            found.append(next)
            queue += try await store.leadMerges(involving: next, includeEnded: false).filter { $0.survivorID == next }.map(\.mergedID)
        }
        return found
    }

    /// The engagement journal rows of `leads` (what a survivor's scoring joins).
    nonisolated func engagementRows(of leads: [String]) async throws(StoreError) -> [EngagementEventRecord] {
        var rows: [EngagementEventRecord] = []
        for lead in leads { rows += Self.engagementRows(try await store.flowTimeline(leadID: lead)?.events ?? []) }
        return rows
    }

    /// The engagement rows among journal rows (not the rows of event types such as `contact_attempt`).
    static func engagementRows(_ events: [EngagementEventRecord]) -> [EngagementEventRecord] {
        events.filter { !reservedTypes.contains($0.type) }
    }

    /// Rows by time, rows of one instant in the order given.
    static func inTimeOrder(_ events: [EngagementEventRecord]) -> [EngagementEventRecord] {
        events.enumerated().sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }.map(\.element)
    }

    /// `.duplicate` when the store already holds this event id with the same content; throws
    /// ``EngineError/eventIDReused(eventID:leadID:storedLeadID:storedType:)`` when it holds it
    /// with other content; nil when the id is new.
    func storedDuplicate(of event: InboundEvent) async throws(EngineError) -> ApplyResult? {
        let stored: EngagementEventRecord?
        do { stored = try await store.event(id: event.eventID) } catch { throw .store(eventID: event.eventID, error) }
        return try duplicate(of: event, stored: stored)
    }

    /// ``storedDuplicate(of:)`` with the journal row under the event's id read already.
    func duplicate(of event: InboundEvent, stored: EngagementEventRecord?) throws(EngineError) -> ApplyResult? {
        guard let stored else { return nil }
        let payload: JSONText
        do { payload = try JSONText(encoding: event) } catch { throw .store(eventID: event.eventID, error) }
        guard stored.leadID == event.leadID, stored.payload == payload else {
            throw .eventIDReused(eventID: event.eventID, leadID: event.leadID, storedLeadID: stored.leadID, storedType: stored.type)
        }
        return ApplyResult(eventID: event.eventID, status: .duplicate, effects: [])
    }
}

/// What a rep record's profile holds (routing and calendar facts, for readers of the store).
struct RepProfile: Encodable {
    let email: String
    let manager: String?
    let territories: [String]
    let industries: [String]
    let dealSizeTiers: [String]
    let weight: Int
    let capacity: Int

    init(_ rep: Rep) {
        email = rep.email
        manager = rep.manager
        territories = rep.territories
        industries = rep.industries
        dealSizeTiers = rep.dealSizeTiers
        weight = rep.weight
        capacity = rep.capacity
    }

    enum CodingKeys: String, CodingKey {
        case email, manager, territories, industries, weight, capacity
        case dealSizeTiers = "deal_size_tiers"
    }
}
