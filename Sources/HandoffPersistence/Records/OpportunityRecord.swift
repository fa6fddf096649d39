import Foundation

/// A sales opportunity opened from a lead, upserted by `id` as its stage and amount change.
package struct OpportunityRecord: Sendable, Hashable, Codable {
    /// CRM opportunity id; primary key.
    package var id: String
    /// The lead it came from; must be stored (the lead never changes on update).
    package var leadID: String
    /// Expected amount.
    package var amount: Money
    /// CRM stage name, e.g. "discovery", "proposal".
    package var stage: String
    /// When it was opened (UTC, millisecond precision); kept from the first write.
    package var openedAt: Date
    /// When it was last written.
    package var updatedAt: Date

    package init(id: String, leadID: String, amount: Money, stage: String, openedAt: Date, updatedAt: Date? = nil) {
        self.id = id
        self.leadID = leadID
        self.amount = amount
        self.stage = stage
        self.openedAt = openedAt
        self.updatedAt = updatedAt ?? openedAt
    }
}
