import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func lead(id: String) async throws(StoreError) -> LeadRecord? {
        try await read("reading lead '\(id)'") { sql in
            try await sql.row("SELECT \(PGColumns.lead) FROM leads WHERE id = $1", [.text(id)]).map(PGDecode.lead)
        }
    }

    package func event(id: String) async throws(StoreError) -> EngagementEventRecord? {
        try await read("reading event '\(id)'") { sql in try await Self.event(sql, id: id) }
    }

    static func event(_ sql: SQL, id: String) async throws -> EngagementEventRecord? {
        try await sql.row("SELECT \(PGColumns.event) FROM engagement_events WHERE event_id = $1", [.text(id)]).map(PGDecode.event)
    }

    /// The journal's columns for the flow: payloads only where the flow reads them back.
    static let flowEventColumns =
        "event_id, lead_id, type, occurred_at, received_at, CASE WHEN type IN (\(EngagementEventRecord.flowPayloadTypesSQL)) THEN payload::text ELSE '{}' END AS payload"

    /// The lead's rows without scores, decisions or event payloads (as SQLite's): the default
    /// read the whole timeline and threw those away, so a lead's n-th event read n scores and
    /// decisions it never used.
    package func flowTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? {
        try await snapshot("reading the flow state of lead '\(leadID)'") { sql in try await Self.flowTimeline(sql, leadID: leadID) }
    }

    /// Every event's first reads in one snapshot (``HandoffStore/eventArrival(eventID:leadID:)``).
    package func eventArrival(eventID: String, leadID: String) async throws(StoreError) -> EventArrival {
        try await snapshot("reading event '\(eventID)' and the flow state of lead '\(leadID)'") { sql in
            if let stored = try await Self.event(sql, id: eventID) { return EventArrival(stored: stored, merges: [], timeline: nil) }
            return EventArrival(
                stored: nil, merges: try await Self.leadMerges(sql, involving: leadID, includeEnded: false),
                timeline: try await Self.flowTimeline(sql, leadID: leadID))
        }
    }

    static func flowTimeline(_ sql: SQL, leadID: String) async throws -> LeadTimeline? {
        guard let lead = try await sql.row("SELECT \(PGColumns.lead) FROM leads WHERE id = $1", [.text(leadID)]).map(PGDecode.lead) else {
            return nil
        }
        func all<T>(_ columns: String, _ table: String, _ order: String, _ decode: (Cells) throws -> T) async throws -> [T] {
            try await sql.rows("SELECT \(columns) FROM \(table) WHERE lead_id = $1 ORDER BY \(order)", [.text(leadID)]).map(decode)
        }
        return LeadTimeline(
            lead: lead, events: try await all(flowEventColumns, "engagement_events", "occurred_at, seq", PGDecode.event),
            assignments: try await all(PGColumns.assignment, "assignments", "assigned_at, id", PGDecode.assignment),
            timers: try await all(PGColumns.timer, "sla_timers", "started_at, id", PGDecode.timer),
            contactAttempts: try await all(PGColumns.attempt, "contact_attempts", "attempted_at, seq", PGDecode.attempt),
            dispositions: try await all(PGColumns.disposition, "dispositions", "decided_at, seq", PGDecode.disposition),
            opportunities: try await all(PGColumns.opportunity, "opportunities", "opened_at, id", PGDecode.opportunity),
            outcomes: try await all(PGColumns.outcome, "outcomes", "closed_at, seq", PGDecode.outcome))
    }

    package func leadTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? {
        try await snapshot("reading the timeline of lead '\(leadID)'") { sql in
            let batch = try await PGBatchReader(sql: sql, scope: .lead(leadID)).read()
            guard let lead = batch.leads.first else { return nil }
            return LeadTimeline(
                lead: lead, events: batch.events, scores: batch.scores, decisions: batch.decisions,
                assignments: batch.assignments, timers: batch.timers, contactAttempts: batch.contactAttempts,
                dispositions: batch.dispositions, opportunities: batch.opportunities, outcomes: batch.outcomes)
        }
    }

    package func reps() async throws(StoreError) -> [RepRecord] {
        try await read("reading the roster") { sql in
            try await sql.rows("SELECT \(PGColumns.rep) FROM reps ORDER BY id").map(PGDecode.rep)
        }
    }

    package func routerState(name: String) async throws(StoreError) -> RouterStateRecord? {
        try await read("reading router state '\(name)'") { sql in
            try await sql.row("SELECT name, state::text AS state, revision, updated_at FROM router_states WHERE name = $1", [.text(name)])
                .map {
                    RouterStateRecord(
                        name: try $0.text("name"), state: try $0.json("state"), revision: try $0.int64("revision"),
                        updatedAt: try $0.date("updated_at"))
                }
        }
    }

    package func openHandoffs(repID: String?) async throws(StoreError) -> [OpenHandoff] {
        try await snapshot("reading open hand-offs") { sql in
            let filter = repID == nil ? "" : "AND rep_id = $1"
            let assignments = try await sql.rows(
                """
                SELECT \(PGColumns.assignment) FROM assignments WHERE unassigned_at IS NULL \(filter) ORDER BY assigned_at, id
                """, repID.map { [.text($0)] } ?? []
            ).map(PGDecode.assignment)
            var handoffs: [OpenHandoff] = []
            for assignment in assignments {
                let lead: [Bind] = [.text(assignment.leadID)]
                guard let record = try await sql.row("SELECT \(PGColumns.lead) FROM leads WHERE id = $1", lead).map(PGDecode.lead) else { continue }
                let score = try await sql.row(
                    """
                    SELECT \(PGColumns.score) FROM scores WHERE lead_id = $1 ORDER BY scored_at DESC, id DESC LIMIT 1
                    """, lead
                ).map(PGDecode.score)
                let decision = try await sql.row(
                    """
                    SELECT \(PGColumns.decision) FROM qualification_decisions WHERE lead_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1
                    """, lead
                ).map(PGDecode.decision)
                let timers = try await sql.rows(
                    """
                    SELECT \(PGColumns.timer) FROM sla_timers WHERE lead_id = $1 AND state IN ('running', 'breached') ORDER BY due_at, id
                    """, lead
                ).map(PGDecode.timer)
                let attempts =
                    try await sql.row(
                        """
                        SELECT COUNT(*) AS n FROM contact_attempts WHERE lead_id = $1 AND attempted_at >= $2
                        """, [.text(assignment.leadID), .date(assignment.assignedAt)])?.int("n") ?? 0
                handoffs.append(
                    OpenHandoff(
                        assignment: assignment, lead: record, latestScore: score, latestDecision: decision,
                        openTimers: timers, attemptsSinceAssigned: attempts))
            }
            return handoffs
        }
    }

    package func openAssignmentCounts() async throws(StoreError) -> [String: Int] {
        try await read("counting open assignments") { sql in
            let rows = try await sql.rows(
                """
                SELECT rep_id, COUNT(*) AS n FROM assignments WHERE unassigned_at IS NULL AND rep_id IS NOT NULL GROUP BY rep_id
                """)
            return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.text("rep_id"), try $0.int("n")) })
        }
    }

    package func timersDue(before date: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord] {
        precondition(limit > 0, "limit must be positive")
        return try await read("reading due SLA timers") { sql in
            try await sql.rows(
                """
                SELECT \(PGColumns.timer) FROM sla_timers
                WHERE state IN ('running', 'breached') AND due_at <= $1 ORDER BY due_at, id LIMIT $2
                """, [.date(date), .int(limit)]
            ).map(PGDecode.timer)
        }
    }

    /// Locks the due, unleased timers it picks (`FOR UPDATE SKIP LOCKED`: a row another
    /// scheduler is claiming right now is skipped, not waited for), leases them, and commits.
    /// A row leased meanwhile by a committed claim fails the re-checked WHERE and is not taken.
    package func claimDueTimers(before date: Date, owner: String, leaseUntil: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord] {
        precondition(limit > 0, "limit must be positive")
        precondition(leaseUntil > date, "a lease must end after the time it is taken")
        let claimed = try await transaction("claiming due SLA timers") { sql in
            try await sql.rows(
                """
                WITH due AS (
                    SELECT id FROM sla_timers
                    WHERE state IN ('running', 'breached') AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                    ORDER BY due_at, id LIMIT $2
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE sla_timers AS t SET lease_owner = $3, lease_until = $4 FROM due WHERE t.id = due.id
                RETURNING t.id, t.lead_id, t.policy, t.due_at, t.state, t.escalation_step,
                          t.fired_steps::text AS fired_steps, t.started_at, t.updated_at
                """, [.date(date), .int(limit), .text(owner), .date(leaseUntil)]
            ).map(PGDecode.timer)
        }
        // RETURNING has no order; the protocol promises earliest due first.
        return claimed.sorted { $0.dueAt != $1.dueAt ? $0.dueAt < $1.dueAt : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    package func alertsPendingDelivery(at date: Date, limit: Int) async throws(StoreError) -> [AlertRecord] {
        precondition(limit > 0, "limit must be positive")
        return try await read("reading pending alerts") { sql in
            try await sql.rows(
                """
                SELECT \(PGColumns.alert) FROM alerts
                WHERE delivered_at IS NULL AND dead_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
                ORDER BY created_at, seq LIMIT $2
                """, [.date(date), .int(limit)]
            ).map(PGDecode.alert)
        }
    }

    package func activity(in period: ReportPeriod) async throws(StoreError) -> ActivityBatch {
        try await snapshot("reading activity in a period") { sql in try await PGBatchReader(sql: sql, scope: .period(period)).read() }
    }

    package func cohort(createdIn period: ReportPeriod) async throws(StoreError) -> ActivityBatch {
        try await snapshot("reading a lead cohort") { sql in try await PGBatchReader(sql: sql, scope: .cohort(period)).read() }
    }

    package func counts() async throws(StoreError) -> StoreCounts {
        try await snapshot("counting rows") { sql in
            func count(_ table: String) async throws -> Int {
                try await sql.row("SELECT COUNT(*) AS n FROM \(table)")?.int("n") ?? 0
            }
            var counts = StoreCounts()
            counts.leads = try await count("leads")
            counts.events = try await count("engagement_events")
            counts.scores = try await count("scores")
            counts.decisions = try await count("qualification_decisions")
            counts.assignments = try await count("assignments")
            counts.reps = try await count("reps")
            counts.routerStates = try await count("router_states")
            counts.timers = try await count("sla_timers")
            counts.contactAttempts = try await count("contact_attempts")
            counts.dispositions = try await count("dispositions")
            counts.opportunities = try await count("opportunities")
            counts.outcomes = try await count("outcomes")
            counts.models = try await count("models")
            counts.deployments = try await count("model_deployments")
            counts.alerts = try await count("alerts")
            return counts
        }
    }

    /// A read of several statements that must see one moment (a REPEATABLE READ, read-only
    /// transaction, as SQLite's WAL reader sees one snapshot); retried like any read.
    func snapshot<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (SQL) async throws -> T) async throws(StoreError) -> T {
        try await read(operation) { sql in
            try await sql.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try await body(sql)
                try await sql.execute("COMMIT")
                return value
            } catch {
                try? await sql.execute("ROLLBACK")
                throw error
            }
        }
    }
}

