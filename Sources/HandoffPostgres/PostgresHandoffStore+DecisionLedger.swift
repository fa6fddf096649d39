import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func decisionLedger(kind: DecisionLedgerKind, decidedIn period: ReportPeriod) async throws(StoreError) -> [DecisionLedgerRecord] {
        try await read("reading the decision ledger of \(period)") { sql in
            try await sql.rows(
                """
                SELECT seq, lead_id, kind, decided_at, source, summary, entry::text AS entry
                FROM decision_ledger WHERE kind = $1 AND decided_at >= $2 AND decided_at < $3 ORDER BY seq
                """, [.text(kind.rawValue), .date(period.start), .date(period.end)]
            ).map { row in
                DecisionLedgerRecord(
                    rowID: try row.int64("seq"), leadID: try row.text("lead_id"), kind: try row.enumValue("kind", table: "decision_ledger"),
                    decidedAt: try row.date("decided_at"), source: try row.text("source"), summary: try row.text("summary"),
                    entry: try row.json("entry"))
            }
        }
    }

    package func decisionLedger(leadID: String) async throws(StoreError) -> [DecisionLedgerRecord] {
        try await read("reading the decision ledger of lead '\(leadID)'") { sql in
            try await sql.rows(
                """
                SELECT seq, lead_id, kind, decided_at, source, summary, entry::text AS entry
                FROM decision_ledger WHERE lead_id = $1 ORDER BY seq
                """, [.text(leadID)]
            ).map { row in
                DecisionLedgerRecord(
                    rowID: try row.int64("seq"), leadID: try row.text("lead_id"), kind: try row.enumValue("kind", table: "decision_ledger"),
                    decidedAt: try row.date("decided_at"), source: try row.text("source"), summary: try row.text("summary"),
                    entry: try row.json("entry"))
            }
        }
    }
}
