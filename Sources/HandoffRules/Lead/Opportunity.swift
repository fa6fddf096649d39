import Foundation

/// A deal in the CRM opened from a marketing-sourced lead. Amounts are `Decimal` so money
/// never picks up binary rounding.
package struct Opportunity: Sendable, Hashable, Codable, Identifiable {
    package let id: String
    /// The lead it came from: the link that traces revenue back to marketing.
    package let leadID: String
    /// Expected amount (≥ 0) in `currency`.
    package var amount: Decimal
    /// ISO 4217 code, upper-case (`EUR`).
    package let currency: String
    /// The CRM's stage name (free text, e.g. `discovery`, `proposal`).
    package var stage: String
    package let openedAt: Date
    /// Set once the deal closes.
    package var outcome: OpportunityOutcome?

    package init(
        id: String, leadID: String, amount: Decimal, currency: String, stage: String, openedAt: Date,
        outcome: OpportunityOutcome? = nil
    ) {
        self.id = id
        self.leadID = leadID
        self.amount = amount
        self.currency = currency
        self.stage = stage
        self.openedAt = openedAt
        self.outcome = outcome
    }

    /// Whether the deal is still open.
    package var isOpen: Bool { outcome == nil }
}
