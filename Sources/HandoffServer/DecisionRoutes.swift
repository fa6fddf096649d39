import Foundation
import HandoffPersistence
import HandoffRules
import Hummingbird

extension HandoffService {
    /// `GET /leads/{id}/decisions`: the lead's decision ledger (issue 16).
    func addDecisionRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/leads/{id}/decisions") { _, context in
            _ = try context.require(.marketing, .sales, .salesManager)
            let id = try context.pathIdentifier("id")
            guard try await self.store.lead(id: id) != nil else {
                throw APIError.notFound("lead '\(id)' is not stored; send its lead_created event first")
            }
            let records = try await self.store.decisionLedger(leadID: id)
            let decisions = try records.map { record throws(StoreError) in try record.decoded() }
            return JSONResponse.make(LeadDecisions(leadID: id, count: decisions.count, decisions: decisions))
        }
    }
}

/// `GET /leads/{id}/decisions`: every routing decision and SLA transition of the lead, oldest first.
struct LeadDecisions: Encodable, Sendable {
    let leadID: String
    let count: Int
    let decisions: [DecisionLedgerEntry]

    enum CodingKeys: String, CodingKey {
        case count, decisions
        case leadID = "lead_id"
    }
}
