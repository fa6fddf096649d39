import Foundation

/// How an opportunity closed.
package struct OpportunityOutcome: Sendable, Hashable, Codable {
    package enum Result: String, Sendable, Hashable, Codable {
        case won, lost
    }

    package let result: Result
    /// The closing amount (the booked revenue when won; the value lost otherwise), ≥ 0.
    package let amount: Decimal
    package let closedAt: Date
    /// Why it was lost, in the CRM's words (optional).
    package let lossReason: String?

    package init(result: Result, amount: Decimal, closedAt: Date, lossReason: String? = nil) {
        self.result = result
        self.amount = amount
        self.closedAt = closedAt
        self.lossReason = lossReason
    }
}
