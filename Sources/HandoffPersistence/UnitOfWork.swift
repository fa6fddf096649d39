import Foundation

/// One write the store can make. A ``UnitOfWork`` runs several in one transaction.
package enum WriteOperation: Sendable, Hashable {
    /// Inserts the lead, or replaces its fields, source, campaign and `updatedAt` (keeping `createdAt`).
    case upsertLead(LeadRecord)
    /// Appends an engagement event; ``WriteOutcome/alreadyStored`` when its id was stored before.
    case appendEvent(EngagementEventRecord)
    /// Appends a score. When it is followed in the same unit by a decision for the same lead with
    /// no `scoreRowID`, the decision links to it.
    case recordScore(ScoreRecord)
    /// Appends a qualification decision with its evidence.
    case recordDecision(QualificationDecisionRecord)
    /// Opens an assignment; fails with ``StoreError/leadAlreadyAssigned(leadID:openAssignmentTarget:)``
    /// when the lead already has an open one.
    case openAssignment(AssignmentRecord)
    /// Closes the lead's open assignment, if any (``WriteOutcome/unchanged`` when there is none).
    case closeAssignment(leadID: String, at: Date, reason: String)
    /// Inserts or replaces a rep on the roster.
    case upsertRep(RepRecord)
    /// Saves router state if its stored revision equals `expectedRevision` (0 for a new router);
    /// the new revision is `expectedRevision + 1`.
    case saveRouterState(name: String, state: JSONText, expectedRevision: Int64, at: Date)
    /// Inserts or replaces an SLA timer by id (and releases any scheduler lease on it).
    case upsertTimer(SLATimerRecord)
    /// Appends a contact attempt; idempotent by id.
    case appendContactAttempt(ContactAttemptRecord)
    /// Appends a disposition; idempotent by id.
    case appendDisposition(DispositionRecord)
    /// Inserts or updates an opportunity (stage, amount); its lead never changes.
    case upsertOpportunity(OpportunityRecord)
    /// Appends the outcome of an opportunity; idempotent by id.
    case appendOutcome(OutcomeRecord)
    /// Raises an alert for delivery; idempotent by id.
    case raiseAlert(AlertRecord)
    /// Records one delivery attempt of an alert and what follows from it.
    case recordAlertDelivery(alertID: String, at: Date, outcome: AlertDeliveryOutcome)
    /// Puts an undelivered alert (dead or still failing) back in line for delivery now, with
    /// its attempt count reset; fails with ``StoreError/unknownAlert(record:)`` when no
    /// undelivered alert has this id.
    case replayAlert(alertID: String, at: Date)
    /// Appends an entry to the lead's decision ledger (a routing decision or an SLA transition),
    /// in the unit of work of the decision it explains.
    case recordLedgerEntry(DecisionLedgerRecord)
    /// Stores an account if its id is new (``WriteOutcome/stored(rowID:)``) and adds its domains
    /// to the stored ones (``WriteOutcome/updated`` when one was new, else ``WriteOutcome/unchanged``);
    /// a stored account's name is kept.
    case upsertAccount(AccountRecord)
    /// Links a lead to a stored account with the match's evidence, replacing its previous link.
    case linkLeadAccount(AccountLinkRecord)
    /// Records that a lead was merged into another (``LeadMergeRecord``); refused when the merged
    /// lead already stands merged, or either lead is not stored.
    case recordMerge(LeadMergeRecord)
    /// Ends the standing merge of `mergedID` (an unmerge); refused when none stands.
    case endMerge(mergedID: String, at: Date, eventID: String)
    /// Keys a lead by its normalised e-mail (replacing its key; nil removes it): how a second
    /// form fill of the same person is found.
    case keyLeadEmail(leadID: String, key: String?)

    /// True for the appends that are idempotent by a sender's id (usable as a unit's trigger).
    package var isIdempotentAppend: Bool {
        switch self {
        case .appendEvent, .appendContactAttempt, .appendDisposition, .appendOutcome, .raiseAlert: true
        default: false
        }
    }

    /// A short label naming the record, for error messages (ids only, never personal data).
    package var label: String {
        switch self {
        case let .upsertLead(r): "lead '\(r.id)'"
        case let .appendEvent(r): "engagement event '\(r.id)'"
        case let .recordScore(r): "score of lead '\(r.leadID)'"
        case let .recordDecision(r): "qualification decision of lead '\(r.leadID)'"
        case let .openAssignment(r): "assignment of lead '\(r.leadID)'"
        case let .closeAssignment(leadID, _, _): "closing the assignment of lead '\(leadID)'"
        case let .upsertRep(r): "rep '\(r.id)'"
        case let .saveRouterState(name, _, _, _): "router state '\(name)'"
        case let .upsertTimer(r): "SLA timer '\(r.id)'"
        case let .appendContactAttempt(r): "contact attempt '\(r.id)'"
        case let .appendDisposition(r): "disposition '\(r.id)'"
        case let .upsertOpportunity(r): "opportunity '\(r.id)'"
        case let .appendOutcome(r): "outcome '\(r.id)'"
        case let .raiseAlert(r): "alert '\(r.id)'"
        case let .recordAlertDelivery(id, _, _): "delivery of alert '\(id)'"
        case let .replayAlert(id, _): "replay of alert '\(id)'"
        case let .recordLedgerEntry(r): "\(r.kind.rawValue) ledger entry of lead '\(r.leadID)'"
        case let .upsertAccount(r): "account '\(r.id)'"
        case let .linkLeadAccount(r): "account link of lead '\(r.leadID)'"
        case let .recordMerge(r): "merge of lead '\(r.mergedID)' into '\(r.survivorID)'"
        case let .endMerge(id, _, _): "unmerge of lead '\(id)'"
        case let .keyLeadEmail(id, _): "e-mail key of lead '\(id)'"
        }
    }
}

