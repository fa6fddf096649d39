import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func leadMerges(involving leadID: String, includeEnded: Bool) async throws(StoreError) -> [LeadMergeRecord] {
        try await read("reading the merges of lead '\(leadID)'") { db in try Self.leadMerges(db, involving: leadID, includeEnded: includeEnded) }
    }

    static func leadMerges(_ db: Database, involving leadID: String, includeEnded: Bool) throws -> [LeadMergeRecord] {
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT merged_id, survivor_id, rule, evidence, event_id, field_changes, merged_at, ended_at, end_event_id
                    FROM lead_merges WHERE (merged_id = ? OR survivor_id = ?) AND (? OR ended_at IS NULL)
                    ORDER BY merged_at, merged_id
                    """), arguments: [leadID, leadID, includeEnded])
        return try rows.map { row throws in
            LeadMergeRecord(
                mergedID: row["merged_id"], survivorID: row["survivor_id"], rule: try Decode.enumValue(row, "rule", table: "lead_merges"),
                evidence: row["evidence"], eventID: row["event_id"],
                fieldChanges: try Decode.json(row, "field_changes").decode([LeadMergeRecord.FieldChange].self),
                mergedAt: Decode.date(row, "merged_at"), endedAt: Decode.optionalDate(row, "ended_at"), endEventID: row["end_event_id"])
        }
    }

    package func leadIDs(emailKey: String) async throws(StoreError) -> [String] {
        try await read("reading the leads of an e-mail key") { db in
            try String.fetchAll(
                try db.cachedStatement(
                    sql: """
                        SELECT k.lead_id FROM lead_email_keys k JOIN leads l ON l.id = k.lead_id
                        WHERE k.email_key = ? AND NOT EXISTS (SELECT 1 FROM lead_merges m WHERE m.merged_id = k.lead_id AND m.ended_at IS NULL)
                        ORDER BY l.created_at, l.id
                        """), arguments: [emailKey])
        }
    }
}
