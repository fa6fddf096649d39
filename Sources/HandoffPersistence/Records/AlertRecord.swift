import Foundation

/// An outbound alert (fallback-queue placement, SLA escalation, new high-priority hand-off)
/// and its delivery record. Stored once per `id`, so an alert raised twice by a retried unit of
/// work is delivered once.
package struct AlertRecord: Sendable, Hashable, Codable {
    /// Caller-chosen id, e.g. "lead-17/escalation/2".
    package var id: String
    /// Kind, e.g. "fallback-queue", "escalation", "new-high-priority".
    package var kind: String
    /// The lead concerned, if any; must be stored when given.
    package var leadID: String?
    /// Channel target: a rep id, a queue name or a channel name (never a secret URL).
    package var target: String
    /// Message payload as JSON.
    package var payload: JSONText
    /// When it was raised (UTC, millisecond precision).
    package var createdAt: Date
    /// When delivery succeeded; nil while pending.
    package var deliveredAt: Date?
    /// Delivery attempts so far.
    package var attempts: Int
    /// Last delivery error, if the last attempt failed.
    package var lastError: String?
    /// Earliest time for the next delivery attempt (backoff); nil means now.
    package var nextAttemptAt: Date?

    package init(
        id: String, kind: String, leadID: String? = nil, target: String, payload: JSONText = .emptyObject,
        createdAt: Date, deliveredAt: Date? = nil, attempts: Int = 0, lastError: String? = nil,
        nextAttemptAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.leadID = leadID
        self.target = target
        self.payload = payload
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.attempts = attempts
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
    }
}
