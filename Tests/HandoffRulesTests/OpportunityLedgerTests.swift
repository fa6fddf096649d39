import Foundation
import HandoffRules
import Testing

@Suite struct OpportunityLedgerTests {
    let leads: Set<String> = ["L1", "L2"]
    let opened = Flow.at(2026, 11, 2, 10)

    func opportunity(_ id: String, lead: String = "L1", amount: Decimal, currency: String = "EUR") -> Opportunity {
        Opportunity(id: id, leadID: lead, amount: amount, currency: currency, stage: "discovery", openedAt: opened)
    }

    @Test func revenueTracesBackToTheLead() throws {
        var loop = OpportunityLedger()
        try loop.open(opportunity("O1", amount: Decimal(string: "12000.10") ?? 0), isKnownLead: leads.contains)
        try loop.open(opportunity("O2", amount: 5000), isKnownLead: leads.contains)
        try loop.open(opportunity("O3", amount: 800, currency: "USD"), isKnownLead: leads.contains)
        try loop.open(opportunity("O4", lead: "L2", amount: 999), isKnownLead: leads.contains)
        try loop.move("O1", toStage: "proposal")
        #expect(loop.opportunities["O1"]?.stage == "proposal")
        try loop.close("O1", with: OpportunityOutcome(result: .won, amount: Decimal(string: "11500.25") ?? 0, closedAt: Flow.at(2026, 12, 15)))
        try loop.close("O2", with: OpportunityOutcome(result: .lost, amount: 5000, closedAt: Flow.at(2026, 12, 1), lossReason: "price"))
        let trace = loop.revenue(forLead: "L1")
        #expect(trace.opportunities.map(\.id) == ["O1", "O2", "O3"])
        // Decimal keeps cents exact: 11500.25 won, not 11500.2500000001.
        #expect(trace.won == ["EUR": Decimal(string: "11500.25") ?? 0])
        #expect(trace.lost == ["EUR": 5000])
        #expect(trace.pipeline == ["USD": 800])
        #expect(loop.opportunities["O1"]?.stage == "closed_won")
        #expect(loop.wonRevenue == ["EUR": Decimal(string: "11500.25") ?? 0])
        #expect(loop.revenue(forLead: "L2").pipeline == ["EUR": 999])
    }

    @Test func brokenLinksAreRejected() throws {
        var loop = OpportunityLedger()
        #expect(throws: OpportunityError.unknownLead(leadID: "L9", opportunityID: "O1")) {
            try loop.open(opportunity("O1", lead: "L9", amount: 1), isKnownLead: leads.contains)
        }
        try loop.open(opportunity("O1", amount: 1), isKnownLead: leads.contains)
        #expect(throws: OpportunityError.duplicateOpportunity(id: "O1")) {
            try loop.open(opportunity("O1", amount: 1), isKnownLead: leads.contains)
        }
        #expect(throws: OpportunityError.invalidAmount(id: "O2", amount: "-5")) {
            try loop.open(opportunity("O2", amount: -5), isKnownLead: leads.contains)
        }
        #expect(throws: OpportunityError.invalidCurrency(id: "O2", currency: "eur")) {
            try loop.open(opportunity("O2", amount: 5, currency: "eur"), isKnownLead: leads.contains)
        }
        #expect(throws: OpportunityError.unknownOpportunity(id: "O7")) {
            try loop.close("O7", with: OpportunityOutcome(result: .won, amount: 1, closedAt: opened))
        }
        let early = Flow.at(2026, 10, 1)
        #expect(throws: OpportunityError.closedBeforeOpened(id: "O1", closedAt: early, openedAt: opened)) {
            try loop.close("O1", with: OpportunityOutcome(result: .won, amount: 1, closedAt: early))
        }
        try loop.close("O1", with: OpportunityOutcome(result: .lost, amount: 1, closedAt: opened))
        #expect(throws: OpportunityError.alreadyClosed(id: "O1")) {
            try loop.close("O1", with: OpportunityOutcome(result: .won, amount: 1, closedAt: opened))
        }
        #expect(throws: OpportunityError.alreadyClosed(id: "O1")) { try loop.move("O1", toStage: "negotiation") }
        #expect("\(OpportunityError.unknownLead(leadID: "L9", opportunityID: "O1"))".contains("import the lead first"))
    }
}
