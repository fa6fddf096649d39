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
            guard let decisions = try await self.store.leadDecisions(leadID: id) else {
                throw APIError.notFound("lead '\(id)' is not stored; send its lead_created event first")
            }
            return JSONResponse.make(decisions)
        }
    }
}
