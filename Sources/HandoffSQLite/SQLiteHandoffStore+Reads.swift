import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func lead(id: String) async throws(StoreError) -> LeadRecord? {
        try await read("reading lead '\(id)'") { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT \(Columns.lead) FROM leads WHERE id = ?"), arguments: [id]).map(Decode.lead)
        }
    }

    package func event(id: String) async throws(StoreError) -> EngagementEventRecord? {
        try await read("reading event '\(id)'") { db in try Self.event(db, id: id) }
    }

    static func event(_ db: Database, id: String) throws -> EngagementEventRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT \(Columns.event) FROM engagement_events WHERE event_id = ?"), arguments: [id]).map(
            Decode.event)
    }

    package func leadTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? {
        try await read("reading the timeline of lead '\(leadID)'") { db in
            let batch = try BatchReader(db: db, scope: .lead(leadID)).read()
            guard let lead = batch.leads.first else { return nil }
            return LeadTimeline(
                lead: lead, events: batch.events, scores: batch.scores, decisions: batch.decisions,
                assignments: batch.assignments, timers: batch.timers, contactAttempts: batch.contactAttempts,
                dispositions: batch.dispositions, opportunities: batch.opportunities, outcomes: batch.outcomes)
        }
    }

    package func reps() async throws(StoreError) -> [RepRecord] {
        try await read("reading the roster") { db in
            try Row.fetchAll(db, sql: "SELECT \(Columns.rep) FROM reps ORDER BY id").map(Decode.rep)
        }
    }

    package func routerState(name: String) async throws(StoreError) -> RouterStateRecord? {
        try await read("reading router state '\(name)'") { db in
            try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT name, state, revision, updated_at FROM router_states WHERE name = ?"), arguments: [name]
            )
            .map {
                RouterStateRecord(
                    name: $0["name"], state: Decode.json($0, "state"), revision: $0["revision"],
                    updatedAt: Decode.date($0, "updated_at"))
            }
        }
    }

    package func openHandoffs(repID: String?) async throws(StoreError) -> [OpenHandoff] {
        try await read("reading open hand-offs") { db in
            let filter = repID == nil ? "" : "AND rep_id = ?"
            let arguments: StatementArguments = repID.map { [$0] } ?? []
            let assignments = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Columns.assignment) FROM assignments WHERE unassigned_at IS NULL \(filter) ORDER BY assigned_at, id
                    """, arguments: arguments
            ).map(Decode.assignment)
            return try assignments.compactMap { assignment -> OpenHandoff? in
                let leadArgument: StatementArguments = [assignment.leadID]
                guard
                    let lead = try Row.fetchOne(
                        try db.cachedStatement(sql: "SELECT \(Columns.lead) FROM leads WHERE id = ?"), arguments: leadArgument
                    )
                    .map(Decode.lead)
                else { return nil }
                let score = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(Columns.score) FROM scores WHERE lead_id = ? ORDER BY scored_at DESC, id DESC LIMIT 1
                        """, arguments: leadArgument
                ).map(Decode.score)
                let decision = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(Columns.decision) FROM qualification_decisions WHERE lead_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1
                        """, arguments: leadArgument
                ).map(Decode.decision)
                let timers = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Columns.timer) FROM sla_timers WHERE lead_id = ? AND state IN ('running', 'breached') ORDER BY due_at, id
                        """, arguments: leadArgument
                ).map(Decode.timer)
                let attempts =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM contact_attempts WHERE lead_id = ? AND attempted_at >= ?
                            """, arguments: [assignment.leadID, assignment.assignedAt.storeMillis]) ?? 0
                return OpenHandoff(
                    assignment: assignment, lead: lead, latestScore: score, latestDecision: decision,
                    openTimers: timers, attemptsSinceAssigned: attempts)
            }
        }
    }

    package func openAssignmentCounts() async throws(StoreError) -> [String: Int] {
        try await read("counting open assignments") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT rep_id, COUNT(*) AS n FROM assignments WHERE unassigned_at IS NULL AND rep_id IS NOT NULL GROUP BY rep_id
                    """)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["rep_id"] as String, $0["n"] as Int) })
        }
    }

    package func timersDue(before date: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord] {
        precondition(limit > 0, "limit must be positive")
        return try await read("reading due SLA timers") { db in
            // Cached: a replay asks before every event that moves its clock, and preparing the
            // query anew (with GRDB's authorizer) was a fifth of the read.
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Columns.timer) FROM sla_timers
                        WHERE state IN ('running', 'breached') AND due_at <= ? ORDER BY due_at, id LIMIT ?
                        """), arguments: [date.storeMillis, limit]
            ).map(Decode.timer)
        }
    }

    package func claimDueTimers(before date: Date, owner: String, leaseUntil: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord] {
        precondition(limit > 0, "limit must be positive")
        precondition(leaseUntil > date, "a lease must end after the time it is taken")
        return try await write("claiming due SLA timers") { db in
            let now = date.storeMillis
            // Cached: the service's scheduler claims one timer at a time, every tick.
            let timers = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Columns.timer) FROM sla_timers
                        WHERE state IN ('running', 'breached') AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                        ORDER BY due_at, id LIMIT ?
                        """), arguments: [now, now, limit]
            ).map(Decode.timer)
            for timer in timers {
                try db.cachedExecute(
                    sql: "UPDATE sla_timers SET lease_owner = ?, lease_until = ? WHERE id = ?",
                    arguments: [owner, leaseUntil.storeMillis, timer.id])
            }
            return timers
        }
    }

    package func alertsPendingDelivery(at date: Date, limit: Int) async throws(StoreError) -> [AlertRecord] {
        precondition(limit > 0, "limit must be positive")
        return try await read("reading pending alerts") { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Columns.alert) FROM alerts
                        WHERE delivered_at IS NULL AND dead_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                        ORDER BY created_at, seq LIMIT ?
                        """), arguments: [date.storeMillis, limit]
            ).map(Decode.alert)
        }
    }

    package func activity(in period: ReportPeriod) async throws(StoreError) -> ActivityBatch {
        try await read("reading activity in a period") { db in try BatchReader(db: db, scope: .period(period)).read() }
    }

    package func cohort(createdIn period: ReportPeriod) async throws(StoreError) -> ActivityBatch {
        try await read("reading a lead cohort") { db in try BatchReader(db: db, scope: .cohort(period)).read() }
    }

    package func counts() async throws(StoreError) -> StoreCounts {
        try await read("counting rows") { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            var counts = StoreCounts()
            counts.leads = try count("leads")
            counts.events = try count("engagement_events")
            counts.scores = try count("scores")
            counts.decisions = try count("qualification_decisions")
            counts.assignments = try count("assignments")
            counts.reps = try count("reps")
            counts.routerStates = try count("router_states")
            counts.timers = try count("sla_timers")
            counts.contactAttempts = try count("contact_attempts")
            counts.dispositions = try count("dispositions")
            counts.opportunities = try count("opportunities")
            counts.outcomes = try count("outcomes")
            counts.models = try count("models")
            counts.deployments = try count("model_deployments")
            counts.alerts = try count("alerts")
            return counts
        }
    }
}

/// Reads every table for one lead, one period, or one cohort of leads, in time order.
struct BatchReader {
    enum Scope {
        case lead(String)
        case period(ReportPeriod)
        case cohort(ReportPeriod)
    }

    let db: Database
    let scope: Scope

    func read() throws -> ActivityBatch {
        var batch = ActivityBatch()
        batch.leads = try fetch(Columns.lead, "leads", time: "created_at", leadColumn: "id", order: "created_at, id", Decode.lead)
        batch.events = try fetch(Columns.event, "engagement_events", time: "occurred_at", order: "occurred_at, seq", Decode.event)
        batch.scores = try fetch(Columns.score, "scores", time: "scored_at", order: "scored_at, id", Decode.score)
        batch.decisions = try fetch(Columns.decision, "qualification_decisions", time: "decided_at", order: "decided_at, id", Decode.decision)
        batch.assignments = try fetch(Columns.assignment, "assignments", time: "assigned_at", order: "assigned_at, id", Decode.assignment)
        batch.timers = try fetch(Columns.timer, "sla_timers", time: "started_at", order: "started_at, id", Decode.timer)
        batch.contactAttempts = try fetch(Columns.attempt, "contact_attempts", time: "attempted_at", order: "attempted_at, seq", Decode.attempt)
        batch.dispositions = try fetch(Columns.disposition, "dispositions", time: "decided_at", order: "decided_at, seq", Decode.disposition)
        batch.opportunities = try fetch(Columns.opportunity, "opportunities", time: "opened_at", order: "opened_at, id", Decode.opportunity)
        batch.outcomes = try fetch(Columns.outcome, "outcomes", time: "closed_at", order: "closed_at, seq", Decode.outcome)
        if case .lead = scope {
        } else {
            batch.alerts = try fetch(Columns.alert, "alerts", time: "created_at", order: "created_at, seq", Decode.alert)
        }
        return batch
    }

    private func fetch<T>(
        _ columns: String, _ table: String, time: String, leadColumn: String = "lead_id", order: String,
        _ decode: (Row) throws -> T
    ) throws -> [T] {
        let (predicate, arguments) = filter(time: time, leadColumn: leadColumn)
        return try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM \(table) WHERE \(predicate) ORDER BY \(order)",
            arguments: arguments
        ).map(decode)
    }

    private func filter(time: String, leadColumn: String) -> (String, StatementArguments) {
        switch scope {
        case let .lead(id):
            return ("\(leadColumn) = ?", [id])
        case let .period(period):
            return ("\(time) >= ? AND \(time) < ?", [period.start.storeMillis, period.end.storeMillis])
        case let .cohort(period):
            if leadColumn == "id" {
                return ("created_at >= ? AND created_at < ?", [period.start.storeMillis, period.end.storeMillis])
            }
            return (
                "\(leadColumn) IN (SELECT id FROM leads WHERE created_at >= ? AND created_at < ?)",
                [period.start.storeMillis, period.end.storeMillis]
            )
        }
    }
}
