import Foundation

/// Who holds a lead: a rep, or a named fallback queue when no routing rule could place it.
public enum AssignmentTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    case rep(String)
    case fallbackQueue(String)

    public var description: String {
        switch self {
        case let .rep(id): "rep '\(id)'"
        case let .fallbackQueue(name): "fallback queue '\(name)'"
        }
    }
}

/// A lead's assignment to a rep or queue. A lead has at most one open assignment
/// (`unassignedAt == nil`), enforced by a partial unique index.
public struct AssignmentRecord: Sendable, Hashable, Codable {
    /// Store-assigned row id; nil before it is stored.
    public var rowID: Int64?
    /// The lead; must be stored.
    public var leadID: String
    /// The rep (must be on the roster) or fallback queue.
    public var target: AssignmentTarget
    /// The routing rule that placed it (e.g. "territory:EMEA", "round-robin", "fallback").
    public var rule: String
    /// When it was assigned (UTC, millisecond precision).
    public var assignedAt: Date
    /// When it was closed; nil while open.
    public var unassignedAt: Date?
    /// Why it was closed ("reassigned after SLA breach", "returned to nurture", …).
    public var unassignReason: String?

    public init(rowID: Int64? = nil, leadID: String, target: AssignmentTarget, rule: String, assignedAt: Date,
                unassignedAt: Date? = nil, unassignReason: String? = nil) {
        self.rowID = rowID
        self.leadID = leadID
        self.target = target
        self.rule = rule
        self.assignedAt = assignedAt
        self.unassignedAt = unassignedAt
        self.unassignReason = unassignReason
    }

    /// The rep id, when the target is a rep.
    public var repID: String? {
        if case let .rep(id) = target { return id }
        return nil
    }
}
