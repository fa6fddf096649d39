import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    /// ``HandoffStore/outbox(_:)``, as the SQLite store answers it.
    package func outbox(_ query: OutboxQuery) async throws(StoreError) -> OutboxPage {
        try await read("listing the outbox") { sql in
            var conditions = ["seq > $1"]
            if let state = query.state { conditions.append(state.sqlCondition) }
            let rows = try await sql.rows(
                "SELECT seq, \(PGColumns.alert) FROM alerts WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT $2",
                [.int(query.afterSequence ?? 0), .int(query.limit + 1)])
            var entries: [OutboxEntry] = []
            for row in rows.prefix(query.limit) { entries.append(OutboxEntry(sequence: try row.int64("seq"), alert: try PGDecode.alert(row))) }
            return OutboxPage(entries: entries, next: rows.count > query.limit ? entries.last?.sequence : nil)
        }
    }

    package func outboxEntry(id: String) async throws(StoreError) -> OutboxEntry? {
        try await read("reading an outbox row") { sql in
            guard let row = try await sql.row("SELECT seq, \(PGColumns.alert) FROM alerts WHERE alert_id = $1", [.text(id)]) else { return nil }
            return OutboxEntry(sequence: try row.int64("seq"), alert: try PGDecode.alert(row))
        }
    }

    package func outboxSummary() async throws(StoreError) -> [OutboxTargetSummary] {
        try await read("summing the outbox") { sql in
            var summaries: [OutboxTargetSummary] = []
            for row in try await sql.rows(OutboxTargetSummary.sql, []) {
                summaries.append(
                    OutboxTargetSummary(
                        kind: try row.text("kind"), target: try row.text("target"), undelivered: try row.int("undelivered"),
                        failing: try row.int("failing"), dead: try row.int("dead"), oldestUndeliveredAt: try row.optionalDate("oldest_undelivered"),
                        lastDeliveredAt: try row.optionalDate("last_delivered")))
            }
            return summaries
        }
    }
}
