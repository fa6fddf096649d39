import Foundation

/// How an opportunity closed.
public struct Outcome: Sendable, Hashable, Codable {
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

/// Revenue traced to one lead.
public struct LeadRevenue: Sendable, Hashable {
    public let leadID: String
    public let opportunities: [Opportunity]
    /// Won amounts per currency (never summed across currencies).
    public let won: [String: Decimal]
    /// Open pipeline per currency.
    public let pipeline: [String: Decimal]
    /// Lost amounts per currency.
    public let lost: [String: Decimal]
}

/// Opportunities and outcomes linked to their leads, so every marketing-sourced lead can be
/// traced to revenue. A value: the store persists the opportunities; this checks the rules.
public struct ClosedLoop: Sendable, Hashable {
    public private(set) var opportunities: [String: Opportunity] = [:]

    public init(opportunities: [Opportunity] = []) {
        for opportunity in opportunities { self.opportunities[opportunity.id] = opportunity }
    }

    /// Records a new opportunity for a lead. `isKnownLead` says whether the lead exists (the
    /// store's lookup); an opportunity for an unknown lead would break the trace.
    public mutating func open(_ opportunity: Opportunity, isKnownLead: (String) -> Bool) throws(ClosedLoopError) {
        guard opportunities[opportunity.id] == nil else { throw .duplicateOpportunity(id: opportunity.id) }
        guard isKnownLead(opportunity.leadID) else { throw .unknownLead(leadID: opportunity.leadID, opportunityID: opportunity.id) }
        try ClosedLoop.check(amount: opportunity.amount, currency: opportunity.currency, id: opportunity.id)
        guard opportunity.outcome == nil else { throw .alreadyClosed(id: opportunity.id) }
        opportunities[opportunity.id] = opportunity
    }

    /// Moves an open opportunity to a new stage.
    public mutating func move(_ id: String, toStage stage: String) throws(ClosedLoopError) {
        guard var opportunity = opportunities[id] else { throw .unknownOpportunity(id: id) }
        guard opportunity.isOpen else { throw .alreadyClosed(id: id) }
        opportunity.stage = stage
        opportunities[id] = opportunity
    }

    /// Closes an opportunity as won or lost; its stage becomes `closed_won` / `closed_lost`.
    public mutating func close(_ id: String, with outcome: Outcome) throws(ClosedLoopError) {
        guard var opportunity = opportunities[id] else { throw .unknownOpportunity(id: id) }
        guard opportunity.isOpen else { throw .alreadyClosed(id: id) }
        try ClosedLoop.check(amount: outcome.amount, currency: opportunity.currency, id: id)
        guard outcome.closedAt >= opportunity.openedAt else {
            throw .closedBeforeOpened(id: id, closedAt: outcome.closedAt, openedAt: opportunity.openedAt)
        }
        opportunity.outcome = outcome
        opportunity.stage = outcome.result == .won ? "closed_won" : "closed_lost"
        opportunities[id] = opportunity
    }

    /// Everything traced to `leadID`: its opportunities (by opening time, then id) and amounts
    /// per currency — won and lost at their closing amounts, open at the expected amount.
    public func revenue(forLead leadID: String) -> LeadRevenue {
        let mine = opportunities.values.filter { $0.leadID == leadID }
            .sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }
        var won: [String: Decimal] = [:], pipeline: [String: Decimal] = [:], lost: [String: Decimal] = [:]
        for opportunity in mine {
            switch opportunity.outcome?.result {
            case .won?: won[opportunity.currency, default: 0] += opportunity.outcome?.amount ?? 0
            case .lost?: lost[opportunity.currency, default: 0] += opportunity.outcome?.amount ?? 0
            case nil: pipeline[opportunity.currency, default: 0] += opportunity.amount
            }
        }
        return LeadRevenue(leadID: leadID, opportunities: mine, won: won, pipeline: pipeline, lost: lost)
    }

    /// Won revenue per currency over all leads.
    public var wonRevenue: [String: Decimal] {
        var total: [String: Decimal] = [:]
        for opportunity in opportunities.values {
            if let outcome = opportunity.outcome, outcome.result == .won { total[opportunity.currency, default: 0] += outcome.amount }
        }
        return total
    }

    static func check(amount: Decimal, currency: String, id: String) throws(ClosedLoopError) {
        guard !amount.isNaN, amount >= 0 else { throw .invalidAmount(id: id, amount: "\(amount)") }
        guard currency.count == 3, currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw .invalidCurrency(id: id, currency: currency)
        }
    }
}

/// An opportunity or outcome that would break the closed loop.
public enum ClosedLoopError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownLead(leadID: String, opportunityID: String)
    case duplicateOpportunity(id: String)
    case unknownOpportunity(id: String)
    case alreadyClosed(id: String)
    case invalidAmount(id: String, amount: String)
    case invalidCurrency(id: String, currency: String)
    case closedBeforeOpened(id: String, closedAt: Date, openedAt: Date)

    public var description: String {
        switch self {
        case .unknownLead(let lead, let id):
            "opportunity \(id) names lead \(lead), which is not known; import the lead first so revenue can be traced"
        case .duplicateOpportunity(let id):
            "opportunity \(id) already exists; use a new id, or move/close the existing one"
        case .unknownOpportunity(let id):
            "no opportunity \(id); open it before moving or closing it"
        case .alreadyClosed(let id):
            "opportunity \(id) is already closed; open a new opportunity for a new deal"
        case .invalidAmount(let id, let amount):
            "opportunity \(id): amount \(amount) must be a number ≥ 0"
        case .invalidCurrency(let id, let currency):
            "opportunity \(id): currency `\(currency)` is not an ISO 4217 code; use three capital letters such as EUR or USD"
        case .closedBeforeOpened(let id, let closed, let opened):
            "opportunity \(id) closes at \(closed), before it opened at \(opened); check the close date"
        }
    }
}
