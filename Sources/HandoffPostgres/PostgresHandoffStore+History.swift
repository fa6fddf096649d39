import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    /// ``HandoffStore/leadHistories(createdBefore:)``, as the SQLite store answers it: the same
    /// eight range reads in one REPEATABLE READ snapshot, grouped by lead.
    package func leadHistories(createdBefore date: Date) async throws(StoreError) -> [LeadHistory] {
        try await snapshot("reading lead histories") { sql in
            let q = LeadHistoryQuery.statements(
                param: { "$\($0)" }, json: { "\($0)::text" },
                columns: .init(lead: "l.id, l.fields::text AS fields, l.source, l.campaign, l.created_at, l.updated_at"))
            let cut: [Bind] = [.date(date)]
            let types = LeadHistoryQuery.fieldTypes
            return LeadHistoryQuery.assemble(
                leads: try await sql.rows(q.leads, cut).map(PGDecode.lead),
                events: try await sql.rows(q.events, cut + [.text(types[0]), .text(types[1])]).map(PGDecode.event),
                scores: try await sql.rows(q.scores, cut).map(PGDecode.score),
                decisions: try await sql.rows(q.decisions, cut).map(PGDecode.decision),
                assignments: try await sql.rows(q.assignments, cut).map(PGDecode.assignment),
                dispositions: try await sql.rows(q.dispositions, cut).map(PGDecode.disposition),
                opportunities: try await sql.rows(q.opportunities, cut).map(PGDecode.opportunity),
                outcomes: try await sql.rows(q.outcomes, cut).map(PGDecode.outcome))
        }
    }
}