/// What one operation did.
package enum WriteOutcome: Sendable, Hashable {
    /// A new row; `rowID` is the store's id for rows without a sender id (scores, decisions,
    /// assignments), nil otherwise.
    case stored(rowID: Int64?)
    /// An existing row was changed (upserts, closing an assignment, a delivery attempt).
    case updated
    /// The id was stored before; nothing changed (a retried delivery).
    case alreadyStored
    /// Nothing to do (closing an assignment that is not open).
    case unchanged
}

/// Writes that succeed or fail together, in one transaction.
///
/// A crash or a thrown error anywhere in the unit leaves none of its writes behind. When
/// `trigger` is set (an idempotent append, typically the incoming event) and its id is already
/// stored, the unit is a retried delivery: nothing else is written and the result is
/// ``UnitResult/duplicate(label:)``, so a retry never scores or assigns twice.
///
/// ```swift
/// let unit = UnitOfWork(trigger: .appendEvent(event), then: [
///     .recordScore(score), .recordDecision(decision), .openAssignment(assignment), .upsertTimer(timer),
/// ])
/// let result = try await store.commit(unit)
/// ```
package struct UnitOfWork: Sendable, Hashable {
    /// The idempotent append that makes the rest happen, if any.
    package var trigger: WriteOperation?
    /// The writes that follow the trigger, in order.
    package var operations: [WriteOperation]

    /// A unit led by `trigger`, which must be an idempotent append (`isIdempotentAppend`).
    package init(trigger: WriteOperation?, then operations: [WriteOperation]) {
        precondition(trigger?.isIdempotentAppend ?? true, "a unit's trigger must be an idempotent append")
        self.trigger = trigger
        self.operations = operations
    }

    /// A unit of plain writes with no trigger.
    package init(_ operations: [WriteOperation]) {
        self.trigger = nil
        self.operations = operations
    }
}

/// The result of committing a ``UnitOfWork``.
package enum UnitResult: Sendable, Hashable {
    /// Everything was written; one outcome per operation, trigger first when there is one.
    case committed([WriteOutcome])
    /// The trigger was stored before; nothing was written.
    case duplicate(label: String)

    /// True for ``duplicate(label:)``.
    package var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
