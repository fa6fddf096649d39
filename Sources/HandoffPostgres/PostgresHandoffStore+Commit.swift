import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func commit(_ unit: UnitOfWork) async throws(StoreError) -> UnitResult {
        try await transaction("committing \(Self.label(unit) ?? "an empty unit")") { sql in
            var runner = PGUnitRunner(sql: sql)
            return try await runner.run(unit)
        }
    }

    /// One transaction with a savepoint per unit, as in SQLite: the failing unit's savepoint is
    /// rolled back and the earlier units commit together.
    package func commit(_ units: [UnitOfWork]) async throws(StoreError) -> [UnitResult] {
        let server = self.server
        let (results, failure) = try await transaction("committing a batch of \(units.count) units") { sql in
            var results: [UnitResult] = []
            var failure: (index: Int, error: StoreError)?
            for (index, unit) in units.enumerated() {
                try await sql.execute("SAVEPOINT unit")
                do {
                    var runner = PGUnitRunner(sql: sql)
                    results.append(try await runner.run(unit))
                    try await sql.execute("RELEASE SAVEPOINT unit")
                } catch {
                    // A lost connection ends the whole transaction: nothing of the batch commits. A
                    // deadlock's victim is run again whole (``transaction(_:_:)``): its locks are
                    // held by the earlier units, so retrying the unit alone could deadlock again.
                    if PostgresErrors.isConnectionLoss(error) || PostgresErrors.isTransactionConflict(error) { throw error }
                    try await sql.execute("ROLLBACK TO SAVEPOINT unit")
                    failure = (index, PostgresErrors.classify(error, operation: Self.label(unit) ?? "unit \(index)", server: server))
                    break
                }
            }
            return (results, failure.map { BatchFailure(index: $0.index, error: $0.error) })
        }
        if let failure {
            throw .batchHalted(index: failure.index, committedCount: results.count, cause: failure.error)
        }
        return results
    }

    /// One transaction with a savepoint per unit; a failing unit's savepoint is rolled back and
    /// the next unit runs. A lost connection fails the call: the server rolled everything back.
    package func commitEach(_ units: [UnitOfWork]) async throws(StoreError) -> [Result<UnitResult, StoreError>] {
        let server = self.server
        return try await transaction("committing a group of \(units.count) units") { sql in
            var results: [Result<UnitResult, StoreError>] = []
            results.reserveCapacity(units.count)
            for (index, unit) in units.enumerated() {
                try await sql.execute("SAVEPOINT unit")
                do {
                    var runner = PGUnitRunner(sql: sql)
                    let committed = try await runner.run(unit)
                    try await sql.execute("RELEASE SAVEPOINT unit")
                    results.append(.success(committed))
                } catch {
                    if PostgresErrors.isConnectionLoss(error) || PostgresErrors.isTransactionConflict(error) { throw error }
                    // Rolled back and released, so savepoints do not pile up over a large group.
                    try await sql.execute("ROLLBACK TO SAVEPOINT unit")
                    try await sql.execute("RELEASE SAVEPOINT unit")
                    results.append(.failure(PostgresErrors.classify(error, operation: Self.label(unit) ?? "unit \(index)", server: server)))
                }
            }
            return results
        }
    }

    static func label(_ unit: UnitOfWork) -> String? {
        unit.trigger?.label ?? unit.operations.first?.label
    }
}

struct BatchFailure: Sendable {
    let index: Int
    let error: StoreError
}

/// Applies the operations of one unit inside the caller's transaction. Checks references
/// itself first, so errors name the field; foreign keys and CHECKs remain the last line of
/// defence. Every check that must hold under concurrency is a constraint or a conditional
/// statement, not a read followed by a write.
struct PGUnitRunner {
    let sql: SQL
    /// Score row ids written earlier in this unit, by lead, for decisions to link to.
    private var scoreInUnit: [String: Int64] = [:]

    init(sql: SQL) { self.sql = sql }

