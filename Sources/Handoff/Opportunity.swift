import Foundation

/// A deal in the CRM opened from a marketing-sourced lead. Amounts are `Decimal` so money
/// never picks up binary rounding.
public struct Opportunity: Sendable, Hashable, Codable, Identifiable {
    public let id: String
    /// The lead it came from: the link that traces revenue back to marketing.
    public let leadID: String
    /// Expected amount (≥ 0) in `currency`.
    public var amount: Decimal
    /// ISO 4217 code, upper-case (`EUR`).
    public let currency: String
    /// The CRM's stage name (free text, e.g. `discovery`, `proposal`).
    public var stage: String
    public let openedAt: Date
    /// Set once the deal closes.
    public var outcome: OpportunityOutcome?

    public init(id: String, leadID: String, amount: Decimal, currency: String, stage: String, openedAt: Date,
                outcome: OpportunityOutcome? = nil) {
        self.id = id
        self.leadID = leadID
        self.amount = amount
        self.currency = currency
        self.stage = stage
        self.openedAt = openedAt
        self.outcome = outcome
    }

    /// Whether the deal is still open.
    public var isOpen: Bool { outcome == nil }
}
