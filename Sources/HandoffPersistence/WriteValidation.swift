import BatonSupport
import Foundation

/// A reference an operation makes that only the database can check: the backend looks it up
/// inside the unit's transaction and hands what it found to ``WriteValidation/verify(_:found:record:)``.
package enum WriteReference: Sendable, Hashable {
    /// The lead must be stored.
    case lead(id: String)
    /// The rep must be on the roster, and active when `mustBeActive`; `field` is the field that names it.
    case rep(id: String, field: String, mustBeActive: Bool)
}

/// What a backend found for a ``WriteReference``.
package enum ReferenceLookup: Sendable, Hashable {
    /// A lead: stored or not.
    case lead(exists: Bool)
    /// A rep: its stored status (``RepRecord/Status`` raw value), nil when not on the roster.
    case rep(status: String?)
}

/// The checks every backend makes before a write, written once so SQLite and PostgreSQL refuse
/// the same operations with the same errors (each naming the record and field).
///
/// A backend calls ``check(_:)`` first: it throws for what is wrong in the operation itself
/// (empty ids, probabilities outside [0, 1], non-finite points, bad currency codes, negative
/// steps) and returns the references to verify, in the order they are reported. Checks that are
/// part of the write itself (a timer or opportunity of another lead, an opportunity closed twice,
/// router revisions) stay with the statement that enforces them, but throw the errors built here.
package enum WriteValidation {
    /// Throws for a malformed `operation`; returns the references the backend must verify.
    package static func check(_ operation: WriteOperation) throws(StoreError) -> [WriteReference] {
        let label = operation.label
        var references: [WriteReference] = []
        func nonEmpty(_ value: String, _ field: String) throws(StoreError) {
            if value.isEmpty { throw .invalidField(record: label, field: field, reason: "is empty") }
        }
        func lead(_ id: String) throws(StoreError) {
            try nonEmpty(id, "leadID")
            references.append(.lead(id: id))
        }
        func currency(_ amount: Money) throws(StoreError) {
            guard amount.hasValidCurrency else {
                throw .invalidField(
                    record: label, field: "amount.currency",
                    reason: "is '\(amount.currency)', not a three-letter ISO 4217 code such as EUR")
            }
        }
        switch operation {
        case let .upsertLead(r):
            try nonEmpty(r.id, "id")
        case let .appendEvent(r):
            try nonEmpty(r.id, "id")
            try nonEmpty(r.type, "type")
            try lead(r.leadID)
        case let .recordScore(r):
            try lead(r.leadID)
            try nonEmpty(r.model.sha256, "model.sha256")
            try nonEmpty(r.model.format, "model.format")
            guard r.probability.isFinite, (0...1).contains(r.probability) else {
                throw .invalidField(record: label, field: "probability", reason: "is \(r.probability), outside [0, 1]")
            }
            for (field, value) in [("points", r.points), ("fitPoints", r.fitPoints), ("engagementPoints", r.engagementPoints)]
            where !value.isFinite {
                throw .invalidField(record: label, field: field, reason: "is \(value), not a finite number")
            }
        case let .recordDecision(r):
            try lead(r.leadID)
            try nonEmpty(r.rule, "rule")
        case let .openAssignment(r):
            try lead(r.leadID)
            try nonEmpty(r.rule, "rule")
            switch r.target {
            case let .rep(id): references.append(.rep(id: id, field: "target", mustBeActive: true))
            case let .fallbackQueue(name): try nonEmpty(name, "target")
            }
        case let .closeAssignment(leadID, _, _):
            try lead(leadID)
        case let .upsertRep(r):
            try nonEmpty(r.id, "id")
            try nonEmpty(r.timeZone, "timeZone")
        case let .saveRouterState(name, _, _, _):
            try nonEmpty(name, "name")
        case let .upsertTimer(r):
            try nonEmpty(r.id, "id")
            try nonEmpty(r.policy, "policy")
            try lead(r.leadID)
            guard r.escalationStep >= 0 else {
                throw .invalidField(record: label, field: "escalationStep", reason: "is \(r.escalationStep), must be 0 or more")
            }
        case let .appendContactAttempt(r):
            try nonEmpty(r.id, "id")
            try nonEmpty(r.channel, "channel")
            try lead(r.leadID)
            if let rep = r.repID { references.append(.rep(id: rep, field: "repID", mustBeActive: false)) }
        case let .appendDisposition(r):
            try nonEmpty(r.id, "id")
            try nonEmpty(r.code, "code")
            try lead(r.leadID)
            if let rep = r.repID { references.append(.rep(id: rep, field: "repID", mustBeActive: false)) }
        case let .upsertOpportunity(r):
            try nonEmpty(r.id, "id")
            try nonEmpty(r.stage, "stage")
            try currency(r.amount)
            try lead(r.leadID)
        case let .appendOutcome(r):
            // The lead is verified after the backend's idempotency check: a retried outcome is
            // answered as already stored before anything else is looked up.
            try nonEmpty(r.id, "id")
            try currency(r.amount)
            try lead(r.leadID)
        case let .raiseAlert(r):
            try nonEmpty(r.id, "id")
            try nonEmpty(r.kind, "kind")
            try nonEmpty(r.target, "target")
            if let id = r.leadID { try lead(id) }
        case .recordAlertDelivery, .replayAlert:
            break
        case let .recordLedgerEntry(r):
            try lead(r.leadID)
            try nonEmpty(r.source, "source")
            try nonEmpty(r.summary, "summary")
        case let .upsertAccount(r):
            if let problem = Identifier.problem(r.id) { throw .invalidField(record: label, field: "id", reason: problem) }
            for domain in r.domains where domain.isEmpty || domain.utf8.count > 253 {
                throw .invalidField(record: label, field: "domains", reason: "holds '\(domain.prefix(40))', not a host name of 1 to 253 bytes")
            }
        case let .linkLeadAccount(r):
            try lead(r.leadID)
            if let problem = Identifier.problem(r.accountID) { throw .invalidField(record: label, field: "accountID", reason: problem) }
            try nonEmpty(r.value, "value")
            guard r.score.isFinite, (0...1).contains(r.score) else {
                throw .invalidField(record: label, field: "score", reason: "is \(r.score), outside [0, 1]")
            }
        case let .recordMerge(r):
            try lead(r.mergedID)
            try lead(r.survivorID)
            guard r.mergedID != r.survivorID else { throw .invalidField(record: label, field: "survivorID", reason: "is the merged lead itself") }
            try nonEmpty(r.evidence, "evidence")
            try nonEmpty(r.eventID, "eventID")
        case let .endMerge(id, _, eventID):
            try lead(id)
            try nonEmpty(eventID, "eventID")
        case let .keyLeadEmail(id, key):
            try lead(id)
            if let key, key.isEmpty || key.utf8.count > 320 {
                throw .invalidField(record: label, field: "key", reason: "is \(key.utf8.count) bytes; an e-mail key has 1 to 320")
            }
        }
        return references
    }

    /// Throws when what the backend `found` for `reference` does not satisfy it.
    package static func verify(_ reference: WriteReference, found: ReferenceLookup, record label: String) throws(StoreError) {
        switch (reference, found) {
        case let (.lead(id), .lead(exists)):
            guard exists else { throw .unknownLead(leadID: id, referencedBy: label, field: "leadID") }
        case let (.rep(id, field, mustBeActive), .rep(status)):
            guard let status else { throw .unknownRep(repID: id, referencedBy: label, field: field) }
            if mustBeActive, status != RepRecord.Status.active.rawValue {
                throw .invalidField(
                    record: label, field: field,
                    reason: "names rep '\(id)', who has left; route the lead to an active rep or a fallback queue")
            }
        default:
            preconditionFailure("a backend answered \(reference) with \(found)")
        }
    }
}

