import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    /// ``HandoffStore/leadList(_:)``, as the SQLite store answers it: the page's ids in one
    /// query (bound parameters only), then each lead's rows by its indexes, in one snapshot.
    package func leadList(_ query: LeadListQuery) async throws(StoreError) -> LeadListPage {
        try await snapshot("listing leads") { sql in
            var binds: [Bind] = []
            func next(_ bind: Bind) -> String {
                binds.append(bind)
                return "$\(binds.count)"
            }
            var inner: [String] = []
            if let after = query.after {
                let at = next(.date(after.createdAt))
                inner.append("(l.created_at > \(at) OR (l.created_at = \(at) AND l.id > \(next(.text(after.leadID)))))")
            }
            if let owner = query.owner {
                let p = next(.text(owner))
                inner.append("(a.rep_id = \(p) OR a.queue = \(p))")
            }
            var outer: [String] = []
            if let stage = query.stage { outer.append("stage = \(next(.text(stage.rawValue)))") }
            if let since = query.since { outer.append("last_activity >= \(next(.date(since)))") }
            let limit = next(.int(query.limit + 1))
            let rows = try await sql.rows(
                """
                SELECT id, created_at, last_activity FROM (
                    SELECT l.id, l.created_at,
                        (SELECT d.stage FROM qualification_decisions d WHERE d.lead_id = l.id ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS stage,
                        GREATEST(l.updated_at,
                            COALESCE((SELECT MAX(e.received_at) FROM engagement_events e WHERE e.lead_id = l.id), 0),
                            COALESCE((SELECT MAX(t.updated_at) FROM sla_timers t WHERE t.lead_id = l.id), 0),
                            COALESCE((SELECT MAX(COALESCE(h.unassigned_at, h.assigned_at)) FROM assignments h WHERE h.lead_id = l.id), 0)
                        ) AS last_activity
                    FROM leads l LEFT JOIN assignments a ON a.lead_id = l.id AND a.unassigned_at IS NULL
                    \(inner.isEmpty ? "" : "WHERE " + inner.joined(separator: " AND "))
                ) listed
                \(outer.isEmpty ? "" : "WHERE " + outer.joined(separator: " AND "))
                ORDER BY created_at, id LIMIT \(limit)
                """, binds)
            var entries: [LeadListEntry] = []
            for row in rows.prefix(query.limit) {
                let lead: [Bind] = [.text(try row.text("id"))]
                guard let record = try await sql.row("SELECT \(PGColumns.lead) FROM leads WHERE id = $1", lead).map(PGDecode.lead) else { continue }
                let score = try await sql.row(
                    "SELECT \(PGColumns.score) FROM scores WHERE lead_id = $1 ORDER BY scored_at DESC, id DESC LIMIT 1", lead
                ).map(PGDecode.score)
                let decision = try await sql.row(
                    "SELECT \(PGColumns.decision) FROM qualification_decisions WHERE lead_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1", lead
                ).map(PGDecode.decision)
                let assignment = try await sql.row(
                    "SELECT \(PGColumns.assignment) FROM assignments WHERE lead_id = $1 AND unassigned_at IS NULL", lead
                ).map(PGDecode.assignment)
                entries.append(
                    LeadListEntry(
                        lead: record, latestScore: score, latestDecision: decision, openAssignment: assignment,
                        lastActivityAt: try row.date("last_activity")))
            }
            let more = rows.count > query.limit
            return LeadListPage(
                entries: entries, next: more ? entries.last.map { LeadListCursor(createdAt: $0.lead.createdAt, leadID: $0.lead.id) } : nil)
        }
    }
}
