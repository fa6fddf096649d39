import Foundation

/// Persistence for the hand-off flow: SQLite (`HandoffSQLite`, the embedded default) and
/// PostgreSQL (`HandoffPostgres`, for several instances) implement it alike.
///
/// Every method is `async`: the SQLite store runs on GRDB's writer and reader queues, a
/// PostgreSQL store on its connection pool, and the HTTP service awaits either without blocking
/// its event loop. All writes go through ``commit(_:)-(UnitOfWork)``: a unit of work is a value
/// (a list of ``WriteOperation``s), so any backend can run it in one database transaction
/// without handing the caller a connection.
///
/// Time: every `Date` is stored in UTC at millisecond precision (fractions of a millisecond are
/// truncated). Money: integer minor units with an ISO 4217 code (``Money``). Idempotency:
/// events, attempts, dispositions, outcomes and alerts carry the sender's id, and a database
/// UNIQUE constraint makes a retried delivery ``WriteOutcome/alreadyStored``.
package protocol HandoffStore: InteractionStore, Sendable {
    // MARK: Writes

    /// Runs `unit` in one transaction: all of it is stored, or (on error or crash) none of it.
    ///
    /// - Throws: ``StoreError`` naming the operation and field, e.g. ``StoreError/unknownLead(leadID:referencedBy:field:)``.
    func commit(_ unit: UnitOfWork) async throws(StoreError) -> UnitResult

    /// Commits `units` in order, each atomically. On the first failing unit the units before it
    /// stay committed, it and the later ones are not, and ``StoreError/batchHalted(index:committedCount:cause:)``
    /// says which one failed and why.
    func commit(_ units: [UnitOfWork]) async throws(StoreError) -> [UnitResult]

    /// Commits `units` in order in ONE transaction, each in its own savepoint: a unit that fails
    /// is rolled back alone and gets its error, the others commit together (one sync to disk for
    /// all). The group commit of ``GroupCommit`` runs on it.
    /// - Returns: one result per unit, in order.
    /// - Throws: when the transaction fails as a whole (it could not begin or commit, or the
    ///   database abandoned it): then none of the units is stored.
    func commitEach(_ units: [UnitOfWork]) async throws(StoreError) -> [Result<UnitResult, StoreError>]

    // MARK: Model registry

    /// Registers a weight file (``WriteOutcome/alreadyStored`` when its sha256 is registered).
    func registerModel(_ upload: ModelUpload) async throws(StoreError) -> WriteOutcome
    /// Puts a registered model into production, retiring the current one in the same transaction.
    func promoteModel(sha256: String, at date: Date) async throws(StoreError)
    /// Retires the production model and puts back the one that was in production before it.
    /// Repeated roll-backs walk further back through the promotion history.
    /// - Returns: the model now in production.
    func rollBackModel(at date: Date) async throws(StoreError) -> RegisteredModel
    /// The model in production, or nil before the first promotion.
    func productionModel() async throws(StoreError) -> RegisteredModel?
    /// One registered model; `includeBytes` loads the stored file too.
    func model(sha256: String, includeBytes: Bool) async throws(StoreError) -> RegisteredModel?
    /// All registered models, in upload order (without file bytes).
    func models() async throws(StoreError) -> [RegisteredModel]
    /// Every production period, oldest first.
    func deployments() async throws(StoreError) -> [ModelDeployment]

    // MARK: Access tokens

    /// Stores a new token (its hash only).
    /// - Throws: ``StoreError/conflictingRecord(record:id:reason:)`` when the name or hash is
    ///   taken: of two instances issuing the same name at once, exactly one succeeds.
    func issueAccessToken(_ token: AccessTokenRecord) async throws(StoreError)
    /// Stores `tokens` in one transaction, skipping any whose name or hash is already stored
    /// (importing the same list twice, or from two instances at once, stores each token once).
    /// - Returns: how many were stored now.
    func importAccessTokens(_ tokens: [AccessTokenRecord]) async throws(StoreError) -> Int
    /// Deletes the token called `name`; false when there is none. Effective for every instance
    /// on the next request: nothing caches tokens.
    func revokeAccessToken(name: String) async throws(StoreError) -> Bool
    /// Every stored token, by name.
    func accessTokens() async throws(StoreError) -> [AccessTokenRecord]
    /// The token whose SHA-256 is `sha256`, if stored.
    func accessToken(sha256: String) async throws(StoreError) -> AccessTokenRecord?

    // MARK: Readiness

    /// Writes (and commits) this instance's row of the readiness probe: the write `GET /ready`
    /// needs to prove, unlike a read, that the store can take new events now (disk not full,
    /// database not read-only, lock obtainable).
    func probeWrite(instance: String, at date: Date) async throws(StoreError)

    // MARK: Web Push

    /// Stores a rep's Web Push subscription; a browser subscribing again with the same endpoint
    /// replaces its keys (and its rep). - Returns: true when the endpoint was new.
    func savePushSubscription(_ subscription: PushSubscriptionRecord) async throws(StoreError) -> Bool
    /// Deletes the subscription with this endpoint (of `rep` only, when given); false when there is none.
    func removePushSubscription(endpoint: String, rep: String?) async throws(StoreError) -> Bool
    /// The subscriptions of `rep`, oldest first.
    func pushSubscriptions(rep: String) async throws(StoreError) -> [PushSubscriptionRecord]
    /// The service key called `name`, storing `candidate` when there is none yet: of two
    /// instances starting together, both get the one stored first.
    func serviceKey(name: String, orStore candidate: String, at date: Date) async throws(StoreError) -> String

    // MARK: Reads

    /// The lead with this external id.
    func lead(id: String) async throws(StoreError) -> LeadRecord?
    /// The journal row of the event with this sender's id, whatever lead it belongs to (event ids
    /// are unique across the store), with its payload.
    func event(id: String) async throws(StoreError) -> EngagementEventRecord?
    /// The lead with everything stored about it, or nil when it is not stored.
    func leadTimeline(leadID: String) async throws(StoreError) -> LeadTimeline?
    /// What the hand-off flow needs to process a lead's next event: the lead, its events (ids,
    /// types, instants; payloads left empty), assignments, timers, attempts, dispositions,
    /// opportunities and outcomes — no scores or decisions. Nil when the lead is not stored.
    func flowTimeline(leadID: String) async throws(StoreError) -> LeadTimeline?
    /// ``event(id:)``, then (when the id is new) the standing ``leadMerges(involving:includeEnded:)``
    /// and the ``flowTimeline(leadID:)`` of `leadID`: every event's first reads, which a store
    /// answers in one read transaction (one hand-off to its reader, not three). A default
    /// implementation makes the three calls.
    func eventArrival(eventID: String, leadID: String) async throws(StoreError) -> EventArrival
    /// The lead's decision ledger (routing decisions and SLA transitions), in the order stored;
    /// empty when the lead has none or is not stored.
    func decisionLedger(leadID: String) async throws(StoreError) -> [DecisionLedgerRecord]
    /// Every ledger entry of `kind` decided in `period`, in the order stored (the reviews' distribution).
    func decisionLedger(kind: DecisionLedgerKind, decidedIn period: ReportPeriod) async throws(StoreError) -> [DecisionLedgerRecord]
    /// The accounts a lead's keys can match exactly: those with one of `ids`, one of `domains`
    /// or the normalised name `name`, with their domains and contact counts. With `everyNamed`,
    /// also every other account that has a name (for the fuzzy rule, which reads their domains
    /// too: a lead's own company domain that an account does not hold rules it out).
    func accountCandidates(ids: [String], domains: [String], name: String?, everyNamed: Bool) async throws(StoreError) -> [AccountRecord]
    /// The lead's account, the evidence linking it and the account's other contacts; nil when
    /// the lead is linked to none.
    func leadAccount(leadID: String) async throws(StoreError) -> LeadAccount?
    /// The id of the account the lead is linked to, nil when none: what ingest needs of the link.
    func linkedAccountID(leadID: String) async throws(StoreError) -> String?
    /// The reps holding an open hand-off of a lead linked to `accountID`, the oldest hand-off's
    /// first, each once: who works the account now (account-aware routing, issue 16).
    /// With `excludingLead`, only the hand-offs of the account's other leads count.
    func accountHolders(accountID: String, excludingLead leadID: String?) async throws(StoreError) -> [String]
    /// The leads linked to `accountID` that stand merged into no other, oldest link first, at most `limit`.
    func accountContacts(accountID: String, limit: Int) async throws(StoreError) -> [String]
    /// The merges `leadID` takes part in, as the merged lead or as the survivor, oldest first;
    /// only the standing ones unless `includeEnded`.
    func leadMerges(involving leadID: String, includeEnded: Bool) async throws(StoreError) -> [LeadMergeRecord]
    /// The stored leads keyed by this normalised e-mail (``WriteOperation/keyLeadEmail(leadID:key:)``)
    /// that stand merged into no other, oldest lead first.
    func leadIDs(emailKey: String) async throws(StoreError) -> [String]
    /// The roster, by id.
    func reps() async throws(StoreError) -> [RepRecord]
    /// A router's saved state, or nil when it was never saved (revision 0).
    func routerState(name: String) async throws(StoreError) -> RouterStateRecord?
    /// Open hand-offs (open assignments), oldest first; only those of `repID` when given.
    func openHandoffs(repID: String?) async throws(StoreError) -> [OpenHandoff]
    /// One page of leads in creation order, filtered by latest stage, current holder and recent
    /// activity (``LeadListQuery``); `next` is set when more leads match.
    func leadList(_ query: LeadListQuery) async throws(StoreError) -> LeadListPage
    /// Every lead created before `date`, in creation order (ties by id), with its journal,
    /// scores, decisions, assignments, dispositions, opportunities and outcomes in insertion order
    /// (``LeadHistory``), read in one snapshot: the training export's material.
    func leadHistories(createdBefore date: Date) async throws(StoreError) -> [LeadHistory]
    /// Open assignments per rep id (reps with none are absent); the router's capacity check.
    func openAssignmentCounts() async throws(StoreError) -> [String: Int]
    /// Open SLA timers (running or breached) with `dueAt <= date`, earliest first.
    /// - Precondition: `limit > 0`.
    func timersDue(before date: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord]
    /// Like ``timersDue(before:limit:)`` but leases the returned timers to `owner` until
    /// `leaseUntil`: another caller does not get them until the lease ends or the timer is
    /// written again. Several schedulers can share one database and fire each step once.
    /// - Precondition: `limit > 0` and `leaseUntil > date`.
    func claimDueTimers(before date: Date, owner: String, leaseUntil: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord]
    /// Undelivered alerts, not dead, whose next attempt is due at `date`, oldest first.
    /// - Precondition: `limit > 0`.
    func alertsPendingDelivery(at date: Date, limit: Int) async throws(StoreError) -> [AlertRecord]
    /// One page of the outbox (every alert and CRM message), in store order, filtered by state.
    func outbox(_ query: OutboxQuery) async throws(StoreError) -> OutboxPage
    /// The outbox row with this id, if any.
    func outboxEntry(id: String) async throws(StoreError) -> OutboxEntry?
    /// The outbox summed per kind and target (undelivered, failing and dead counts, oldest
    /// undelivered, last delivery): per-endpoint health for `/metrics` and the dashboard.
    func outboxSummary() async throws(StoreError) -> [OutboxTargetSummary]
    /// Rows whose own time lies in `period` (leads by creation, events by occurrence, scores by
    /// scoring time, assignments by assignment time, outcomes by close date, …).
    func activity(in period: ReportPeriod) async throws(StoreError) -> ActivityBatch
    /// Leads created in `period` with all their rows, whenever those happened (cohort funnels).
    func cohort(createdIn period: ReportPeriod) async throws(StoreError) -> ActivityBatch
    /// Row counts per table.
    func counts() async throws(StoreError) -> StoreCounts

    // MARK: Lifetime

    /// Closes the store's connections; every later call fails. Optional (a store also closes when
    /// released), but a command that is done with a store closes it, so a PostgreSQL pool ends
    /// its sessions at once instead of when the server notices.
    func close() async throws(StoreError)
}

