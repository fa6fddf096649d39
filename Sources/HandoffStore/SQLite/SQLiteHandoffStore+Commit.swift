import Foundation
import GRDB

extension SQLiteHandoffStore {
    public func commit(_ unit: UnitOfWork) async throws(StoreError) -> UnitResult {
        try await write("committing \(unit.trigger?.label ?? unit.operations.first?.label ?? "an empty unit")") { db in
            var runner = UnitRunner(db: db)
            return try runner.run(unit)
        }
    }

    /// Runs all units in one SQLite transaction with a savepoint per unit: the failing unit's
    /// savepoint is rolled back, the earlier units commit together (one sync instead of one per unit).
    public func commit(_ units: [UnitOfWork]) async throws(StoreError) -> [UnitResult] {
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
        switch operation {
        case let .upsertLead(r):
            try requireNonEmpty(r.id, label, "id")
            let exists = try rowExists("SELECT 1 FROM leads WHERE id = ?", [r.id])
            if exists {
                try db.cachedExecute(sql: "UPDATE leads SET fields = ?, source = ?, campaign = ?, updated_at = ? WHERE id = ?",
                               arguments: [r.fields.text, r.source, r.campaign, r.updatedAt.storeMillis, r.id])
                return .updated
            }
            try db.cachedExecute(sql: "INSERT INTO leads (id, fields, source, campaign, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [r.id, r.fields.text, r.source, r.campaign, r.createdAt.storeMillis, r.updatedAt.storeMillis])
            return .stored(rowID: nil)

        case let .appendEvent(r):
            try requireNonEmpty(r.id, label, "id")
            try requireNonEmpty(r.type, label, "type")
            try requireLead(r.leadID, label)
            try db.cachedExecute(sql: """
                INSERT INTO engagement_events (event_id, lead_id, type, occurred_at, received_at, payload)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                """, arguments: [r.id, r.leadID, r.type, r.occurredAt.storeMillis, r.receivedAt.storeMillis, r.payload.text])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .recordScore(r):
            try requireLead(r.leadID, label)
            try requireNonEmpty(r.model.sha256, label, "model.sha256")
            try requireNonEmpty(r.model.format, label, "model.format")
            guard r.probability.isFinite, (0...1).contains(r.probability) else {
                throw StoreError.invalidField(record: label, field: "probability", reason: "is \(r.probability), outside [0, 1]")
            }
            for (field, value) in [("points", r.points), ("fitPoints", r.fitPoints), ("engagementPoints", r.engagementPoints)]
            where !value.isFinite {
                throw StoreError.invalidField(record: label, field: field, reason: "is \(value), not a finite number")
            }
            try db.cachedExecute(sql: """
                INSERT INTO scores (lead_id, model_sha256, model_format, probability, points, fit_points,
                                    engagement_points, reasons, scored_at, trigger_event_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.leadID, r.model.sha256, r.model.format, r.probability, r.points, r.fitPoints,
                                 r.engagementPoints, r.reasons.text, r.scoredAt.storeMillis, r.triggerEventID])
            let rowID = db.lastInsertedRowID
            scoreInUnit[r.leadID] = rowID
            return .stored(rowID: rowID)

        case let .recordDecision(r):
            try requireLead(r.leadID, label)
            try requireNonEmpty(r.rule, label, "rule")
            let scoreRowID = r.scoreRowID ?? scoreInUnit[r.leadID]
            if let scoreRowID, !(try rowExists("SELECT 1 FROM scores WHERE id = ? AND lead_id = ?", [scoreRowID, r.leadID])) {
                throw StoreError.invalidField(record: label, field: "scoreRowID",
                                              reason: "names score \(scoreRowID), which is not a stored score of lead '\(r.leadID)'; record the score first")
            }
            try db.cachedExecute(sql: """
                INSERT INTO qualification_decisions (lead_id, stage, priority, rule, evidence, decided_at, score_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.leadID, r.stage.rawValue, r.priority, r.rule, r.evidence.text, r.decidedAt.storeMillis, scoreRowID])
            return .stored(rowID: db.lastInsertedRowID)

        case let .openAssignment(r):
            try requireLead(r.leadID, label)
            try requireNonEmpty(r.rule, label, "rule")
            var repID: String?
            var queue: String?
            switch r.target {
            case let .rep(id):
                try requireRep(id, label, field: "target", mustBeActive: true)
                repID = id
            case let .fallbackQueue(name):
                try requireNonEmpty(name, label, "target")
                queue = name
            }
            if r.unassignedAt == nil, let open = try Row.fetchOne(db, sql: """
                SELECT rep_id, queue FROM assignments WHERE lead_id = ? AND unassigned_at IS NULL
                """, arguments: [r.leadID]) {
                let rep: String? = open["rep_id"]
                let queue: String? = open["queue"]
                let target: AssignmentTarget = rep.map(AssignmentTarget.rep) ?? .fallbackQueue(queue ?? "")
                throw StoreError.leadAlreadyAssigned(leadID: r.leadID, openAssignmentTarget: target.description)
            }
            try db.cachedExecute(sql: """
                INSERT INTO assignments (lead_id, rep_id, queue, rule, assigned_at, unassigned_at, unassign_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.leadID, repID, queue, r.rule, r.assignedAt.storeMillis, r.unassignedAt.storeMillis, r.unassignReason])
            return .stored(rowID: db.lastInsertedRowID)

        case let .closeAssignment(leadID, at, reason):
            try requireLead(leadID, label)
            try db.cachedExecute(sql: """
                UPDATE assignments SET unassigned_at = ?, unassign_reason = ? WHERE lead_id = ? AND unassigned_at IS NULL
                """, arguments: [at.storeMillis, reason, leadID])
            return db.changesCount == 0 ? .unchanged : .updated

        case let .upsertRep(r):
            try requireNonEmpty(r.id, label, "id")
            try requireNonEmpty(r.timeZone, label, "timeZone")
            let exists = try rowExists("SELECT 1 FROM reps WHERE id = ?", [r.id])
            try db.cachedExecute(sql: """
                INSERT INTO reps (id, name, time_zone, status, left_at, profile, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, status = excluded.status,
                    left_at = excluded.left_at, profile = excluded.profile, updated_at = excluded.updated_at
                """, arguments: [r.id, r.name, r.timeZone, r.status.rawValue, r.leftAt.storeMillis, r.profile.text, r.updatedAt.storeMillis])
            return exists ? .updated : .stored(rowID: nil)

        case let .saveRouterState(name, state, expected, at):
            try requireNonEmpty(name, label, "name")
            let actual = try Int64.fetchOne(db, sql: "SELECT revision FROM router_states WHERE name = ?", arguments: [name]) ?? 0
            guard actual == expected else {
                throw StoreError.routerStateConflict(name: name, expectedRevision: expected, actualRevision: actual)
            }
            if actual == 0 {
                try db.cachedExecute(sql: "INSERT INTO router_states (name, state, revision, updated_at) VALUES (?, ?, 1, ?)",
                               arguments: [name, state.text, at.storeMillis])
                return .stored(rowID: nil)
            }
            try db.cachedExecute(sql: "UPDATE router_states SET state = ?, revision = ?, updated_at = ? WHERE name = ?",
                           arguments: [state.text, expected + 1, at.storeMillis, name])
            return .updated

        case let .upsertTimer(r):
            try requireNonEmpty(r.id, label, "id")
            try requireNonEmpty(r.policy, label, "policy")
            try requireLead(r.leadID, label)
            guard r.escalationStep >= 0 else {
                throw StoreError.invalidField(record: label, field: "escalationStep", reason: "is \(r.escalationStep), must be 0 or more")
            }
            let storedLead = try String.fetchOne(db, sql: "SELECT lead_id FROM sla_timers WHERE id = ?", arguments: [r.id])
            if let storedLead, storedLead != r.leadID {
                throw StoreError.conflictingRecord(record: "SLA timer", id: r.id,
                                                   reason: "belongs to lead '\(storedLead)', not '\(r.leadID)'; use a timer id per lead")
            }
            let fired = try JSONText(encoding: r.firedSteps)
            try db.cachedExecute(sql: """
                INSERT INTO sla_timers (id, lead_id, policy, due_at, state, escalation_step, fired_steps, started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, due_at = excluded.due_at, state = excluded.state,
                    escalation_step = excluded.escalation_step, fired_steps = excluded.fired_steps,
                    updated_at = excluded.updated_at, lease_owner = NULL, lease_until = NULL
                """, arguments: [r.id, r.leadID, r.policy, r.dueAt.storeMillis, r.state.rawValue, r.escalationStep, fired.text,
                                 r.startedAt.storeMillis, r.updatedAt.storeMillis])
            return storedLead == nil ? .stored(rowID: nil) : .updated

        case let .appendContactAttempt(r):
            try requireNonEmpty(r.id, label, "id")
            try requireNonEmpty(r.channel, label, "channel")
            try requireLead(r.leadID, label)
            if let rep = r.repID { try requireRep(rep, label, field: "repID", mustBeActive: false) }
            try db.cachedExecute(sql: """
                INSERT INTO contact_attempts (attempt_id, lead_id, rep_id, channel, result, attempted_at, note)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id) DO NOTHING
                """, arguments: [r.id, r.leadID, r.repID, r.channel, r.result, r.attemptedAt.storeMillis, r.note])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .appendDisposition(r):
            try requireNonEmpty(r.id, label, "id")
            try requireNonEmpty(r.code, label, "code")
            try requireLead(r.leadID, label)
            if let rep = r.repID { try requireRep(rep, label, field: "repID", mustBeActive: false) }
            try db.cachedExecute(sql: """
                INSERT INTO dispositions (disposition_id, lead_id, rep_id, code, note, reengage_at, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (disposition_id) DO NOTHING
                """, arguments: [r.id, r.leadID, r.repID, r.code, r.note, r.reengageAt.storeMillis, r.decidedAt.storeMillis])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .upsertOpportunity(r):
            try requireNonEmpty(r.id, label, "id")
            try requireNonEmpty(r.stage, label, "stage")
            try requireCurrency(r.amount, label)
            try requireLead(r.leadID, label)
            if let storedLead = try String.fetchOne(db, sql: "SELECT lead_id FROM opportunities WHERE id = ?", arguments: [r.id]) {
                guard storedLead == r.leadID else {
                    throw StoreError.conflictingRecord(record: "opportunity", id: r.id,
                                                       reason: "is stored for lead '\(storedLead)', not '\(r.leadID)'; an opportunity's lead never changes")
                }
                try db.cachedExecute(sql: "UPDATE opportunities SET amount_minor = ?, currency = ?, stage = ?, updated_at = ? WHERE id = ?",
                               arguments: [r.amount.minorUnits, r.amount.currency, r.stage, r.updatedAt.storeMillis, r.id])
                return .updated
            }
            try db.cachedExecute(sql: """
                INSERT INTO opportunities (id, lead_id, amount_minor, currency, stage, opened_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.id, r.leadID, r.amount.minorUnits, r.amount.currency, r.stage, r.openedAt.storeMillis, r.updatedAt.storeMillis])
            return .stored(rowID: nil)

        case let .appendOutcome(r):
            try requireNonEmpty(r.id, label, "id")
            try requireCurrency(r.amount, label)
            if try rowExists("SELECT 1 FROM outcomes WHERE outcome_id = ?", [r.id]) { return .alreadyStored }
            try requireLead(r.leadID, label)
            guard let opportunityLead = try String.fetchOne(db, sql: "SELECT lead_id FROM opportunities WHERE id = ?",
                                                            arguments: [r.opportunityID]) else {
                throw StoreError.unknownOpportunity(opportunityID: r.opportunityID, referencedBy: label, field: "opportunityID")
            }
            guard opportunityLead == r.leadID else {
                throw StoreError.conflictingRecord(record: "outcome", id: r.id,
                                                   reason: "names lead '\(r.leadID)' but opportunity '\(r.opportunityID)' belongs to lead '\(opportunityLead)'")
            }
            if let closedBy = try String.fetchOne(db, sql: "SELECT outcome_id FROM outcomes WHERE opportunity_id = ?",
                                                  arguments: [r.opportunityID]) {
                throw StoreError.conflictingRecord(record: "outcome", id: r.id,
                                                   reason: "opportunity '\(r.opportunityID)' is already closed by outcome '\(closedBy)'; an opportunity has one outcome")
            }
            try db.cachedExecute(sql: """
                INSERT INTO outcomes (outcome_id, opportunity_id, lead_id, result, amount_minor, currency, closed_at, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (outcome_id) DO NOTHING
                """, arguments: [r.id, r.opportunityID, r.leadID, r.result.rawValue, r.amount.minorUnits, r.amount.currency,
                                 r.closedAt.storeMillis, r.reason])
            return .stored(rowID: nil)

        case let .raiseAlert(r):
            try requireNonEmpty(r.id, label, "id")
            try requireNonEmpty(r.kind, label, "kind")
            try requireNonEmpty(r.target, label, "target")
            if let lead = r.leadID { try requireLead(lead, label) }
            try db.cachedExecute(sql: """
                INSERT INTO alerts (alert_id, kind, lead_id, target, payload, created_at, delivered_at, attempts, last_error, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO NOTHING
                """, arguments: [r.id, r.kind, r.leadID, r.target, r.payload.text, r.createdAt.storeMillis, r.deliveredAt.storeMillis,
                                 r.attempts, r.lastError, r.nextAttemptAt.storeMillis])
            return db.changesCount == 0 ? .alreadyStored : .stored(rowID: nil)

        case let .recordAlertDelivery(alertID, at, succeeded, error, nextAttemptAt):
            try db.cachedExecute(sql: """
                UPDATE alerts SET attempts = attempts + 1,
                    delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END,
                    last_error = ?, next_attempt_at = ?
                WHERE alert_id = ?
                """, arguments: [succeeded, at.storeMillis, succeeded ? nil : error, succeeded ? nil : nextAttemptAt.storeMillis, alertID])
            guard db.changesCount > 0 else {
                throw StoreError.invalidField(record: label, field: "alertID", reason: "names no stored alert; raise the alert first")
            }
            return .updated
        }
    }

    // MARK: Checks

    private func rowExists(_ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Row.fetchOne(db, sql: sql, arguments: arguments) != nil
    }

    private func requireNonEmpty(_ value: String, _ label: String, _ field: String) throws {
        if value.isEmpty { throw StoreError.invalidField(record: label, field: field, reason: "is empty") }
    }

    private func requireCurrency(_ amount: Money, _ label: String) throws {
        guard amount.hasValidCurrency else {
            throw StoreError.invalidField(record: label, field: "amount.currency",
                                          reason: "is '\(amount.currency)', not a three-letter ISO 4217 code such as EUR")
        }
    }

    private func requireLead(_ leadID: String, _ label: String) throws {
        try requireNonEmpty(leadID, label, "leadID")
        guard try rowExists("SELECT 1 FROM leads WHERE id = ?", [leadID]) else {
            throw StoreError.unknownLead(leadID: leadID, referencedBy: label, field: "leadID")
        }
    }

    private func requireRep(_ repID: String, _ label: String, field: String, mustBeActive: Bool) throws {
        guard let status = try String.fetchOne(db, sql: "SELECT status FROM reps WHERE id = ?", arguments: [repID]) else {
            throw StoreError.unknownRep(repID: repID, referencedBy: label, field: field)
        }
        if mustBeActive, status != RepRecord.Status.active.rawValue {
            throw StoreError.invalidField(record: label, field: field,
                                          reason: "names rep '\(repID)', who has left; route the lead to an active rep or a fallback queue")
        }
    }
}
