import Foundation

/// What one delivery attempt of an outbox row led to (``WriteOperation/recordAlertDelivery(alertID:at:outcome:)``).
package enum AlertDeliveryOutcome: Sendable, Hashable {
    /// The receiver accepted it: the row is delivered.
    case delivered
    /// It failed in a way a later attempt may fix (network, timeout, 429, 5xx): try again at `retryAt`.
    case retry(error: String, retryAt: Date)
    /// It failed for good (an answer that will never succeed, or the attempt or age limit was
    /// reached): the row is dead letter, kept with `error` until an operator replays it.
    case deadLetter(error: String)
}

/// The column values a delivery outcome writes, the same in every backend.
package struct OutboxColumns: Sendable, Hashable {
    package var deliveredAt: Date?
    package var lastError: String?
    package var nextAttemptAt: Date?
    package var deadAt: Date?

    package init(_ outcome: AlertDeliveryOutcome, at: Date) {
        switch outcome {
        case .delivered: (deliveredAt, lastError, nextAttemptAt, deadAt) = (at, nil, nil, nil)
        case let .retry(error, retryAt): (deliveredAt, lastError, nextAttemptAt, deadAt) = (nil, error, retryAt, nil)
        case let .deadLetter(error): (deliveredAt, lastError, nextAttemptAt, deadAt) = (nil, error, nil, at)
        }
    }
}