extension HandoffStore {
    /// Who works the account now, every lead counted (``accountHolders(accountID:excludingLead:)``).
    package func accountHolders(accountID: String) async throws(StoreError) -> [String] {
        try await accountHolders(accountID: accountID, excludingLead: nil)
    }
}

extension HandoffStore {
    /// Runs one operation in its own transaction.
    @discardableResult
    package func apply(_ operation: WriteOperation) async throws(StoreError) -> WriteOutcome {
        let result = try await commit(UnitOfWork([operation]))
        switch result {
        case let .committed(outcomes): return outcomes.first ?? .unchanged
        case .duplicate: return .alreadyStored
        }
    }

    /// Inserts or updates a lead.
    @discardableResult
    package func upsertLead(_ lead: LeadRecord) async throws(StoreError) -> WriteOutcome {
        try await apply(.upsertLead(lead))
    }

    /// Appends an engagement event; ``WriteOutcome/alreadyStored`` for a retried id.
    @discardableResult
    package func appendEvent(_ event: EngagementEventRecord) async throws(StoreError) -> WriteOutcome {
        try await apply(.appendEvent(event))
    }

    /// Inserts or replaces a rep.
    @discardableResult
    package func upsertRep(_ rep: RepRecord) async throws(StoreError) -> WriteOutcome {
        try await apply(.upsertRep(rep))
    }
}

extension HandoffStore {
    package func eventArrival(eventID: String, leadID: String) async throws(StoreError) -> EventArrival {
        if let stored = try await event(id: eventID) { return EventArrival(stored: stored, merges: [], timeline: nil) }
        return EventArrival(
            stored: nil, merges: try await leadMerges(involving: leadID, includeEnded: false),
            timeline: try await flowTimeline(leadID: leadID))
    }
}

extension HandoffStore {
    /// Through ``leadAccount(leadID:)``; the stores answer it with one query.
    package func linkedAccountID(leadID: String) async throws(StoreError) -> String? {
        try await leadAccount(leadID: leadID)?.account.id
    }
}
