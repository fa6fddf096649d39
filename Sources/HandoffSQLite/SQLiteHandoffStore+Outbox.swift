import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    /// ``HandoffStore/outbox(_:)``: one indexed range of `alerts` by sequence number.
    package func outbox(_ query: OutboxQuery) async throws(StoreError) -> OutboxPage {
        try await read("listing the outbox") { db in
            var conditions = ["seq > ?"]
            if let state = query.state { conditions.append(state.sqlCondition) }
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT seq, \(Columns.alert) FROM alerts WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?",
                arguments: [query.afterSequence ?? 0, query.limit + 1])
            let entries = rows.prefix(query.limit).map { OutboxEntry(sequence: $0["seq"], alert: Decode.alert($0)) }
            return OutboxPage(entries: entries, next: rows.count > query.limit ? entries.last?.sequence : nil)
        }
    }

    package func outboxEntry(id: String) async throws(StoreError) -> OutboxEntry? {
        try await read("reading an outbox row") { db in
            try Row.fetchOne(db, sql: "SELECT seq, \(Columns.alert) FROM alerts WHERE alert_id = ?", arguments: [id]).map {
                OutboxEntry(sequence: $0["seq"], alert: Decode.alert($0))
            }
        }
    }

    package func outboxSummary() async throws(StoreError) -> [OutboxTargetSummary] {
        try await read("summing the outbox") { db in
            try Row.fetchAll(db, sql: OutboxTargetSummary.sql).map { row in
                let oldest: Int64? = row["oldest_undelivered"]
                let last: Int64? = row["last_delivered"]
                return OutboxTargetSummary(
                    kind: row["kind"], target: row["target"], undelivered: row["undelivered"], failing: row["failing"], dead: row["dead"],
                    oldestUndeliveredAt: oldest.map(Date.init(storeMillis:)), lastDeliveredAt: last.map(Date.init(storeMillis:)))
            }
        }
    }
}