    mutating func run(_ unit: UnitOfWork) async throws -> UnitResult {
        var outcomes: [WriteOutcome] = []
        if let trigger = unit.trigger {
            let outcome = try await apply(trigger)
            if outcome == .alreadyStored { return .duplicate(label: trigger.label) }
            outcomes.append(outcome)
        }
        for operation in unit.operations {
            outcomes.append(try await apply(operation))
        }
        return .committed(outcomes)
    }

    /// `.stored` when `RETURNING` produced a row (a new insert), `.alreadyStored` when the
    /// conflict clause skipped it.
    private func insertedOrSkipped(_ sql: String, _ binds: [Bind]) async throws -> WriteOutcome {
        try await self.sql.row(sql, binds) == nil ? .alreadyStored : .stored(rowID: nil)
    }

    mutating func apply(_ operation: WriteOperation) async throws -> WriteOutcome {
        let label = operation.label
        let references = try WriteValidation.check(operation)
        switch operation {
        case let .upsertLead(r):
            // xmax = 0 only on a row this statement inserted; an update of an existing row sets it.
            let row = try await sql.row(
                """
                INSERT INTO leads (id, fields, source, campaign, created_at, updated_at) VALUES ($1, $2::json, $3, $4, $5, $6)
                ON CONFLICT (id) DO UPDATE SET fields = EXCLUDED.fields, source = EXCLUDED.source,
                    campaign = EXCLUDED.campaign, updated_at = EXCLUDED.updated_at
                RETURNING (xmax = 0) AS inserted
                """, [.text(r.id), .text(r.fields.text), .text(r.source), .text(r.campaign), .date(r.createdAt), .date(r.updatedAt)])
            return try row?.bool("inserted") == true ? .stored(rowID: nil) : .updated

        case let .appendEvent(r):
            try await verify(references, label)
            return try await insertedOrSkipped(
                """
                INSERT INTO engagement_events (event_id, lead_id, type, occurred_at, received_at, payload)
                VALUES ($1, $2, $3, $4, $5, $6::json) ON CONFLICT (event_id) DO NOTHING RETURNING seq
                """, [.text(r.id), .text(r.leadID), .text(r.type), .date(r.occurredAt), .date(r.receivedAt), .text(r.payload.text)])

        case let .recordScore(r):
            try await verify(references, label)
            let row = try await sql.row(
                """
                INSERT INTO scores (lead_id, model_sha256, model_format, probability, points, fit_points,
                                    engagement_points, reasons, scored_at, trigger_event_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json, $9, $10) RETURNING id
                """,
                [
                    .text(r.leadID), .text(r.model.sha256), .text(r.model.format), .double(r.probability), .double(r.points),
                    .double(r.fitPoints), .double(r.engagementPoints), .text(r.reasons.text), .date(r.scoredAt), .text(r.triggerEventID),
                ])
            let rowID = try row?.int64("id")
            scoreInUnit[r.leadID] = rowID
            return .stored(rowID: rowID)

        case let .recordDecision(r):
            try await verify(references, label)
            let scoreRowID = r.scoreRowID ?? scoreInUnit[r.leadID]
            if let scoreRowID, !(try await sql.exists("SELECT 1 FROM scores WHERE id = $1 AND lead_id = $2", [.int(scoreRowID), .text(r.leadID)])) {
                throw StoreError.unknownScore(rowID: scoreRowID, leadID: r.leadID, record: label)
            }
            let row = try await sql.row(
                """
                INSERT INTO qualification_decisions (lead_id, stage, priority, rule, evidence, decided_at, score_id)
                VALUES ($1, $2, $3, $4, $5::json, $6, $7) RETURNING id
                """,
                [
                    .text(r.leadID), .text(r.stage.rawValue), .text(r.priority.rawValue), .text(r.rule), .text(r.evidence.text),
                    .date(r.decidedAt), .int(scoreRowID),
                ])
            return .stored(rowID: try row?.int64("id"))

        case let .openAssignment(r):
            try await verify(references, label)
            var repID: String?
            var queue: String?
            switch r.target {
            case let .rep(id):
                repID = id
            case let .fallbackQueue(name):
                queue = name
            }
            let binds: [Bind] = [
                .text(r.leadID), .text(repID), .text(queue), .text(r.rule), .date(r.assignedAt),
                .date(r.unassignedAt), .text(r.unassignReason),
            ]
            let insert = """
                INSERT INTO assignments (lead_id, rep_id, queue, rule, assigned_at, unassigned_at, unassign_reason)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """
            guard r.unassignedAt == nil else {
                return .stored(rowID: try await sql.row(insert + " RETURNING id", binds)?.int64("id"))
            }
            // The common refusal is answered by a read (it spends no row id); the partial unique
            // index decides between two instances assigning the same lead at once: the second
            // waits for the first to commit, then skips, and reports the holder.
            if let holder = try await openHolder(r.leadID) {
                throw StoreError.leadAlreadyAssigned(leadID: r.leadID, openAssignmentTarget: holder.description)
            }
            if let row = try await sql.row(insert + " ON CONFLICT (lead_id) WHERE unassigned_at IS NULL DO NOTHING RETURNING id", binds) {
                return .stored(rowID: try row.int64("id"))
            }
            let holder = try await openHolder(r.leadID) ?? .fallbackQueue("?")
            throw StoreError.leadAlreadyAssigned(leadID: r.leadID, openAssignmentTarget: holder.description)

        case let .closeAssignment(leadID, at, reason):
            try await verify(references, label)
            let closed = try await sql.rows(
                """
                UPDATE assignments SET unassigned_at = $1, unassign_reason = $2 WHERE lead_id = $3 AND unassigned_at IS NULL RETURNING id
                """, [.date(at), .text(reason), .text(leadID)])
            return closed.isEmpty ? .unchanged : .updated

        case let .upsertRep(r):
            let row = try await sql.row(
                """
                INSERT INTO reps (id, name, time_zone, status, left_at, profile, updated_at) VALUES ($1, $2, $3, $4, $5, $6::json, $7)
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, status = EXCLUDED.status,
                    left_at = EXCLUDED.left_at, profile = EXCLUDED.profile, updated_at = EXCLUDED.updated_at
                RETURNING (xmax = 0) AS inserted
                """,
                [
                    .text(r.id), .text(r.name), .text(r.timeZone), .text(r.status.rawValue), .date(r.leftAt), .text(r.profile.text),
                    .date(r.updatedAt),
                ])
            return try row?.bool("inserted") == true ? .stored(rowID: nil) : .updated

        case let .saveRouterState(name, state, expected, at):
            // Compare-and-swap: the revision test is part of the write. A concurrent saver
            // blocks on the row, then re-checks the condition against the committed revision.
            let saved: Cells?
            if expected == 0 {
                saved = try await sql.row(
                    """
                    INSERT INTO router_states (name, state, revision, updated_at) VALUES ($1, $2::json, 1, $3)
                    ON CONFLICT (name) DO NOTHING RETURNING revision
                    """, [.text(name), .text(state.text), .date(at)])
            } else {
                saved = try await sql.row(
                    """
                    UPDATE router_states SET state = $2::json, revision = revision + 1, updated_at = $3
                    WHERE name = $1 AND revision = $4 RETURNING revision
                    """, [.text(name), .text(state.text), .date(at), .int(expected)])
            }
            guard saved != nil else {
                let actual = try await sql.row("SELECT revision FROM router_states WHERE name = $1", [.text(name)])?.int64("revision") ?? 0
                throw StoreError.routerStateConflict(name: name, expectedRevision: expected, actualRevision: actual)
            }
            return expected == 0 ? .stored(rowID: nil) : .updated

        case let .upsertTimer(r):
            try await verify(references, label)
            let fired = try JSONText(encoding: r.firedSteps)
            // The update happens only for the same lead; a timer id of another lead is left alone
            // and reported below (RETURNING the stored lead tells which case it was).
            let row = try await sql.row(
                """
                INSERT INTO sla_timers (id, lead_id, policy, due_at, state, escalation_step, fired_steps, started_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8, $9)
                ON CONFLICT (id) DO UPDATE SET policy = EXCLUDED.policy, due_at = EXCLUDED.due_at, state = EXCLUDED.state,
                    escalation_step = EXCLUDED.escalation_step, fired_steps = EXCLUDED.fired_steps,
                    updated_at = EXCLUDED.updated_at, lease_owner = NULL, lease_until = NULL
                WHERE sla_timers.lead_id = EXCLUDED.lead_id
                RETURNING (xmax = 0) AS inserted
                """,
                [
                    .text(r.id), .text(r.leadID), .text(r.policy), .date(r.dueAt), .text(r.state.rawValue), .int(r.escalationStep),
                    .text(fired.text), .date(r.startedAt), .date(r.updatedAt),
                ])
            guard let row else {
                let storedLead = try await sql.row("SELECT lead_id FROM sla_timers WHERE id = $1", [.text(r.id)])?.text("lead_id") ?? "?"
                throw StoreError.timerOfAnotherLead(timerID: r.id, storedLead: storedLead, leadID: r.leadID)
            }
            return try row.bool("inserted") ? .stored(rowID: nil) : .updated

        case let .appendContactAttempt(r):
            try await verify(references, label)
            return try await insertedOrSkipped(
                """
                INSERT INTO contact_attempts (attempt_id, lead_id, rep_id, channel, result, attempted_at, note)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (attempt_id) DO NOTHING RETURNING seq
                """, [.text(r.id), .text(r.leadID), .text(r.repID), .text(r.channel), .text(r.result), .date(r.attemptedAt), .text(r.note)])

        case let .appendDisposition(r):
            try await verify(references, label)
            return try await insertedOrSkipped(
                """
                INSERT INTO dispositions (disposition_id, lead_id, rep_id, code, note, reengage_at, decided_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (disposition_id) DO NOTHING RETURNING seq
                """, [.text(r.id), .text(r.leadID), .text(r.repID), .text(r.code), .text(r.note), .date(r.reengageAt), .date(r.decidedAt)])

        case let .upsertOpportunity(r):
            try await verify(references, label)
            let row = try await sql.row(
                """
                INSERT INTO opportunities (id, lead_id, amount_minor, currency, stage, opened_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (id) DO UPDATE SET amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency,
                    stage = EXCLUDED.stage, updated_at = EXCLUDED.updated_at
                WHERE opportunities.lead_id = EXCLUDED.lead_id
                RETURNING (xmax = 0) AS inserted
                """,
                [
                    .text(r.id), .text(r.leadID), .int(r.amount.minorUnits), .text(r.amount.currency), .text(r.stage),
                    .date(r.openedAt), .date(r.updatedAt),
                ])
            guard let row else {
                let storedLead = try await sql.row("SELECT lead_id FROM opportunities WHERE id = $1", [.text(r.id)])?.text("lead_id") ?? "?"
                throw StoreError.opportunityOfAnotherLead(opportunityID: r.id, storedLead: storedLead, leadID: r.leadID)
            }
            return try row.bool("inserted") ? .stored(rowID: nil) : .updated

        case let .appendOutcome(r):
            if try await sql.exists("SELECT 1 FROM outcomes WHERE outcome_id = $1", [.text(r.id)]) { return .alreadyStored }
            try await verify(references, label)
            guard
                let opportunityLead = try await sql.row(
                    "SELECT lead_id FROM opportunities WHERE id = $1",
                    [.text(r.opportunityID)])?.text("lead_id")
            else {
                throw StoreError.unknownOpportunity(opportunityID: r.opportunityID, referencedBy: label, field: "opportunityID")
            }
            guard opportunityLead == r.leadID else {
                throw StoreError.outcomeLeadMismatch(
                    outcomeID: r.id, leadID: r.leadID, opportunityID: r.opportunityID, opportunityLead: opportunityLead)
            }
            // Two arbiters: the outcome id (a retry) and the opportunity (one outcome each). The
            // insert skips on either; a concurrent duplicate waits for the other's commit first.
            if try await sql.row(
                """
                INSERT INTO outcomes (outcome_id, opportunity_id, lead_id, result, amount_minor, currency, closed_at, reason)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING seq
                """,
                [
                    .text(r.id), .text(r.opportunityID), .text(r.leadID), .text(r.result.rawValue), .int(r.amount.minorUnits),
                    .text(r.amount.currency), .date(r.closedAt), .text(r.reason),
                ]) != nil
            {
                return .stored(rowID: nil)
            }
            if try await sql.exists("SELECT 1 FROM outcomes WHERE outcome_id = $1", [.text(r.id)]) { return .alreadyStored }
            let closedBy =
                try await sql.row(
                    "SELECT outcome_id FROM outcomes WHERE opportunity_id = $1",
                    [.text(r.opportunityID)])?.text("outcome_id") ?? "?"
            throw StoreError.opportunityAlreadyClosed(outcomeID: r.id, opportunityID: r.opportunityID, closedBy: closedBy)

        case let .raiseAlert(r):
            try await verify(references, label)
            return try await insertedOrSkipped(
                """
                INSERT INTO alerts (alert_id, kind, lead_id, target, payload, created_at, delivered_at, attempts, last_error, next_attempt_at)
                VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8, $9, $10) ON CONFLICT (alert_id) DO NOTHING RETURNING seq
                """,
                [
                    .text(r.id), .text(r.kind), .text(r.leadID), .text(r.target), .text(r.payload.text), .date(r.createdAt),
                    .date(r.deliveredAt), .int(r.attempts), .text(r.lastError), .date(r.nextAttemptAt),
                ])

        case let .recordAlertDelivery(alertID, at, outcome):
            let columns = OutboxColumns(outcome, at: at)
            let updated = try await sql.rows(
                """
                UPDATE alerts SET attempts = attempts + 1, delivered_at = $1, last_error = $2, next_attempt_at = $3, dead_at = $4
                WHERE alert_id = $5 RETURNING seq
                """, [.date(columns.deliveredAt), .text(columns.lastError), .date(columns.nextAttemptAt), .date(columns.deadAt), .text(alertID)])
            guard !updated.isEmpty else {
                throw StoreError.unknownAlert(record: label)
            }
            return .updated

        case let .recordLedgerEntry(r):
            try await verify(references, label)
            let row = try await sql.row(
                """
                INSERT INTO decision_ledger (lead_id, kind, decided_at, source, summary, entry)
                VALUES ($1, $2, $3, $4, $5, $6::json) RETURNING seq
                """, [.text(r.leadID), .text(r.kind.rawValue), .date(r.decidedAt), .text(r.source), .text(r.summary), .text(r.entry.text)])
            return .stored(rowID: try row?.int64("seq"))

        case let .upsertAccount(r):
            let created = try await sql.row(
                "INSERT INTO accounts (id, name, display_name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING seq",
                [.text(r.id), .text(r.name), .text(r.displayName), .date(r.createdAt)])
            var added = false
            for domain in r.domains {
                let row = try await sql.row(
                    "INSERT INTO account_domains (account_id, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING domain",
                    [.text(r.id), .text(domain)])
                added = added || row != nil
            }
            if let created { return .stored(rowID: try created.int64("seq")) }
            return added ? .updated : .unchanged

        case let .recordMerge(r):
            try await verify(references, label)
            if try await sql.exists("SELECT 1 FROM lead_merges WHERE merged_id = $1 AND ended_at IS NULL", [.text(r.mergedID)]) {
                throw StoreError.invalidField(record: label, field: "mergedID", reason: "already stands merged; unmerge it first")
            }
            if try await sql.exists("SELECT 1 FROM lead_merges WHERE merged_id = $1 AND ended_at IS NULL", [.text(r.survivorID)]) {
                throw StoreError.invalidField(record: label, field: "survivorID", reason: "stands merged into another lead; merge into that one")
            }
            let changes = try JSONText(encoding: r.fieldChanges)
            try await sql.execute(
                """
                INSERT INTO lead_merges (merged_id, survivor_id, rule, evidence, event_id, field_changes, merged_at, ended_at, end_event_id)
                VALUES ($1, $2, $3, $4, $5, $6::json, $7, NULL, NULL)
                ON CONFLICT (merged_id) DO UPDATE SET survivor_id = excluded.survivor_id, rule = excluded.rule, evidence = excluded.evidence,
                    event_id = excluded.event_id, field_changes = excluded.field_changes, merged_at = excluded.merged_at,
                    ended_at = NULL, end_event_id = NULL
                """,
                [
                    .text(r.mergedID), .text(r.survivorID), .text(r.rule.rawValue), .text(r.evidence), .text(r.eventID), .text(changes.text),
                    .date(r.mergedAt),
                ])
            return .stored(rowID: nil)

        case let .endMerge(id, at, eventID):
            let ended = try await sql.row(
                "UPDATE lead_merges SET ended_at = $1, end_event_id = $2 WHERE merged_id = $3 AND ended_at IS NULL RETURNING merged_id",
                [.date(at), .text(eventID), .text(id)])
            guard ended != nil else {
                throw StoreError.invalidField(record: label, field: "mergedID", reason: "stands merged into no lead; nothing to unmerge")
            }
            return .updated

        case let .keyLeadEmail(id, key):
            try await verify(references, label)
            if let key {
                try await sql.execute(
                    "INSERT INTO lead_email_keys (lead_id, email_key) VALUES ($1, $2) ON CONFLICT (lead_id) DO UPDATE SET email_key = excluded.email_key",
                    [.text(id), .text(key)])
            } else {
                try await sql.execute("DELETE FROM lead_email_keys WHERE lead_id = $1", [.text(id)])
            }
            return .stored(rowID: nil)

        case let .linkLeadAccount(r):
            try await verify(references, label)
            guard try await sql.exists("SELECT 1 FROM accounts WHERE id = $1", [.text(r.accountID)]) else {
                throw StoreError.invalidField(
                    record: label, field: "accountID", reason: "names no stored account '\(r.accountID)'; store the account first")
            }
            try await sql.execute(
                """
                INSERT INTO lead_accounts (lead_id, account_id, rule, value, score, matched_name, linked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (lead_id) DO UPDATE SET account_id = excluded.account_id, rule = excluded.rule, value = excluded.value,
                    score = excluded.score, matched_name = excluded.matched_name, linked_at = excluded.linked_at
                """,
                [
                    .text(r.leadID), .text(r.accountID), .text(r.rule.rawValue), .text(r.value), .double(r.score), .text(r.matchedName),
                    .date(r.linkedAt),
                ])
            return .stored(rowID: nil)

        case let .replayAlert(alertID, at):
            let updated = try await sql.rows(
                """
                UPDATE alerts SET attempts = 0, next_attempt_at = NULL, dead_at = NULL, replayed_at = $1
                WHERE alert_id = $2 AND delivered_at IS NULL RETURNING seq
                """, [.date(at), .text(alertID)])
            guard !updated.isEmpty else {
                throw StoreError.unknownAlert(record: label)
            }
            return .updated
        }
    }

    // MARK: Checks (leads, reps and opportunities are never deleted, so a check stays true
    // until the transaction commits)

    private func openHolder(_ leadID: String) async throws -> AssignmentTarget? {
        guard
            let open = try await sql.row(
                "SELECT rep_id, queue FROM assignments WHERE lead_id = $1 AND unassigned_at IS NULL",
                [.text(leadID)])
        else { return nil }
        return try open.optionalText("rep_id").map(AssignmentTarget.rep) ?? .fallbackQueue(try open.optionalText("queue") ?? "")
    }

    /// Looks up what ``WriteValidation/check(_:)`` said to verify, in this transaction.
    private func verify(_ references: [WriteReference], _ label: String) async throws {
        for reference in references {
            let found: ReferenceLookup
            switch reference {
            case let .lead(id): found = .lead(exists: try await sql.exists("SELECT 1 FROM leads WHERE id = $1", [.text(id)]))
            case let .rep(id, _, _): found = .rep(status: try await sql.row("SELECT status FROM reps WHERE id = $1", [.text(id)])?.text("status"))
            }
            try WriteValidation.verify(reference, found: found, record: label)
        }
    }
}
