/// The SELECTs of ``HandoffStore/leadHistories(createdBefore:)`` that both SQL stores run, so
/// the two backends read the same rows in the same order. Each takes the cut-off (milliseconds
/// UTC) as its only parameter (`?` in SQLite, `$1` in PostgreSQL); the journal's query also
/// binds the two event types whose payload it keeps.
package enum LeadHistoryQuery {
    /// Journal types whose payload carries lead fields.
    package static let fieldTypes = ["lead_created", "lead_updated"]

    /// `SELECT` text with `param(n)` standing for the n-th bound parameter (1-based) and
    /// `json(x)` for a JSON column or literal read as text.
    package static func statements(
        param: (Int) -> String, json: (String) -> String, columns: Columns
    ) -> Statements {
        let cut = "l.created_at < \(param(1))"
        func scoped(_ table: String, _ alias: String, _ columns: String, order: String) -> String {
            "SELECT \(columns) FROM \(table) \(alias) JOIN leads l ON l.id = \(alias).lead_id WHERE \(cut) ORDER BY \(order)"
        }
        return Statements(
            leads: "SELECT \(columns.lead) FROM leads l WHERE \(cut) ORDER BY l.created_at, l.id",
            events: scoped(
                "engagement_events", "e",
                "e.event_id, e.lead_id, e.type, e.occurred_at, e.received_at, CASE WHEN e.type IN (\(param(2)), \(param(3))) THEN \(json("e.payload")) ELSE \(json("'{}'")) END AS payload",
                order: "e.seq"),
            scores: scoped(
                "scores", "s",
                "s.id, s.lead_id, s.model_sha256, s.model_format, s.probability, s.points, s.fit_points, s.engagement_points, \(json("'[]'")) AS reasons, s.scored_at, s.trigger_event_id",
                order: "s.id"),
            decisions: scoped(
                "qualification_decisions", "d",
                "d.id, d.lead_id, d.stage, d.priority, d.rule, \(json("'{}'")) AS evidence, d.decided_at, d.score_id", order: "d.id"),
            assignments: scoped(
                "assignments", "a", "a.id, a.lead_id, a.rep_id, a.queue, a.rule, a.assigned_at, a.unassigned_at, a.unassign_reason",
                order: "a.id"),
            dispositions: scoped(
                "dispositions", "p", "p.disposition_id, p.lead_id, p.rep_id, p.code, p.note, p.reengage_at, p.decided_at",
                order: "p.seq"),
            opportunities: scoped(
                "opportunities", "o", "o.id, o.lead_id, o.amount_minor, o.currency, o.stage, o.opened_at, o.updated_at",
                order: "o.opened_at, o.id"),
            outcomes: scoped(
                "outcomes", "r",
                "r.outcome_id, r.opportunity_id, r.lead_id, r.result, r.amount_minor, r.currency, r.closed_at, r.reason",
                order: "r.seq"))
    }

    /// The lead columns of each backend (PostgreSQL casts json to text).
    package struct Columns: Sendable {
        package var lead: String
        package init(lead: String) { self.lead = lead }
    }

    package struct Statements: Sendable {
        package let leads, events, scores, decisions, assignments, dispositions, opportunities, outcomes: String
    }

    /// Groups the rows read by lead, keeping each list's order; rows of leads not in `leads` are dropped.
    package static func assemble(
        leads: [LeadRecord], events: [EngagementEventRecord], scores: [ScoreRecord],
        decisions: [QualificationDecisionRecord], assignments: [AssignmentRecord], dispositions: [DispositionRecord],
        opportunities: [OpportunityRecord], outcomes: [OutcomeRecord]
    ) -> [LeadHistory] {
        var histories = leads.map { LeadHistory(lead: $0) }
        var index: [String: Int] = [:]
        for (i, lead) in leads.enumerated() { index[lead.id] = i }
        for e in events { if let i = index[e.leadID] { histories[i].events.append(e) } }
        for s in scores { if let i = index[s.leadID] { histories[i].scores.append(s) } }
        for d in decisions { if let i = index[d.leadID] { histories[i].decisions.append(d) } }
        for a in assignments { if let i = index[a.leadID] { histories[i].assignments.append(a) } }
        for p in dispositions { if let i = index[p.leadID] { histories[i].dispositions.append(p) } }
        for o in opportunities { if let i = index[o.leadID] { histories[i].opportunities.append(o) } }
        for r in outcomes { if let i = index[r.leadID] { histories[i].outcomes.append(r) } }
        return histories
    }
}
