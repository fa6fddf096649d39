import Foundation

/// A rep's disposition of a lead (wrong fit, no budget, bad timing, competitor chosen,
/// unresponsive, or a custom code), stored once per `id`.
public struct DispositionRecord: Sendable, Hashable, Codable {
    /// The CRM event id; unique, a retried delivery is ``WriteOutcome/alreadyStored``.
    public var id: String
    /// The lead; must be stored.
    public var leadID: String
    /// The rep; must be on the roster when given.
    public var repID: String?
    /// Disposition code, e.g. "bad-timing" or a custom code.
    public var code: String
    /// Free-text note (may hold personal data; never logged).
    public var note: String?
    /// When the lead should be re-engaged (recycle rules); nil when not recycled.
    public var reengageAt: Date?
    /// When the disposition was recorded (UTC, millisecond precision).
    public var decidedAt: Date

    public init(id: String, leadID: String, repID: String? = nil, code: String, note: String? = nil,
                reengageAt: Date? = nil, decidedAt: Date) {
        self.id = id
        self.leadID = leadID
        self.repID = repID
        self.code = code
        self.note = note
        self.reengageAt = reengageAt
        self.decidedAt = decidedAt
    }
}
