import Foundation

/// One lead's marketing side, as the traffic simulator takes it: what marketing captured and
/// when the prospect engaged, plus what the true model says would happen if sales worked the lead
/// promptly. The simulator knows nothing of how these were generated (the CLI builds them from
/// `baton generate`'s seeded leads).
public struct SimulatedLead: Sendable, Hashable {
    /// One engagement (becomes an `engagement` event).
    public struct Engagement: Sendable, Hashable {
        public var at: Date
        /// The engagement's own name (`webinar_attended`), never an event type.
        public var eventType: String
        public var content: String?
        public init(at: Date, eventType: String, content: String? = nil) {
            self.at = at
            self.eventType = eventType
            self.content = content
        }
    }

    /// Fit facts the simulated reps' dispositions are patterned on.
    public struct Fit: Sendable, Hashable {
        /// A source that tends to bring poor-fit leads (content syndication, social, outbound).
        public var poorFitSource: Bool
        /// A very small company (1–10 people).
        public var smallCompany: Bool
        /// The contact holds budget authority.
        public var budgetAuthority: Bool
        /// Purchase timeline of a year or more, or unknown.
        public var longTimeline: Bool
        /// A competitor's product is in place.
        public var competitorInPlace: Bool
        public init(poorFitSource: Bool, smallCompany: Bool, budgetAuthority: Bool, longTimeline: Bool, competitorInPlace: Bool) {
            self.poorFitSource = poorFitSource
            self.smallCompany = smallCompany
            self.budgetAuthority = budgetAuthority
            self.longTimeline = longTimeline
            self.competitorInPlace = competitorInPlace
        }
    }

    public var id: String
    public var createdAt: Date
    /// Raw field values of the `lead_created` event.
    public var fields: [String: String]
    public var source: String?
    public var campaign: String?
    /// In any order; the simulator sends them in time order.
    public var engagements: [Engagement]
    public var fit: Fit
    /// The true model's outcome: the lead buys when sales reaches it promptly (see
    /// ``SalesBehaviour/lateWinKeepProbability`` for a late first touch).
    public var wouldBuy: Bool
    /// Expected deal size in major units, and its ISO 4217 currency.
    public var dealAmount: Decimal
    public var currency: String

    public init(id: String, createdAt: Date, fields: [String: String], source: String? = nil, campaign: String? = nil,
                engagements: [Engagement], fit: Fit, wouldBuy: Bool, dealAmount: Decimal, currency: String) {
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