/// The refusals that are part of a write (the statement that enforces them differs by backend;
/// the words do not).
extension StoreError {
    /// A decision names a score row that is not a stored score of its lead.
    package static func unknownScore(rowID: Int64, leadID: String, record: String) -> StoreError {
        .invalidField(
            record: record, field: "scoreRowID",
            reason: "names score \(rowID), which is not a stored score of lead '\(leadID)'; record the score first")
    }

    /// A timer id that is stored for another lead.
    package static func timerOfAnotherLead(timerID: String, storedLead: String, leadID: String) -> StoreError {
        .conflictingRecord(
            record: "SLA timer", id: timerID,
            reason: "belongs to lead '\(storedLead)', not '\(leadID)'; use a timer id per lead")
    }

    /// An opportunity id that is stored for another lead.
    package static func opportunityOfAnotherLead(opportunityID: String, storedLead: String, leadID: String) -> StoreError {
        .conflictingRecord(
            record: "opportunity", id: opportunityID,
            reason: "is stored for lead '\(storedLead)', not '\(leadID)'; an opportunity's lead never changes")
    }

    /// An outcome whose lead is not its opportunity's lead.
    package static func outcomeLeadMismatch(outcomeID: String, leadID: String, opportunityID: String, opportunityLead: String) -> StoreError {
        .conflictingRecord(
            record: "outcome", id: outcomeID,
            reason: "names lead '\(leadID)' but opportunity '\(opportunityID)' belongs to lead '\(opportunityLead)'")
    }

    /// A second outcome for an opportunity.
    package static func opportunityAlreadyClosed(outcomeID: String, opportunityID: String, closedBy: String) -> StoreError {
        .conflictingRecord(
            record: "outcome", id: outcomeID,
            reason: "opportunity '\(opportunityID)' is already closed by outcome '\(closedBy)'; an opportunity has one outcome")
    }

    /// A delivery attempt of an alert that was never raised.
    package static func unknownAlert(record: String) -> StoreError {
        .invalidField(record: record, field: "alertID", reason: "names no stored alert; raise the alert first")
    }
}
