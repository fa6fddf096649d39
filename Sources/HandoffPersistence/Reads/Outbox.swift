import BatonSupport
import Foundation

/// Where an outbox row (``AlertRecord``) stands.
package enum OutboxState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not yet attempted.
    case pending
    /// Attempted and failed; another attempt is scheduled (`next_attempt_at`).
    case failed
    /// Given up: kept until replayed (`POST /outbox/{id}/replay`).
    case dead
    /// Accepted by its receiver.
    case delivered
}

/// Which outbox rows a listing shows (`GET /outbox`), oldest first by store order.
package struct OutboxQuery: Sendable, Hashable {
    /// Only rows in this state; all when nil.
    package var state: OutboxState?
    /// Start after this row (the previous page's ``OutboxPage/next``): the store's sequence number.
    package var afterSequence: Int64?
    /// At most this many rows (1 ... ``maximumLimit``).
    package var limit: Int

    package static let defaultLimit = 100
    package static let maximumLimit = 500

    package init(state: OutboxState? = nil, afterSequence: Int64? = nil, limit: Int = OutboxQuery.defaultLimit) {
        self.state = state
        self.afterSequence = afterSequence
        self.limit = min(max(limit, 1), Self.maximumLimit)
    }
}

/// One outbox row with its place in the store's order.
package struct OutboxEntry: Sendable, Hashable {
    /// The store's sequence number (insertion order); what a listing's cursor carries.
    package var sequence: Int64
    package var alert: AlertRecord

    package init(sequence: Int64, alert: AlertRecord) {
        self.sequence = sequence
        self.alert = alert
    }
}

/// One page of an outbox listing.
package struct OutboxPage: Sendable, Hashable {
    package var entries: [OutboxEntry]
    /// The sequence number to pass as ``OutboxQuery/afterSequence`` for the next page; nil on the last.
    package var next: Int64?

    package init(entries: [OutboxEntry], next: Int64?) {
        self.entries = entries
        self.next = next
    }
}

/// The outbox rows of one (kind, target) pair, summed: what per-endpoint health is made of
/// (the service maps a kind and target to the endpoint that receives it).
package struct OutboxTargetSummary: Sendable, Hashable {
    package var kind: String
    package var target: String
    /// Rows not yet delivered and not dead (pending or failed).
    package var undelivered: Int
    /// Of those, rows with at least one failed attempt.
    package var failing: Int
    package var dead: Int
    /// Creation time of the oldest undelivered, not dead row.
    package var oldestUndeliveredAt: Date?
    /// The latest delivery.
    package var lastDeliveredAt: Date?

    package init(kind: String, target: String, undelivered: Int, failing: Int, dead: Int, oldestUndeliveredAt: Date?, lastDeliveredAt: Date?) {
        self.kind = kind
        self.target = target
        self.undelivered = undelivered
        self.failing = failing
        self.dead = dead
        self.oldestUndeliveredAt = oldestUndeliveredAt
        self.lastDeliveredAt = lastDeliveredAt
    }
}

extension OutboxState {
    /// The SQL condition on the `alerts` table selecting rows in this state (the same text in
    /// every backend; no value is interpolated).
    package var sqlCondition: String {
        switch self {
        case .pending: "delivered_at IS NULL AND dead_at IS NULL AND attempts = 0"
        case .failed: "delivered_at IS NULL AND dead_at IS NULL AND attempts > 0"
        case .dead: "delivered_at IS NULL AND dead_at IS NOT NULL"
        case .delivered: "delivered_at IS NOT NULL"
        }
    }
}

extension OutboxTargetSummary {
    /// The summary query over `alerts` (standard SQL both backends run as is).
    package static let sql = """
        SELECT kind, target,
            SUM(CASE WHEN delivered_at IS NULL AND dead_at IS NULL THEN 1 ELSE 0 END) AS undelivered,
            SUM(CASE WHEN delivered_at IS NULL AND dead_at IS NULL AND attempts > 0 THEN 1 ELSE 0 END) AS failing,
            SUM(CASE WHEN delivered_at IS NULL AND dead_at IS NOT NULL THEN 1 ELSE 0 END) AS dead,
            MIN(CASE WHEN delivered_at IS NULL AND dead_at IS NULL THEN created_at END) AS oldest_undelivered,
            MAX(delivered_at) AS last_delivered
        FROM alerts GROUP BY kind, target ORDER BY kind, target
        """
}
