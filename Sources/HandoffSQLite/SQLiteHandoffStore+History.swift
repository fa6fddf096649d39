import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    /// ``HandoffStore/leadHistories(createdBefore:)``: eight range reads in one read transaction
    /// (one WAL snapshot), grouped by lead.
    package func leadHistories(createdBefore date: Date) async throws(StoreError) -> [LeadHistory] {
        try await read("reading lead histories") { db in
            let q = LeadHistoryQuery.statements(
                param: { "?\($0)" }, json: { $0 },
                columns: .init(lead: "l.id, l.fields, l.source, l.campaign, l.created_at, l.updated_at"))
            let cut: StatementArguments = [date.storeMillis]
            let types = LeadHistoryQuery.fieldTypes
            let eventArguments: StatementArguments = [date.storeMillis, types[0], types[1]]
            return LeadHistoryQuery.assemble(
                leads: try Row.fetchAll(db, sql: q.leads, arguments: cut).map(Decode.lead),
                events: try Row.fetchAll(db, sql: q.events, arguments: eventArguments).map(Decode.event),
                scores: try Row.fetchAll(db, sql: q.scores, arguments: cut).map(Decode.score),
                decisions: try Row.fetchAll(db, sql: q.decisions, arguments: cut).map(Decode.decision),
                assignments: try Row.fetchAll(db, sql: q.assignments, arguments: cut).map(Decode.assignment),
                dispositions: try Row.fetchAll(db, sql: q.dispositions, arguments: cut).map(Decode.disposition),
                opportunities: try Row.fetchAll(db, sql: q.opportunities, arguments: cut).map(Decode.opportunity),
                outcomes: try Row.fetchAll(db, sql: q.outcomes, arguments: cut).map(Decode.outcome))
        }
    }
}
