import Foundation

/// One prospect as marketing knows it: the raw form/CRM values (as in a CSV row), when the
/// lead was created, and what it did since (its engagement events).
///
/// `fields` holds text exactly as captured (`"company_size": "201-1000"`, `"demo_requests": "2"`);
/// the scorer encodes them with the weight file's rules. Fields the hand-off package reads when
/// present: `first_name`, `last_name`, `email`, `company`, `job_title`, `pain_points`,
/// `solutions_explored`, `notes` (see ``HandoffPackage``).
public struct Lead: Sendable, Codable, Equatable {
    /// The lead's identifier (the spec's `id` column when read from a CSV).
    public var id: String
    /// Raw values by column name.
    public var fields: [String: String]
    /// When the lead was created.
    public var createdAt: Date
    /// Engagement events, in any order (the scorer and the package sort by time).
    public var events: [EngagementEvent]

    public init(id: String, fields: [String: String], createdAt: Date, events: [EngagementEvent] = []) {
        self.id = id
        self.fields = fields
        self.createdAt = createdAt
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case id, fields, events
        case createdAt = "created_at"
    }
}
