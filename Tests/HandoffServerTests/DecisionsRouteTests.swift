import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffServer
import Hummingbird
import HummingbirdTesting
import PostgresTestSupport
import Testing

/// `GET /leads/{id}/decisions` (issue 16): the lead's decision ledger, on SQLite and PostgreSQL alike.
@Suite struct DecisionsRouteTests {
    enum Backend: String, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
        static var available: [Backend] { ScratchPostgres.isExpected ? [.sqlite, .postgres] : [.sqlite] }
    }

    static func withService(_ backend: Backend, _ body: (ServiceFixture.Running) async throws -> Void) async throws {
        switch backend {
        case .sqlite:
            let running = try await ServiceFixture.service()
            defer { running.files.remove() }
            try await body(running)
        case .postgres:
            try await ScratchPostgres.withEmptyDatabase { location in
                let running = try await ServiceFixture.service { $0.db = ScratchPostgres.url(of: location) }
                defer { running.files.remove() }
                try await body(running)
            }
        }
    }

    static func created(_ id: String, lead: String, region: String) -> InboundEvent {
        InboundEvent(
            eventID: id, kind: .leadCreated, occurredAt: ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z") ?? .distantPast,
            leadID: lead,
            body: .lead(
                .init(fields: ["company_size": "1000+", "budget_authority": "yes", "region": region, "email_opens": "4", "demo_requests": "1"])))
    }

    @Test(arguments: Backend.available)
    func theLedgerSaysWhoGotTheLeadAndWhyTheOthersDidNot(backend: Backend) async throws {
        try await Self.withService(backend) { running in
            _ = try await running.service.runtime.current().apply(Self.created("e-1", lead: "L1", region: "na"))
            _ = try await running.service.runtime.current().apply(Self.created("e-2", lead: "L2", region: "apac"))
            let app = Application(router: running.service.router())
            let sales = ServiceFixture.auth(running.tokens[.sales])
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/leads/L1/decisions", method: .get, headers: sales)
                #expect(response.status == .ok)
                let body = ServiceFixture.json(response.body)
                #expect(body["lead_id"] as? String == "L1")
                #expect(body["count"] as? Int == 2)
                let decisions = try #require(body["decisions"] as? [[String: Any]])
                #expect(decisions.map { $0["kind"] as? String } == ["routing", "sla"])
                #expect(decisions[0]["sla"] is NSNull && decisions[1]["routing"] is NSNull, "every key is written")
                let routing = try #require(decisions[0]["routing"] as? [String: Any])
                #expect(routing["rep_id"] as? String == "ana")
                let candidates = try #require(routing["candidates"] as? [[String: Any]])
                #expect(candidates.map { $0["rep_id"] as? String } == ["ana", "kai"])
                #expect(candidates.map { $0["reason"] as? String } == ["weight", "territory"])
                #expect(candidates[1]["detail"] as? String == "rule `territory` needs territory `na`; the rep lists emea")
                let sla = try #require(decisions[1]["sla"] as? [String: Any])
                #expect(sla["first_touch_deadline"] as? String == "2026-03-02T11:00:00Z")
                #expect((sla["remaining"] as? [[String: Any]])?.first?["business_seconds"] as? Double == 3600)

                let parked = ServiceFixture.json(try await client.execute(uri: "/leads/L2/decisions", method: .get, headers: sales).body)
                let parkedRouting = try #require((parked["decisions"] as? [[String: Any]])?.first?["routing"] as? [String: Any])
                #expect(parkedRouting["outcome"] as? String == "queued" && parkedRouting["queue"] as? String == "sales-triage")

                let unknown = try await client.execute(uri: "/leads/nobody/decisions", method: .get, headers: sales)
                #expect(unknown.status == .notFound)
                #expect((ServiceFixture.json(unknown.body)["error"] as? [String: Any])?["code"] as? String == "not_found")
                let ingest = try await client.execute(uri: "/leads/L1/decisions", method: .get, headers: ServiceFixture.auth(running.tokens[.ingest]))
                #expect(ingest.status == .forbidden)
                let anonymous = try await client.execute(uri: "/leads/L1/decisions", method: .get, headers: [:])
                #expect(anonymous.status == .unauthorized)
                let control = try await client.execute(uri: "/leads/L%01/decisions", method: .get, headers: sales)
                #expect(control.status == .badRequest)
            }
        }
    }
}
