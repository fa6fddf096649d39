import Foundation
import HandoffFlow
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /leads/{id}` shows the lead's account and the evidence of the match (issue 16), on
/// SQLite and PostgreSQL alike.
@Suite struct LeadAccountRouteTests {
    static func created(_ id: String, lead: String, fields extra: [String: String]) -> InboundEvent {
        var fields = ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": "4", "demo_requests": "1"]
        fields.merge(extra) { _, new in new }
        return InboundEvent(
            eventID: id, kind: .leadCreated, occurredAt: ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z") ?? .distantPast, leadID: lead,
            body: .lead(.init(fields: fields)))
    }

    @Test(arguments: DecisionsRouteTests.Backend.available)
    func theLeadReadShowsItsAccountAndEvidence(backend: DecisionsRouteTests.Backend) async throws {
        try await DecisionsRouteTests.withService(backend) { running in
            let engine = await running.service.runtime.current()
            _ = try await engine.apply(Self.created("e-1", lead: "L1", fields: ["email": "ann@initech.com", "company": "Initech, Inc."]))
            _ = try await engine.apply(Self.created("e-2", lead: "L2", fields: ["email": "bo@gmail.com", "company": "INITECH"]))
            _ = try await engine.apply(Self.created("e-3", lead: "L3", fields: ["email": "cy@gmail.com"]))
            let app = Application(router: running.service.router())
            let sales = ServiceFixture.auth(running.tokens[.sales])
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/leads/L2", method: .get, headers: sales)
                #expect(response.status == .ok)
                let account = try #require(ServiceFixture.json(response.body)["account"] as? [String: Any])
                #expect(account["id"] as? String == "domain:initech.com")
                #expect(account["name"] as? String == "initech" && account["display_name"] as? String == "Initech, Inc.")
                #expect(account["domains"] as? [String] == ["initech.com"])
                #expect(account["contacts"] as? Int == 2 && account["other_contacts"] as? [String] == ["L1"])
                let match = try #require(account["match"] as? [String: Any])
                #expect(match["rule"] as? String == "company_name" && match["value"] as? String == "initech")
                #expect(match["score"] as? Double == 1 && match["matched_name"] is NSNull)
                #expect(match["linked_at"] as? String == "2026-03-02T10:00:00Z")
                let none = try await client.execute(uri: "/leads/L3", method: .get, headers: sales)
                #expect(ServiceFixture.json(none.body)["account"] is NSNull, "free mail and no company: no account, and the key is written")
            }
        }
    }
}
