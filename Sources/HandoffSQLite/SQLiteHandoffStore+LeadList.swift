import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    /// ``HandoffStore/leadList(_:)``: the page's ids in one query (filters in SQL, bound
    /// arguments only), then each lead's rows by its indexes.
    package func leadList(_ query: LeadListQuery) async throws(StoreError) -> LeadListPage {
        try await read("listing leads") { db in
            var inner: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let after = query.after {
                inner.append("(l.created_at > ? OR (l.created_at = ? AND l.id > ?))")
                arguments += [after.createdAt.storeMillis, after.createdAt.storeMillis, after.leadID]
            }
            if let owner = query.owner {
                inner.append("(a.rep_id = ? OR a.queue = ?)")
                arguments += [owner, owner]
            }
            var outer: [String] = []
            if let stage = query.stage {
                outer.append("stage = ?")
                arguments.append(stage.rawValue)
            }
            if let since = query.since {
                outer.append("last_activity >= ?")
                arguments.append(since.storeMillis)
            }
            arguments.append(query.limit + 1)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, created_at, last_activity FROM (
                        SELECT l.id, l.created_at,
                            (SELECT d.stage FROM qualification_decisions d WHERE d.lead_id = l.id ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS stage,
                            MAX(l.updated_at,
                                COALESCE((SELECT MAX(e.received_at) FROM engagement_events e WHERE e.lead_id = l.id), 0),
                                COALESCE((SELECT MAX(t.updated_at) FROM sla_timers t WHERE t.lead_id = l.id), 0),
                                COALESCE((SELECT MAX(COALESCE(h.unassigned_at, h.assigned_at)) FROM assignments h WHERE h.lead_id = l.id), 0)
                            ) AS last_activity
                        FROM leads l LEFT JOIN assignments a ON a.lead_id = l.id AND a.unassigned_at IS NULL
                        \(inner.isEmpty ? "" : "WHERE " + inner.joined(separator: " AND "))
                    ) listed
                    \(outer.isEmpty ? "" : "WHERE " + outer.joined(separator: " AND "))
                    ORDER BY created_at, id LIMIT ?
                    """, arguments: StatementArguments(arguments))
            var entries: [LeadListEntry] = []
            for row in rows.prefix(query.limit) {
                let id: String = row["id"]
                let lead: StatementArguments = [id]
                guard let record = try Row.fetchOne(db, sql: "SELECT \(Columns.lead) FROM leads WHERE id = ?", arguments: lead).map(Decode.lead)
                else { continue }
                let score = try Row.fetchOne(
                    db, sql: "SELECT \(Columns.score) FROM scores WHERE lead_id = ? ORDER BY scored_at DESC, id DESC LIMIT 1", arguments: lead
                ).map(Decode.score)
                let decision = try Row.fetchOne(
                    db,
                    sql: "SELECT \(Columns.decision) FROM qualification_decisions WHERE lead_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1",
                    arguments: lead
                ).map(Decode.decision)
                let assignment = try Row.fetchOne(
                    db, sql: "SELECT \(Columns.assignment) FROM assignments WHERE lead_id = ? AND unassigned_at IS NULL", arguments: lead
                ).map(Decode.assignment)
                let millis: Int64 = row["last_activity"]
                entries.append(
                    LeadListEntry(
                        lead: record, latestScore: score, latestDecision: decision, openAssignment: assignment,
                        lastActivityAt: Date(storeMillis: millis)))
            }
            let next = rows.count > query.limit ? entries.last.map { LeadListCursor(createdAt: $0.lead.createdAt, leadID: $0.lead.id) } : nil
            return LeadListPage(entries: entries, next: next)
        }
    }
}
