import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func storeInteraction(_ record: InteractionRecord, hits: [TrackerHitRecord]) async throws(StoreError) -> WriteOutcome {
        let record = try record.validated()
        return try await transaction("storing an interaction of lead '\(record.leadID)'") { sql in
            guard try await sql.exists("SELECT 1 FROM leads WHERE id = $1", [.text(record.leadID)]) else {
                throw StoreError.unknownLead(leadID: record.leadID, referencedBy: "interaction", field: "lead_id")
            }
            // Two instances storing the same content at once: the UNIQUE constraint lets one insert,
            // the other waits for its commit and inserts nothing.
            guard
                let inserted = try await sql.row(
                    """
                    INSERT INTO interactions (lead_id, kind, occurred_at, recorded_at, source, subject, content_sha256, content)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json) ON CONFLICT (lead_id, content_sha256) DO NOTHING RETURNING id
                    """,
                    [
                        .text(record.leadID), .text(record.kind), .date(record.occurredAt), .date(record.recordedAt), .text(record.source),
                        .text(record.subject), .text(record.contentSHA256), .text(record.content.text),
                    ])
            else { return WriteOutcome.alreadyStored }
            let id = try inserted.int64("id")
            for hit in hits {
                try await sql.execute(
                    """
                    INSERT INTO interaction_tracker_hits (interaction_id, lead_id, tracker, category, phrase, quote, speaker, start_ms, line)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """,
                    [
                        .int(id), .text(record.leadID), .text(hit.tracker), .text(hit.category), .text(hit.phrase), .text(hit.quote),
                        .text(hit.speaker),
                        .int(hit.startMilliseconds.map(Int64.init)), .int(hit.line),
                    ])
            }
            return WriteOutcome.stored(rowID: id)
        }
    }

    package func interactions(leadID: String) async throws(StoreError) -> [InteractionRecord] {
        try await read("reading the interactions of lead '\(leadID)'") { sql in
            try await sql.rows(
                """
                SELECT id, lead_id, kind, occurred_at, recorded_at, source, subject, content_sha256, content::text AS content FROM interactions
                WHERE lead_id = $1 ORDER BY occurred_at IS NULL, occurred_at, id
                """, [.text(leadID)]
            ).map { r in
                InteractionRecord(
                    rowID: try r.int64("id"), leadID: try r.text("lead_id"), kind: try r.text("kind"), occurredAt: try r.optionalDate("occurred_at"),
                    recordedAt: try r.date("recorded_at"), source: try r.text("source"), subject: try r.optionalText("subject"),
                    contentSHA256: try r.text("content_sha256"), content: JSONText(trusted: try r.text("content")))
            }
        }
    }

    package func trackerHits(leadID: String) async throws(StoreError) -> [TrackerHitRecord] {
        try await read("reading the tracker hits of lead '\(leadID)'") { sql in
            try await sql.rows("\(Self.hitColumns) WHERE lead_id = $1 ORDER BY interaction_id, line, id", [.text(leadID)]).map(Self.hit)
        }
    }

    package func trackerHits(leadsCreatedIn period: ReportPeriod) async throws(StoreError) -> [TrackerHitRecord] {
        try await read("reading tracker hits") { sql in
            try await sql.rows(
                """
                \(Self.hitColumns) WHERE lead_id IN (SELECT id FROM leads WHERE created_at >= $1 AND created_at < $2)
                ORDER BY lead_id, interaction_id, line, id
                """, [.date(period.start), .date(period.end)]
            ).map(Self.hit)
        }
    }

    package func leadsWithInteractions(createdIn period: ReportPeriod) async throws(StoreError) -> [String] {
        try await read("reading the leads with interactions") { sql in
            try await sql.rows(
                """
                SELECT DISTINCT lead_id FROM interactions
                WHERE lead_id IN (SELECT id FROM leads WHERE created_at >= $1 AND created_at < $2) ORDER BY lead_id
                """, [.date(period.start), .date(period.end)]
            ).map { try $0.text("lead_id") }
        }
    }

    package func leadIDs(email address: String) async throws(StoreError) -> [String] {
        let wanted = address.trimmingCharacters(in: .whitespaces).lowercased()
        return try await read("finding leads by e-mail address") { sql in
            try await sql.rows("SELECT id FROM leads WHERE lower(btrim(fields->>'email')) = $1 ORDER BY id", [.text(wanted)]).map {
                try $0.text("id")
            }
        }
    }

    private static let hitColumns =
        "SELECT interaction_id, lead_id, tracker, category, phrase, quote, speaker, start_ms, line FROM interaction_tracker_hits"

    private static func hit(_ r: Cells) throws -> TrackerHitRecord {
        TrackerHitRecord(
            interactionID: try r.int64("interaction_id"), leadID: try r.text("lead_id"), tracker: try r.text("tracker"),
            category: try r.text("category"), phrase: try r.text("phrase"), quote: try r.text("quote"), speaker: try r.optionalText("speaker"),
            startMilliseconds: try r.optionalInt64("start_ms").map { Int($0) }, line: try r.int("line"))
    }
}
