import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func storeInteraction(_ record: InteractionRecord, hits: [TrackerHitRecord]) async throws(StoreError) -> WriteOutcome {
        let record = try record.validated()
        return try await write("storing an interaction of lead '\(record.leadID)'") { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM leads WHERE id = ?)", arguments: [record.leadID]) == true else {
                throw StoreError.unknownLead(leadID: record.leadID, referencedBy: "interaction", field: "lead_id")
            }
            try db.execute(
                sql: """
                    INSERT INTO interactions (lead_id, kind, occurred_at, recorded_at, source, subject, content_sha256, content)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lead_id, content_sha256) DO NOTHING
                    """,
                arguments: [
                    record.leadID, record.kind, record.occurredAt?.storeMillis, record.recordedAt.storeMillis, record.source, record.subject,
                    record.contentSHA256, record.content.text,
                ])
            guard db.changesCount == 1 else { return WriteOutcome.alreadyStored }
            let id = db.lastInsertedRowID
            for hit in hits {
                try db.execute(
                    sql: """
                        INSERT INTO interaction_tracker_hits (interaction_id, lead_id, tracker, category, phrase, quote, speaker, start_ms, line)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [id, record.leadID, hit.tracker, hit.category, hit.phrase, hit.quote, hit.speaker, hit.startMilliseconds, hit.line])
            }
            return WriteOutcome.stored(rowID: id)
        }
    }

    package func interactions(leadID: String) async throws(StoreError) -> [InteractionRecord] {
        try await read("reading the interactions of lead '\(leadID)'") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, lead_id, kind, occurred_at, recorded_at, source, subject, content_sha256, content FROM interactions
                    WHERE lead_id = ? ORDER BY occurred_at IS NULL, occurred_at, id
                    """, arguments: [leadID]
            ).map { row in
                InteractionRecord(
                    rowID: row["id"], leadID: row["lead_id"], kind: row["kind"], occurredAt: Decode.optionalDate(row, "occurred_at"),
                    recordedAt: Decode.date(row, "recorded_at"), source: row["source"], subject: row["subject"], contentSHA256: row["content_sha256"],
                    content: Decode.json(row, "content"))
            }
        }
    }

    package func trackerHits(leadID: String) async throws(StoreError) -> [TrackerHitRecord] {
        try await read("reading the tracker hits of lead '\(leadID)'") { db in
            try Row.fetchAll(db, sql: "\(Self.hitColumns) WHERE lead_id = ? ORDER BY interaction_id, line, id", arguments: [leadID]).map(Self.hit)
        }
    }

    package func trackerHits(leadsCreatedIn period: ReportPeriod) async throws(StoreError) -> [TrackerHitRecord] {
        try await read("reading tracker hits") { db in
            try Row.fetchAll(
                db,
                sql: """
                    \(Self.hitColumns) WHERE lead_id IN (SELECT id FROM leads WHERE created_at >= ? AND created_at < ?)
                    ORDER BY lead_id, interaction_id, line, id
                    """, arguments: [period.start.storeMillis, period.end.storeMillis]
            ).map(Self.hit)
        }
    }

    package func leadsWithInteractions(createdIn period: ReportPeriod) async throws(StoreError) -> [String] {
        try await read("reading the leads with interactions") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT lead_id FROM interactions
                    WHERE lead_id IN (SELECT id FROM leads WHERE created_at >= ? AND created_at < ?) ORDER BY lead_id
                    """, arguments: [period.start.storeMillis, period.end.storeMillis])
        }
    }

    package func leadIDs(email address: String) async throws(StoreError) -> [String] {
        let wanted = address.trimmingCharacters(in: .whitespaces).lowercased()
        return try await read("finding leads by e-mail address") { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM leads WHERE lower(trim(json_extract(fields, '$.email'))) = ? ORDER BY id", arguments: [wanted])
        }
    }

    private static let hitColumns =
        "SELECT interaction_id, lead_id, tracker, category, phrase, quote, speaker, start_ms, line FROM interaction_tracker_hits"

    private static func hit(_ row: Row) -> TrackerHitRecord {
        TrackerHitRecord(
            interactionID: row["interaction_id"], leadID: row["lead_id"], tracker: row["tracker"], category: row["category"], phrase: row["phrase"],
            quote: row["quote"], speaker: row["speaker"], startMilliseconds: row["start_ms"], line: row["line"])
    }
}
