import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func commit(_ unit: UnitOfWork) async throws(StoreError) -> UnitResult {
        try await write("committing \(unit.trigger?.label ?? unit.operations.first?.label ?? "an empty unit")") { db in
            var runner = UnitRunner(db: db)
            return try runner.run(unit)
        }
    }

    /// Runs all units in one SQLite transaction with a savepoint per unit: the failing unit's
    /// savepoint is rolled back, the earlier units commit together (one sync instead of one per unit).
    package func commit(_ units: [UnitOfWork]) async throws(StoreError) -> [UnitResult] {
        let (results, failure) = try await writeWithoutTransaction("committing a batch of \(units.count) units") { db in
            var results: [UnitResult] = []
            var failure: (index: Int, error: StoreError)?
            try db.inTransaction {
                for (index, unit) in units.enumerated() {
                    do {
                        try db.inSavepoint {
                            var runner = UnitRunner(db: db)
                            results.append(try runner.run(unit))
                            return .commit
                        }
                    } catch {
                        failure = (index, Self.classify(error, operation: unit.trigger?.label ?? unit.operations.first?.label ?? "unit \(index)"))
                        break
                    }
                }
                return .commit
            }
            return (results, failure)
        }
        if let failure {
            throw .batchHalted(index: failure.index, committedCount: results.count, cause: failure.error)
        }
        return results
    }

    /// One SQLite transaction with a savepoint per unit; a failing unit's savepoint is rolled
    /// back and the next unit runs. An error after which SQLite has rolled back the whole
    /// transaction itself (disk full, I/O) fails the call: nothing of it is stored then.
    package func commitEach(_ units: [UnitOfWork]) async throws(StoreError) -> [Result<UnitResult, StoreError>] {
        try await writeWithoutTransaction("committing a group of \(units.count) units") { db in
            var results: [Result<UnitResult, StoreError>] = []
            results.reserveCapacity(units.count)
            try db.inTransaction {
                for (index, unit) in units.enumerated() {
                    var committed: UnitResult?
                    do {
                        try db.inSavepoint {
                            var runner = UnitRunner(db: db)
                            committed = try runner.run(unit)
                            return .commit
                        }
                    } catch {
                        guard db.isInsideTransaction else { throw error }
                        results.append(
                            .failure(Self.classify(error, operation: unit.trigger?.label ?? unit.operations.first?.label ?? "unit \(index)")))
                        continue
                    }
                    if let committed { results.append(.success(committed)) }
                }
                return .commit
            }
            return results
        }
    }

    func writeWithoutTransaction<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.writeWithoutTransaction(body)
        } catch {
            throw Self.classify(error, operation: operation)
        }
    }
}

/// Applies the operations of one unit on the writer connection, inside the caller's transaction.
/// Checks references itself before writing, so errors name the field; the schema's foreign
/// keys and CHECKs stay as the last line of defence.
struct UnitRunner {
    let db: Database
    /// Score row ids written earlier in this unit, by lead, for decisions to link to.
    private var scoreInUnit: [String: Int64] = [:]

    init(db: Database) { self.db = db }

    mutating func run(_ unit: UnitOfWork) throws -> UnitResult {
        var outcomes: [WriteOutcome] = []
        if let trigger = unit.trigger {
            let outcome = try apply(trigger)
            if outcome == .alreadyStored { return .duplicate(label: trigger.label) }
            outcomes.append(outcome)
        }
        for operation in unit.operations {
            outcomes.append(try apply(operation))
        }
        return .committed(outcomes)
    }

