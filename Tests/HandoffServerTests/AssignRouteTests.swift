import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /leads/{id}/assign` (issue 21 item 5): the way out of the fallback queue, for the
/// sales-manager role only, answered as `/events` answers the `assign` event it stands for.
@Suite struct AssignRouteTests {
    @Test func aSalesManagerTakesAParkedLeadOutOfTheQueue() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let manager = try await running.service.tokens.issue(name: "lee", role: .salesManager)
        let app = Application(router: running.service.router())
        let created = ServiceFixture.body(
            ServiceFixture.event(
                "e-1", "lead_created", lead: "L1", at: "2026-03-02T10:00:00Z",
                ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "apac", "demo_requests": "0", "email_opens": "2"]]))
        try await app.test(.router) { client in
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            let parked = try await client.execute(uri: "/events", method: .post, headers: ingest, body: created)
            #expect(parked.status == .created)
            #expect(String(buffer: parked.body).contains("parked in sales-triage"))

            let body = ServiceFixture.body(["rep_id": "kai", "event_id": "mgr-1", "occurred_at": "2026-03-02T10:30:00Z"])
            let asSales = try await client.execute(
                uri: "/leads/L1/assign", method: .post, headers: ServiceFixture.auth(running.tokens[.sales]), body: body)
            #expect(asSales.status == .forbidden)
            let headers = ServiceFixture.auth(manager)
            let assigned = try await client.execute(uri: "/leads/L1/assign", method: .post, headers: headers, body: body)
            #expect(assigned.status == .created, "\(String(buffer: assigned.body))")
            let answer = ServiceFixture.json(assigned.body)
            #expect(answer["status"] as? String == "applied" && answer["event_id"] as? String == "mgr-1")
            let effects = (answer["effects"] as? [String]) ?? []
            #expect(effects.first == "lead L1: assigned by hand to kai by lee (from fallback queue 'sales-triage')", "\(effects)")
            #expect(effects.contains { $0.hasPrefix("lead L1 handed off to kai (high); first touch due 2026-03-02T11:30:00Z") }, "\(effects)")
            // The same request again is a duplicate; the store holds one assignment to kai.
            let again = try await client.execute(uri: "/leads/L1/assign", method: .post, headers: headers, body: body)
            #expect(again.status == .ok && ServiceFixture.json(again.body)["status"] as? String == "duplicate")
            let timeline = try #require(try await running.service.store.leadTimeline(leadID: "L1"))
            #expect(timeline.assignments.map(\.target) == [.fallbackQueue("sales-triage"), .rep("kai")])
            #expect(timeline.assignments.last?.rule == "manual:lee")

            // Refusals name the field.
            let holder = try await client.execute(
                uri: "/leads/L1/assign", method: .post, headers: headers,
                body: ServiceFixture.body(["rep_id": "kai", "occurred_at": "2026-03-02T10:40:00Z"]))
            #expect(holder.status == .unprocessableContent)
            #expect(String(buffer: holder.body).contains(#""field":"rep_id""#) && String(buffer: holder.body).contains("already holds"))
            let unknown = try await client.execute(
                uri: "/leads/L9/assign", method: .post, headers: headers, body: ServiceFixture.body(["rep_id": "kai"]))
            #expect(unknown.status == .unprocessableContent && String(buffer: unknown.body).contains(#""field":"lead_id""#))
            let pathOwned = try await client.execute(
                uri: "/leads/L1/assign", method: .post, headers: headers, body: ServiceFixture.body(["rep_id": "ana", "lead_id": "L2"]))
            #expect(pathOwned.status == .badRequest && String(buffer: pathOwned.body).contains(#""field":"lead_id""#))
            let noRep = try await client.execute(
                uri: "/leads/L1/assign", method: .post, headers: headers, body: ServiceFixture.body([String: String]()))
            #expect(noRep.status == .badRequest && String(buffer: noRep.body).contains("rep_id"))
            let array = try await client.execute(uri: "/leads/L1/assign", method: .post, headers: headers, body: ByteBuffer(string: "[]"))
            #expect(array.status == .badRequest)
            let broken = try await client.execute(uri: "/leads/L1/assign", method: .post, headers: headers, body: ByteBuffer(string: "{\"rep_id\":"))
            #expect(broken.status == .badRequest && String(buffer: broken.body).contains("line 1"))
            #expect(try await running.service.store.leadTimeline(leadID: "L1")?.assignments.count == 2)
        }
    }
}
