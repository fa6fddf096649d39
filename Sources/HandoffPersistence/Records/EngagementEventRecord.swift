import Foundation

/// One engagement event (page visit, webinar, form fill, demo request), stored once per `id`.
///
/// The id is the sender's event id. A second append with the same id is a retried delivery:
/// the store answers ``WriteOutcome/alreadyStored`` and changes nothing (the first delivery
/// wins). A UNIQUE constraint in the database enforces this, not memory, so it holds across
/// restarts and across service instances.
package struct EngagementEventRecord: Sendable, Hashable, Codable {
    /// Sender's event id; unique across all engagement events.
    package var id: String
    /// The lead it belongs to; must be stored.
    package var leadID: String
    /// Event type as named in the scoring spec (e.g. "webinar", "pricing_page", "demo_request").
    package var type: String
    /// When it happened (UTC, millisecond precision).
    package var occurredAt: Date
    /// When the store received it.
    package var receivedAt: Date
    /// The event's own fields as JSON.
    package var payload: JSONText

    package init(
        id: String, leadID: String, type: String, occurredAt: Date, receivedAt: Date? = nil,
        payload: JSONText = .emptyObject
    ) {
        self.id = id
        self.leadID = leadID
        self.type = type
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt ?? occurredAt
        self.payload = payload
    }
}
