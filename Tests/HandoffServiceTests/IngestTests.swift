import Foundation
import HandoffStore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import HandoffService

@Suite struct IngestTests {
    static var created: [String: Any] { ServiceFixture.event("e-1", "lead_created", lead: "L1", at: "2026-03-02T10:00:00Z",
        ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4, "demo_requests": 1],
         "source": "webinar", "campaign": "spring"]) }

    @Test func singleEventIsAppliedOnceAndRetriesAreDuplicates() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(Self.created))
            let body = ServiceFixture.json(first.body)
            #expect(first.status == .created, "\(body)")
            #expect(body["status"] as? String == "applied")
            let again = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(Self.created))
            #expect(again.status == .ok)
            #expect(ServiceFixture.json(again.body)["status"] as? String == "duplicate")
        }
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 1 && counts.events == 1 && counts.scores == 1 && counts.assignments == 1)
    }
}
