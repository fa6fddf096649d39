import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func leadMerges(involving leadID: String, includeEnded: Bool) async throws(StoreError) -> [LeadMergeRecord] {
        try await read("reading the merges of lead '\(leadID)'") { sql in
            try await Self.leadMerges(sql, involving: leadID, includeEnded: includeEnded)
        }
    }

    static func leadMerges(_ sql: SQL, involving leadID: String, includeEnded: Bool) async throws -> [LeadMergeRecord] {
        let rows = try await sql.rows(
            """
            SELECT merged_id, survivor_id, rule, evidence, event_id, field_changes::text AS field_changes, merged_at, ended_at, end_event_id
            FROM lead_merges WHERE (merged_id = $1 OR survivor_id = $1) AND ($2 OR ended_at IS NULL)
            ORDER BY merged_at, merged_id
            """, [.text(leadID), .bool(includeEnded)])
        return try rows.map { row in
            LeadMergeRecord(
                mergedID: try row.text("merged_id"), survivorID: try row.text("survivor_id"),
                rule: try row.enumValue("rule", table: "lead_merges"),
                evidence: try row.text("evidence"), eventID: try row.text("event_id"),
                fieldChanges: try row.json("field_changes").decode([LeadMergeRecord.FieldChange].self),
                mergedAt: try row.date("merged_at"), endedAt: try row.optionalDate("ended_at"), endEventID: try row.optionalText("end_event_id"))
        }
    }

    package func leadIDs(emailKey: String) async throws(StoreError) -> [String] {
        try await read("reading the leads of an e-mail key") { sql in
            try await sql.rows(
                """
                SELECT k.lead_id FROM lead_email_keys k JOIN leads l ON l.id = k.lead_id
                WHERE k.email_key = $1 AND NOT EXISTS (SELECT 1 FROM lead_merges m WHERE m.merged_id = k.lead_id AND m.ended_at IS NULL)
                ORDER BY l.created_at, l.id
                """, [.text(emailKey)]
            ).map { try $0.text("lead_id") }
        }
    }
}
