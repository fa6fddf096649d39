import Foundation

/// How an opportunity closed.
public struct OpportunityOutcome: Sendable, Hashable, Codable {
    public enum Result: String, Sendable, Hashable, Codable {
        case won, lost
    }

    public let result: Result
    /// The closing amount (the booked revenue when won; the value lost otherwise), ≥ 0.
    public let amount: Decimal
    public let closedAt: Date
    /// Why it was lost, in the CRM's words (optional).
    public let lossReason: String?

    public init(result: Result, amount: Decimal, closedAt: Date, lossReason: String? = nil) {
        self.result = result
        self.amount = amount
        self.closedAt = closedAt
        self.lossReason = lossReason
    }
}