/// Reads every table for one lead, one period, or one cohort of leads, in time order.
struct PGBatchReader {
    enum Scope {
        case lead(String)
        case period(ReportPeriod)
        case cohort(ReportPeriod)
    }

    let sql: SQL
    let scope: Scope

    func read() async throws -> ActivityBatch {
        var batch = ActivityBatch()
        batch.leads = try await fetch(PGColumns.lead, "leads", time: "created_at", leadColumn: "id", order: "created_at, id", PGDecode.lead)
        batch.events = try await fetch(PGColumns.event, "engagement_events", time: "occurred_at", order: "occurred_at, seq", PGDecode.event)
        batch.scores = try await fetch(PGColumns.score, "scores", time: "scored_at", order: "scored_at, id", PGDecode.score)
        batch.decisions = try await fetch(
            PGColumns.decision, "qualification_decisions", time: "decided_at", order: "decided_at, id", PGDecode.decision)
        batch.assignments = try await fetch(PGColumns.assignment, "assignments", time: "assigned_at", order: "assigned_at, id", PGDecode.assignment)
        batch.timers = try await fetch(PGColumns.timer, "sla_timers", time: "started_at", order: "started_at, id", PGDecode.timer)
        batch.contactAttempts = try await fetch(
            PGColumns.attempt, "contact_attempts", time: "attempted_at", order: "attempted_at, seq", PGDecode.attempt)
        batch.dispositions = try await fetch(
            PGColumns.disposition, "dispositions", time: "decided_at", order: "decided_at, seq", PGDecode.disposition)
        batch.opportunities = try await fetch(PGColumns.opportunity, "opportunities", time: "opened_at", order: "opened_at, id", PGDecode.opportunity)
        batch.outcomes = try await fetch(PGColumns.outcome, "outcomes", time: "closed_at", order: "closed_at, seq", PGDecode.outcome)
        if case .lead = scope {
        } else {
            batch.alerts = try await fetch(PGColumns.alert, "alerts", time: "created_at", order: "created_at, seq", PGDecode.alert)
        }
        return batch
    }

    private func fetch<T>(
        _ columns: String, _ table: String, time: String, leadColumn: String = "lead_id", order: String,
        _ decode: (Cells) throws -> T
    ) async throws -> [T] {
        let (predicate, binds) = filter(time: time, leadColumn: leadColumn)
        return try await sql.rows("SELECT \(columns) FROM \(table) WHERE \(predicate) ORDER BY \(order)", binds).map(decode)
    }

    private func filter(time: String, leadColumn: String) -> (String, [Bind]) {
        switch scope {
        case let .lead(id):
            return ("\(leadColumn) = $1", [.text(id)])
        case let .period(period):
            return ("\(time) >= $1 AND \(time) < $2", [.date(period.start), .date(period.end)])
        case let .cohort(period):
            if leadColumn == "id" {
                return ("created_at >= $1 AND created_at < $2", [.date(period.start), .date(period.end)])
            }
            return (
                "\(leadColumn) IN (SELECT id FROM leads WHERE created_at >= $1 AND created_at < $2)",
                [.date(period.start), .date(period.end)]
            )
        }
    }
}
