import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    /// One read transaction over the lead's rows, skipping scores, decisions and event payloads:
    /// every engagement adds a score and a decision with their JSON, so reading them back on each
    /// event made a lead's n-th event cost O(n) decoding it never used.
    /// The journal's columns for the flow: payloads only where the flow reads them back (the SLA
    /// clock's pauses). Built once: this read runs for every event.
    static let flowEventColumns =
        "event_id, lead_id, type, occurred_at, received_at, CASE WHEN type IN (\(EngagementEventRecord.flowPayloadTypesSQL)) THEN payload END AS payload"

    package func flowTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? {
        try await read("reading the flow state of lead '\(leadID)'") { db in try Self.flowTimeline(db, leadID: leadID) }
    }

    /// One read for every event's first questions (``HandoffStore/eventArrival(eventID:leadID:)``).
    package func eventArrival(eventID: String, leadID: String) async throws(StoreError) -> EventArrival {
        try await read("reading event '\(eventID)' and the flow state of lead '\(leadID)'") { db in
            if let stored = try Self.event(db, id: eventID) { return EventArrival(stored: stored, merges: [], timeline: nil) }
            return EventArrival(
                stored: nil, merges: try Self.leadMerges(db, involving: leadID, includeEnded: false),
                timeline: try Self.flowTimeline(db, leadID: leadID))
        }
    }

    static func flowTimeline(_ db: Database, leadID: String) throws -> LeadTimeline? {
        let id: StatementArguments = [leadID]
        // Cached statements: preparing these seven queries anew for every event (and running
        // GRDB's authorizer over each) cost more than executing them.
        let leadQuery = try db.cachedStatement(sql: "SELECT \(Columns.lead) FROM leads WHERE id = ?")
        guard let lead = try Row.fetchOne(leadQuery, arguments: id).map(Decode.lead) else {
            return nil
        }
        func all<T>(_ columns: String, _ table: String, _ order: String, _ decode: (Row) throws -> T) throws -> [T] {
            let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM \(table) WHERE lead_id = ? ORDER BY \(order)")
            // A cursor decodes each row where SQLite holds it; `fetchAll` first copied every row.
            var records: [T] = []
            let rows = try Row.fetchCursor(statement, arguments: id)
            while let row = try rows.next() { records.append(try decode(row)) }
            return records
        }
        // By position (the order of `flowEventColumns`): a lead's whole journal is read for
        // every event, and GRDB's lookup by name lowercases the name on each access.
        let events = try all(Self.flowEventColumns, "engagement_events", "occurred_at, seq") { row in
            let payload: String? = row[5]
            return EngagementEventRecord(
                id: row[0], leadID: row[1], type: row[2], occurredAt: Date(storeMillis: row[3]),
                receivedAt: Date(storeMillis: row[4]), payload: payload.map(JSONText.init(trusted:)) ?? .emptyObject)
        }
        return LeadTimeline(
            lead: lead, events: events,
            assignments: try all(Columns.assignment, "assignments", "assigned_at, id", Decode.assignment),
            timers: try all(Columns.timer, "sla_timers", "started_at, id", Decode.timer),
            contactAttempts: try all(Columns.attempt, "contact_attempts", "attempted_at, seq", Decode.attempt),
            dispositions: try all(Columns.disposition, "dispositions", "decided_at, seq", Decode.disposition),
            opportunities: try all(Columns.opportunity, "opportunities", "opened_at, id", Decode.opportunity),
            outcomes: try all(Columns.outcome, "outcomes", "closed_at, seq", Decode.outcome))
    }
}
