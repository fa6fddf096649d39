import Foundation

/// Who holds a lead: a rep, or a named fallback queue when no routing rule could place it.
package enum AssignmentTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    case rep(String)
    case fallbackQueue(String)

    package var description: String {
        switch self {
        case let .rep(id): "rep '\(id)'"
        case let .fallbackQueue(name): "fallback queue '\(name)'"
        }
    }
}

/// A lead's assignment to a rep or queue. A lead has at most one open assignment
/// (`unassignedAt == nil`), enforced by a partial unique index.
package struct AssignmentRecord: Sendable, Hashable, Codable {
    /// Store-assigned row id; nil before it is stored.
    package var rowID: Int64?
    /// The lead; must be stored.
    package var leadID: String
    /// The rep (must be on the roster) or fallback queue.
    package var target: AssignmentTarget
    /// The routing rule that placed it (e.g. "territory:EMEA", "round-robin", "fallback").
    package var rule: String
    /// When it was assigned (UTC, millisecond precision).
    package var assignedAt: Date
    /// When it was closed; nil while open.
    package var unassignedAt: Date?
    /// Why it was closed ("reassigned after SLA breach", "returned to nurture", …).
    package var unassignReason: String?

    package init(
        rowID: Int64? = nil, leadID: String, target: AssignmentTarget, rule: String, assignedAt: Date,
        unassignedAt: Date? = nil, unassignReason: String? = nil
    ) {
        self.rowID = rowID
        self.leadID = leadID
        self.target = target
        self.rule = rule
        self.assignedAt = assignedAt
        self.unassignedAt = unassignedAt
        self.unassignReason = unassignReason
    }

    /// The holder's id: the rep id or the fallback queue's name.
    package var holderID: String {
        switch target {
        case let .rep(id), let .fallbackQueue(id): id
        }
    }

    /// The rep id, when the target is a rep.
    package var repID: String? {
        if case let .rep(id) = target { return id }
        return nil
    }
}
