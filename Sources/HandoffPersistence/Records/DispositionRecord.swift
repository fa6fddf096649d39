import Foundation

/// A rep's disposition of a lead (wrong fit, no budget, bad timing, competitor chosen,
/// unresponsive, or a custom code), stored once per `id`.
package struct DispositionRecord: Sendable, Hashable, Codable {
    /// The CRM event id; unique, a retried delivery is ``WriteOutcome/alreadyStored``.
    package var id: String
    /// The lead; must be stored.
    package var leadID: String
    /// The rep; must be on the roster when given.
    package var repID: String?
    /// Disposition code, e.g. "bad-timing" or a custom code.
    package var code: String
    /// Free-text note (may hold personal data; never logged).
    package var note: String?
    /// When the lead should be re-engaged (recycle rules); nil when not recycled.
    package var reengageAt: Date?
    /// When the disposition was recorded (UTC, millisecond precision).
    package var decidedAt: Date

    package init(
        id: String, leadID: String, repID: String? = nil, code: String, note: String? = nil,
        reengageAt: Date? = nil, decidedAt: Date
    ) {
        self.id = id
        self.leadID = leadID
        self.repID = repID
        self.code = code
        self.note = note
        self.reengageAt = reengageAt
        self.decidedAt = decidedAt
    }
}
