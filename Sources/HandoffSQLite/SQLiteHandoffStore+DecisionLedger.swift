import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func decisionLedger(kind: DecisionLedgerKind, decidedIn period: ReportPeriod) async throws(StoreError) -> [DecisionLedgerRecord] {
        try await read("reading the decision ledger of \(period)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, lead_id, kind, decided_at, source, summary, entry FROM decision_ledger
                    WHERE kind = ? AND decided_at >= ? AND decided_at < ? ORDER BY seq
                    """,
                arguments: [kind.rawValue, period.start.storeMillis, period.end.storeMillis]
            ).map { row in
                DecisionLedgerRecord(
                    rowID: row["seq"], leadID: row["lead_id"], kind: try Decode.enumValue(row, "kind", table: "decision_ledger"),
                    decidedAt: Decode.date(row, "decided_at"), source: row["source"], summary: row["summary"], entry: Decode.json(row, "entry"))
            }
        }
    }

    package func decisionLedger(leadID: String) async throws(StoreError) -> [DecisionLedgerRecord] {
        try await read("reading the decision ledger of lead '\(leadID)'") { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, lead_id, kind, decided_at, source, summary, entry FROM decision_ledger WHERE lead_id = ? ORDER BY seq",
                arguments: [leadID]
            ).map { row in
                DecisionLedgerRecord(
                    rowID: row["seq"], leadID: row["lead_id"], kind: try Decode.enumValue(row, "kind", table: "decision_ledger"),
                    decidedAt: Decode.date(row, "decided_at"), source: row["source"], summary: row["summary"], entry: Decode.json(row, "entry"))
            }
        }
    }
}
