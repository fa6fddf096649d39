import Foundation

/// A rep on the roster snapshot. Reps who leave are kept (status `.left`) so history and
/// reports still resolve their id.
package struct RepRecord: Sendable, Hashable, Codable {
    /// Whether the rep can receive leads.
    package enum Status: String, Sendable, Hashable, Codable {
        case active
        case left
    }

    /// Rep id; primary key.
    package var id: String
    /// Display name.
    package var name: String
    /// IANA time zone for business hours (e.g. "Europe/Berlin").
    package var timeZone: String
    /// Active or left.
    package var status: Status
    /// When the rep left; nil while active.
    package var leftAt: Date?
    /// Routing profile as JSON (territories, industries, tiers, capacity, weight, working hours,
    /// alert preferences); owned by the routing module.
    package var profile: JSONText
    /// When this roster entry was last written.
    package var updatedAt: Date

    package init(
        id: String, name: String, timeZone: String = "UTC", status: Status = .active, leftAt: Date? = nil,
        profile: JSONText = .emptyObject, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.status = status
        self.leftAt = leftAt
        self.profile = profile
        self.updatedAt = updatedAt
    }
}
