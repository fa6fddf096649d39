import Foundation

/// The closed loop: opportunities and outcomes linked to their leads, so every
/// marketing-sourced lead can be traced to revenue. A value: the store persists the
/// opportunities; this checks the rules (known lead, unique id, amount ≥ 0, ISO currency,
/// close once and not before opening).
package struct OpportunityLedger: Sendable, Hashable {
    package private(set) var opportunities: [String: Opportunity] = [:]

    /// Revenue traced to one lead.
    package struct LeadRevenue: Sendable, Hashable {
        package let leadID: String
        package let opportunities: [Opportunity]
        /// Won amounts per currency (never summed across currencies).
        package let won: [String: Decimal]
        /// Open pipeline per currency.
        package let pipeline: [String: Decimal]
        /// Lost amounts per currency.
        package let lost: [String: Decimal]
    }

    package init(opportunities: [Opportunity] = []) {
        for opportunity in opportunities { self.opportunities[opportunity.id] = opportunity }
    }

    /// Records a new opportunity for a lead. `isKnownLead` says whether the lead exists (the
    /// store's lookup); an opportunity for an unknown lead would break the trace.
    package mutating func open(_ opportunity: Opportunity, isKnownLead: (String) -> Bool) throws(OpportunityError) {
        guard opportunities[opportunity.id] == nil else { throw .duplicateOpportunity(id: opportunity.id) }
        guard isKnownLead(opportunity.leadID) else { throw .unknownLead(leadID: opportunity.leadID, opportunityID: opportunity.id) }
        try OpportunityLedger.check(amount: opportunity.amount, currency: opportunity.currency, id: opportunity.id)
        guard opportunity.outcome == nil else { throw .alreadyClosed(id: opportunity.id) }
        opportunities[opportunity.id] = opportunity
    }

    /// Moves an open opportunity to a new stage.
    package mutating func move(_ id: String, toStage stage: String) throws(OpportunityError) {
        guard var opportunity = opportunities[id] else { throw .unknownOpportunity(id: id) }
        guard opportunity.isOpen else { throw .alreadyClosed(id: id) }
        opportunity.stage = stage
        opportunities[id] = opportunity
    }

    /// Closes an opportunity as won or lost; its stage becomes `closed_won` / `closed_lost`.
    package mutating func close(_ id: String, with outcome: OpportunityOutcome) throws(OpportunityError) {
        guard var opportunity = opportunities[id] else { throw .unknownOpportunity(id: id) }
        guard opportunity.isOpen else { throw .alreadyClosed(id: id) }
        try OpportunityLedger.check(amount: outcome.amount, currency: opportunity.currency, id: id)
        guard outcome.closedAt >= opportunity.openedAt else {
            throw .closedBeforeOpened(id: id, closedAt: outcome.closedAt, openedAt: opportunity.openedAt)
        }
        opportunity.outcome = outcome
        opportunity.stage = outcome.result == .won ? "closed_won" : "closed_lost"
        opportunities[id] = opportunity
    }

    /// Everything traced to `leadID`: its opportunities (by opening time, then id) and amounts
    /// per currency — won and lost at their closing amounts, open at the expected amount.
    package func revenue(forLead leadID: String) -> LeadRevenue {
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
    package var wonRevenue: [String: Decimal] {
        var total: [String: Decimal] = [:]
        for opportunity in opportunities.values {
            if let outcome = opportunity.outcome, outcome.result == .won { total[opportunity.currency, default: 0] += outcome.amount }
        }
        return total
    }

    static func check(amount: Decimal, currency: String, id: String) throws(OpportunityError) {
        guard !amount.isNaN, amount >= 0 else { throw .invalidAmount(id: id, amount: "\(amount)") }
        guard currency.count == 3, currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw .invalidCurrency(id: id, currency: currency)
        }
    }
}
