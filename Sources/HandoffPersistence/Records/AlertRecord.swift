import Foundation

/// One row of the outbox: an outbound message (an alert such as a fallback-queue placement, an
/// SLA escalation or a new high-priority hand-off, or a CRM sync / write-back) and its delivery
/// record. Written in the same transaction as the event that caused it and stored once per `id`,
/// so an alert raised twice by a retried unit of work is delivered once; delivered at least once
/// by the service's delivery loop, or parked as dead letter (``deadAt``) until replayed.
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
    /// When delivery was given up (an answer that can never succeed, or the attempt or age limit);
    /// nil otherwise. A dead row is never retried until replayed.
    package var deadAt: Date?
    /// When an operator last replayed it (``WriteOperation/replayAlert(alertID:at:)``).
    package var replayedAt: Date?

    /// Where the row stands.
    package var state: OutboxState {
        if deliveredAt != nil { return .delivered }
        if deadAt != nil { return .dead }
        return attempts > 0 ? .failed : .pending
    }

    package init(
        id: String, kind: String, leadID: String? = nil, target: String, payload: JSONText = .emptyObject,
        createdAt: Date, deliveredAt: Date? = nil, attempts: Int = 0, lastError: String? = nil,
        nextAttemptAt: Date? = nil, deadAt: Date? = nil, replayedAt: Date? = nil
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
        self.deadAt = deadAt
        self.replayedAt = replayedAt
    }
}
