import Foundation

/// How an opportunity closed: won or lost, the amount, the close date. One per opportunity.
package struct OutcomeRecord: Sendable, Hashable, Codable {
    /// Won or lost.
    package enum Result: String, Sendable, Hashable, Codable {
        case won
        case lost
    }

    /// The CRM event id; unique, a retried delivery is ``WriteOutcome/alreadyStored``.
    package var id: String
    /// The opportunity; must be stored, and has at most one outcome.
    package var opportunityID: String
    /// The lead (copied from the opportunity so revenue traces to the lead in one join).
    package var leadID: String
    /// Won or lost.
    package var result: Result
    /// Closed amount (zero for most lost deals).
    package var amount: Money
    /// Close date (UTC, millisecond precision).
    package var closedAt: Date
    /// Lost reason or note; nil when none.
    package var reason: String?

    package init(
        id: String, opportunityID: String, leadID: String, result: Result, amount: Money, closedAt: Date,
        reason: String? = nil
    ) {
        self.id = id
        self.opportunityID = opportunityID
        self.leadID = leadID
        self.result = result
        self.amount = amount
        self.closedAt = closedAt
        self.reason = reason
    }
}