    mutating func apply(_ operation: WriteOperation) throws -> WriteOutcome {
        let label = operation.label
        let references = try WriteValidation.check(operation)
        switch operation {
        case let .upsertLead(r):
            let exists = try rowExists("SELECT 1 FROM leads WHERE id = ?", [r.id])
            if exists {
                try db.cachedExecute(
                    sql: "UPDATE leads SET fields = ?, source = ?, campaign = ?, updated_at = ? WHERE id = ?",
                    arguments: [r.fields.text, r.source, r.campaign, r.updatedAt.storeMillis, r.id])
                return .updated
            }
            try db.cachedExecute(
                sql: "INSERT INTO leads (id, fields, source, campaign, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [r.id, r.fields.text, r.source, r.campaign, r.createdAt.storeMillis, r.updatedAt.storeMillis])
            return .stored(rowID: nil)

        case let .appendEvent(r):
            try verify(references, label)
            try db.cachedExecute(
                sql: """
                    INSERT INTO engagement_events (event_id, lead_id, type, occurred_at, received_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                    """, arguments: [r.id, r.leadID, r.type, r.occurredAt.storeMillis, r.receivedAt.storeMillis, r.payload.text])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .recordScore(r):
            try verify(references, label)
            try db.cachedExecute(
                sql: """
                    INSERT INTO scores (lead_id, model_sha256, model_format, probability, points, fit_points,
                                        engagement_points, reasons, scored_at, trigger_event_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    r.leadID, r.model.sha256, r.model.format, r.probability, r.points, r.fitPoints,
                    r.engagementPoints, r.reasons.text, r.scoredAt.storeMillis, r.triggerEventID,
                ])
            let rowID = db.lastInsertedRowID
            scoreInUnit[r.leadID] = rowID
            return .stored(rowID: rowID)

        case let .recordDecision(r):
            try verify(references, label)
            let scoreRowID = r.scoreRowID ?? scoreInUnit[r.leadID]
            if let scoreRowID, !(try rowExists("SELECT 1 FROM scores WHERE id = ? AND lead_id = ?", [scoreRowID, r.leadID])) {
                throw StoreError.unknownScore(rowID: scoreRowID, leadID: r.leadID, record: label)
            }
            try db.cachedExecute(
                sql: """
                    INSERT INTO qualification_decisions (lead_id, stage, priority, rule, evidence, decided_at, score_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [r.leadID, r.stage.rawValue, r.priority.rawValue, r.rule, r.evidence.text, r.decidedAt.storeMillis, scoreRowID])
            return .stored(rowID: db.lastInsertedRowID)

        case let .openAssignment(r):
            try verify(references, label)
            var repID: String?
            var queue: String?
            switch r.target {
            case let .rep(id):
                repID = id
            case let .fallbackQueue(name):
                queue = name
            }
            if r.unassignedAt == nil,
                let open = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT rep_id, queue FROM assignments WHERE lead_id = ? AND unassigned_at IS NULL
                        """, arguments: [r.leadID])
            {
                let rep: String? = open["rep_id"]
                let queue: String? = open["queue"]
                let target: AssignmentTarget = rep.map(AssignmentTarget.rep) ?? .fallbackQueue(queue ?? "")
                throw StoreError.leadAlreadyAssigned(leadID: r.leadID, openAssignmentTarget: target.description)
            }
            try db.cachedExecute(
                sql: """
                    INSERT INTO assignments (lead_id, rep_id, queue, rule, assigned_at, unassigned_at, unassign_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [r.leadID, repID, queue, r.rule, r.assignedAt.storeMillis, r.unassignedAt.storeMillis, r.unassignReason])
            return .stored(rowID: db.lastInsertedRowID)

        case let .closeAssignment(leadID, at, reason):
            try verify(references, label)
            try db.cachedExecute(
                sql: """
                    UPDATE assignments SET unassigned_at = ?, unassign_reason = ? WHERE lead_id = ? AND unassigned_at IS NULL
                    """, arguments: [at.storeMillis, reason, leadID])
            return db.changesCount == 0 ? .unchanged : .updated

        case let .upsertRep(r):
            let exists = try rowExists("SELECT 1 FROM reps WHERE id = ?", [r.id])
            try db.cachedExecute(
                sql: """
                    INSERT INTO reps (id, name, time_zone, status, left_at, profile, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, status = excluded.status,
                        left_at = excluded.left_at, profile = excluded.profile, updated_at = excluded.updated_at
                    """, arguments: [r.id, r.name, r.timeZone, r.status.rawValue, r.leftAt.storeMillis, r.profile.text, r.updatedAt.storeMillis])
            return exists ? .updated : .stored(rowID: nil)

        case let .saveRouterState(name, state, expected, at):
            let actual = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT revision FROM router_states WHERE name = ?"), arguments: [name]) ?? 0
            guard actual == expected else {
                throw StoreError.routerStateConflict(name: name, expectedRevision: expected, actualRevision: actual)
            }
            if actual == 0 {
                try db.cachedExecute(
                    sql: "INSERT INTO router_states (name, state, revision, updated_at) VALUES (?, ?, 1, ?)",
                    arguments: [name, state.text, at.storeMillis])
                return .stored(rowID: nil)
            }
            try db.cachedExecute(
                sql: "UPDATE router_states SET state = ?, revision = ?, updated_at = ? WHERE name = ?",
                arguments: [state.text, expected + 1, at.storeMillis, name])
            return .updated

        case let .upsertTimer(r):
            try verify(references, label)
            let storedLead = try String.fetchOne(try db.cachedStatement(sql: "SELECT lead_id FROM sla_timers WHERE id = ?"), arguments: [r.id])
            if let storedLead, storedLead != r.leadID {
                throw StoreError.timerOfAnotherLead(timerID: r.id, storedLead: storedLead, leadID: r.leadID)
            }
            let fired = try JSONText(encoding: r.firedSteps)
            try db.cachedExecute(
                sql: """
                    INSERT INTO sla_timers (id, lead_id, policy, due_at, state, escalation_step, fired_steps, started_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, due_at = excluded.due_at, state = excluded.state,
                        escalation_step = excluded.escalation_step, fired_steps = excluded.fired_steps,
                        updated_at = excluded.updated_at, lease_owner = NULL, lease_until = NULL
                    """,
                arguments: [
                    r.id, r.leadID, r.policy, r.dueAt.storeMillis, r.state.rawValue, r.escalationStep, fired.text,
                    r.startedAt.storeMillis, r.updatedAt.storeMillis,
                ])
            return storedLead == nil ? .stored(rowID: nil) : .updated

        case let .appendContactAttempt(r):
            try verify(references, label)
            try db.cachedExecute(
                sql: """
                    INSERT INTO contact_attempts (attempt_id, lead_id, rep_id, channel, result, attempted_at, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id) DO NOTHING
                    """, arguments: [r.id, r.leadID, r.repID, r.channel, r.result, r.attemptedAt.storeMillis, r.note])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .appendDisposition(r):
            try verify(references, label)
            try db.cachedExecute(
                sql: """
                    INSERT INTO dispositions (disposition_id, lead_id, rep_id, code, note, reengage_at, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (disposition_id) DO NOTHING
                    """, arguments: [r.id, r.leadID, r.repID, r.code, r.note, r.reengageAt.storeMillis, r.decidedAt.storeMillis])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .upsertOpportunity(r):
            try verify(references, label)
            if let storedLead = try String.fetchOne(try db.cachedStatement(sql: "SELECT lead_id FROM opportunities WHERE id = ?"), arguments: [r.id])
            {
                guard storedLead == r.leadID else {
                    throw StoreError.opportunityOfAnotherLead(opportunityID: r.id, storedLead: storedLead, leadID: r.leadID)
                }
                try db.cachedExecute(
                    sql: "UPDATE opportunities SET amount_minor = ?, currency = ?, stage = ?, updated_at = ? WHERE id = ?",
                    arguments: [r.amount.minorUnits, r.amount.currency, r.stage, r.updatedAt.storeMillis, r.id])
                return .updated
            }
            try db.cachedExecute(
                sql: """
                    INSERT INTO opportunities (id, lead_id, amount_minor, currency, stage, opened_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [r.id, r.leadID, r.amount.minorUnits, r.amount.currency, r.stage, r.openedAt.storeMillis, r.updatedAt.storeMillis])
            return .stored(rowID: nil)

        case let .appendOutcome(r):
            if try rowExists("SELECT 1 FROM outcomes WHERE outcome_id = ?", [r.id]) { return .alreadyStored }
            try verify(references, label)
            guard
                let opportunityLead = try String.fetchOne(
                    db, sql: "SELECT lead_id FROM opportunities WHERE id = ?",
                    arguments: [r.opportunityID])
            else {
                throw StoreError.unknownOpportunity(opportunityID: r.opportunityID, referencedBy: label, field: "opportunityID")
            }
            guard opportunityLead == r.leadID else {
                throw StoreError.outcomeLeadMismatch(
                    outcomeID: r.id, leadID: r.leadID, opportunityID: r.opportunityID, opportunityLead: opportunityLead)
            }
            if let closedBy = try String.fetchOne(
                db, sql: "SELECT outcome_id FROM outcomes WHERE opportunity_id = ?",
                arguments: [r.opportunityID])
            {
                throw StoreError.opportunityAlreadyClosed(outcomeID: r.id, opportunityID: r.opportunityID, closedBy: closedBy)
            }
            try db.cachedExecute(
                sql: """
                    INSERT INTO outcomes (outcome_id, opportunity_id, lead_id, result, amount_minor, currency, closed_at, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (outcome_id) DO NOTHING
                    """,
                arguments: [
                    r.id, r.opportunityID, r.leadID, r.result.rawValue, r.amount.minorUnits, r.amount.currency,
                    r.closedAt.storeMillis, r.reason,
                ])
            return .stored(rowID: nil)

        case let .raiseAlert(r):
            try verify(references, label)
            try db.cachedExecute(
                sql: """
                    INSERT INTO alerts (alert_id, kind, lead_id, target, payload, created_at, delivered_at, attempts, last_error, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO NOTHING
                    """,
                arguments: [
                    r.id, r.kind, r.leadID, r.target, r.payload.text, r.createdAt.storeMillis, r.deliveredAt.storeMillis,
                    r.attempts, r.lastError, r.nextAttemptAt.storeMillis,
                ])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .recordAlertDelivery(alertID, at, outcome):
            let columns = OutboxColumns(outcome, at: at)
            try db.cachedExecute(
                sql: """
                    UPDATE alerts SET attempts = attempts + 1, delivered_at = ?, last_error = ?, next_attempt_at = ?, dead_at = ?
                    WHERE alert_id = ?
                    """,
                arguments: [
                    columns.deliveredAt.storeMillis, columns.lastError, columns.nextAttemptAt.storeMillis, columns.deadAt.storeMillis, alertID,
                ])
            guard db.changesCount > 0 else {
                throw StoreError.unknownAlert(record: label)
            }
            return .updated

        case let .recordLedgerEntry(r):
            try verify(references, label)
            try db.cachedExecute(
                sql: """
                    INSERT INTO decision_ledger (lead_id, kind, decided_at, source, summary, entry) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [r.leadID, r.kind.rawValue, r.decidedAt.storeMillis, r.source, r.summary, r.entry.text])
            return .stored(rowID: db.lastInsertedRowID)

        case let .upsertAccount(r):
            try db.cachedExecute(
                sql: "INSERT INTO accounts (id, name, display_name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                arguments: [r.id, r.name, r.displayName, r.createdAt.storeMillis])
            let created = db.changesCount > 0 ? db.lastInsertedRowID : nil
            var added = false
            for domain in r.domains {
                try db.cachedExecute(
                    sql: "INSERT INTO account_domains (account_id, domain) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [r.id, domain])
                added = added || db.changesCount > 0
            }
            if let created { return .stored(rowID: created) }
            return added ? .updated : .unchanged

        case let .recordMerge(r):
            try verify(references, label)
            if try rowExists("SELECT 1 FROM lead_merges WHERE merged_id = ? AND ended_at IS NULL", [r.mergedID]) {
                throw StoreError.invalidField(record: label, field: "mergedID", reason: "already stands merged; unmerge it first")
            }
            if try rowExists("SELECT 1 FROM lead_merges WHERE merged_id = ? AND ended_at IS NULL", [r.survivorID]) {
                throw StoreError.invalidField(record: label, field: "survivorID", reason: "stands merged into another lead; merge into that one")
            }
            let changes = try JSONText(encoding: r.fieldChanges)
            // An ended merge of the same pair (or of this lead into another) is replaced: the row keeps the standing one.
            try db.cachedExecute(
                sql: """
                    INSERT INTO lead_merges (merged_id, survivor_id, rule, evidence, event_id, field_changes, merged_at, ended_at, end_event_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)
                    ON CONFLICT (merged_id) DO UPDATE SET survivor_id = excluded.survivor_id, rule = excluded.rule, evidence = excluded.evidence,
                        event_id = excluded.event_id, field_changes = excluded.field_changes, merged_at = excluded.merged_at,
                        ended_at = NULL, end_event_id = NULL
                    """,
                arguments: [r.mergedID, r.survivorID, r.rule.rawValue, r.evidence, r.eventID, changes.text, r.mergedAt.storeMillis])
            return .stored(rowID: nil)

        case let .endMerge(id, at, eventID):
            try db.cachedExecute(
                sql: "UPDATE lead_merges SET ended_at = ?, end_event_id = ? WHERE merged_id = ? AND ended_at IS NULL",
                arguments: [at.storeMillis, eventID, id])
            guard db.changesCount > 0 else {
                throw StoreError.invalidField(record: label, field: "mergedID", reason: "stands merged into no lead; nothing to unmerge")
            }
            return .updated

        case let .keyLeadEmail(id, key):
            try verify(references, label)
            if let key {
                try db.cachedExecute(
                    sql:
                        "INSERT INTO lead_email_keys (lead_id, email_key) VALUES (?, ?) ON CONFLICT (lead_id) DO UPDATE SET email_key = excluded.email_key",
                    arguments: [id, key])
            } else {
                try db.cachedExecute(sql: "DELETE FROM lead_email_keys WHERE lead_id = ?", arguments: [id])
            }
            return .stored(rowID: nil)

        case let .linkLeadAccount(r):
            try verify(references, label)
            guard try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM accounts WHERE id = ?"), arguments: [r.accountID]) != nil else {
                throw StoreError.invalidField(
                    record: label, field: "accountID", reason: "names no stored account '\(r.accountID)'; store the account first")
            }
            try db.cachedExecute(
                sql: """
                    INSERT INTO lead_accounts (lead_id, account_id, rule, value, score, matched_name, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (lead_id) DO UPDATE SET account_id = excluded.account_id, rule = excluded.rule, value = excluded.value,
                        score = excluded.score, matched_name = excluded.matched_name, linked_at = excluded.linked_at
                    """, arguments: [r.leadID, r.accountID, r.rule.rawValue, r.value, r.score, r.matchedName, r.linkedAt.storeMillis])
            return .stored(rowID: nil)

        case let .replayAlert(alertID, at):
            try db.cachedExecute(
                sql: """
                    UPDATE alerts SET attempts = 0, next_attempt_at = NULL, dead_at = NULL, replayed_at = ?
                    WHERE alert_id = ? AND delivered_at IS NULL
                    """, arguments: [at.storeMillis, alertID])
            guard db.changesCount > 0 else {
                throw StoreError.unknownAlert(record: label)
            }
            return .updated
        }
    }

    // MARK: Checks

    private func rowExists(_ sql: String, _ arguments: StatementArguments) throws -> Bool {
        // Fixed SQL texts only: each is prepared once per connection (GRDB's statement cache).
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) != nil
    }

    /// Looks up what ``WriteValidation/check(_:)`` said to verify, in this transaction.
    private func verify(_ references: [WriteReference], _ label: String) throws {
        for reference in references {
            let found: ReferenceLookup =
                switch reference {
                case let .lead(id): .lead(exists: try rowExists("SELECT 1 FROM leads WHERE id = ?", [id]))
                case let .rep(id, _, _):
                    .rep(status: try String.fetchOne(try db.cachedStatement(sql: "SELECT status FROM reps WHERE id = ?"), arguments: [id]))
                }
            try WriteValidation.verify(reference, found: found, record: label)
        }
    }
}
