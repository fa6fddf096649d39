import Foundation

/// One lead's marketing side, as the traffic simulator takes it: what marketing captured and
/// when the prospect engaged, plus what the true model says would happen if sales worked the lead
/// promptly. The simulator knows nothing of how these were generated (the CLI builds them from
/// `baton generate`'s seeded leads).
package struct SimulatedLead: Sendable, Hashable {
    /// One engagement (becomes an `engagement` event).
    package struct Engagement: Sendable, Hashable {
        package var at: Date
        /// The engagement's own name (`webinar_attended`), never an event type.
        package var eventType: String
        package var content: String?
        package init(at: Date, eventType: String, content: String? = nil) {
            self.at = at
            self.eventType = eventType
            self.content = content
        }
    }

    /// Fit facts the simulated reps' dispositions are patterned on.
    package struct Fit: Sendable, Hashable {
        /// A source that tends to bring poor-fit leads (content syndication, social, outbound).
        package var poorFitSource: Bool
        /// A very small company (1–10 people).
        package var smallCompany: Bool
        /// The contact holds budget authority.
        package var budgetAuthority: Bool
        /// Purchase timeline of a year or more, or unknown.
        package var longTimeline: Bool
        /// A competitor's product is in place.
        package var competitorInPlace: Bool
        package init(poorFitSource: Bool, smallCompany: Bool, budgetAuthority: Bool, longTimeline: Bool, competitorInPlace: Bool) {
            self.poorFitSource = poorFitSource
            self.smallCompany = smallCompany
            self.budgetAuthority = budgetAuthority
            self.longTimeline = longTimeline
            self.competitorInPlace = competitorInPlace
        }
    }

    package var id: String
    package var createdAt: Date
    /// Raw field values of the `lead_created` event.
    package var fields: [String: String]
    package var source: String?
    package var campaign: String?
    /// In any order; the simulator sends them in time order.
    package var engagements: [Engagement]
    package var fit: Fit
    /// The true model's outcome: the lead buys when sales reaches it promptly (see
    /// ``SalesBehaviour/lateWinKeepProbability`` for a late first touch).
    package var wouldBuy: Bool
    /// Expected deal size in major units, and its ISO 4217 currency.
    package var dealAmount: Decimal
    package var currency: String

    package init(
        id: String, createdAt: Date, fields: [String: String], source: String? = nil, campaign: String? = nil,
        engagements: [Engagement], fit: Fit, wouldBuy: Bool, dealAmount: Decimal, currency: String
    ) {
        self.id = id
        self.createdAt = createdAt
        self.fields = fields
        self.source = source
        self.campaign = campaign
        self.engagements = engagements
        self.fit = fit
        self.wouldBuy = wouldBuy
        self.dealAmount = dealAmount
        self.currency = currency
    }
}
