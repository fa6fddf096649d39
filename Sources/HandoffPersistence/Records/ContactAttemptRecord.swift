import Foundation

/// A rep's attempt to reach a lead (call, email, LinkedIn message), stored once per `id`.
package struct ContactAttemptRecord: Sendable, Hashable, Codable {
    /// The CRM event id; unique, a retried delivery is ``WriteOutcome/alreadyStored``.
    package var id: String
    /// The lead; must be stored.
    package var leadID: String
    /// The rep; must be on the roster when given.
    package var repID: String?
    /// Channel, e.g. "call", "email".
    package var channel: String
    /// Result, e.g. "connected", "voicemail", "no-answer"; nil when not reported.
    package var result: String?
    /// When the attempt was made (UTC, millisecond precision).
    package var attemptedAt: Date
    /// Free-text note (may hold personal data; never logged).
    package var note: String?

    package init(
        id: String, leadID: String, repID: String? = nil, channel: String, result: String? = nil,
        attemptedAt: Date, note: String? = nil
    ) {
        self.id = id
        self.leadID = leadID
        self.repID = repID
        self.channel = channel
        self.result = result
        self.attemptedAt = attemptedAt
        self.note = note
    }
}
