import Foundation
import HandoffPersistence
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandoffServer

/// Tokens may expire (issue 20: "tokens never expire"), and `/ready` proves a write.
@Suite struct TokenExpiryTests {
    @Test func anExpiredTokenIsRefusedSayingSoAndListedAsExpired() async throws {
        let clock = TestClock("2026-03-02T10:00:00Z")
        let running = try await ServiceFixture.service(clock: clock)
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let admin = ServiceFixture.auth(running.tokens[.admin])
            let issued = try await client.execute(
                uri: "/tokens", method: .post, headers: admin,
                body: ServiceFixture.body(["name": "crm", "role": "ingest", "expires_at": "2026-03-02T12:00:00+01:00"]))
            #expect(issued.status == .created)
            let answer = ServiceFixture.json(issued.body)
            #expect(answer["expires_at"] as? String == "2026-03-02T11:00:00Z", "normalised to UTC")
            let crm = try #require(answer["token"] as? String)
            let forever = ServiceFixture.json(
                try await client.execute(uri: "/tokens", method: .post, headers: admin, body: ServiceFixture.body(["name": "bi", "role": "sales"]))
                    .body)
            #expect(forever["expires_at"] is NSNull, "null: never")

            #expect(try await client.execute(uri: "/openapi.yaml", method: .get, headers: ServiceFixture.auth(crm)).status == .ok)
            clock.set("2026-03-02T10:59:59Z")
            #expect(try await client.execute(uri: "/openapi.yaml", method: .get, headers: ServiceFixture.auth(crm)).status == .ok)
            clock.set("2026-03-02T11:00:00Z")
            let refused = try await client.execute(uri: "/openapi.yaml", method: .get, headers: ServiceFixture.auth(crm))
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.wwwAuthenticate] == #"Bearer realm="baton", error="invalid_token""#)
            let error = try #require(ServiceFixture.json(refused.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == "token_expired")
            #expect((error["message"] as? String)?.contains("'crm' expired at 2026-03-02T11:00:00Z") == true)
            // An expired token writes nothing either.
            let event = ServiceFixture.body(
                ServiceFixture.event(
                    "x-1", "lead_created", lead: "X1", at: "2026-03-02T10:00:00Z",
                    ["fields": ["company_size": "1-10", "budget_authority": "no", "region": "na", "email_opens": 0]]))
            #expect(try await client.execute(uri: "/events", method: .post, headers: ServiceFixture.auth(crm), body: event).status == .unauthorized)
            #expect(try await running.service.store.lead(id: "X1") == nil)

            let list = ServiceFixture.json(try await client.execute(uri: "/tokens", method: .get, headers: admin).body)
            let entries = try #require(list["tokens"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as? String ?? "", $0) })
            #expect(byName["crm"]?["expired"] as? Bool == true)
            #expect(byName["crm"]?["expires_at"] as? String == "2026-03-02T11:00:00Z")
            #expect(byName["bi"]?["expired"] as? Bool == false)
            #expect(byName["bi"]?["expires_at"] is NSNull)
            // Revoked and issued again under the same name, it works.
            #expect(try await client.execute(uri: "/tokens/crm", method: .delete, headers: admin).status == .noContent)
        }
    }

    @Test(arguments: [
        ("2026-03-02T09:59:59Z", 422, "not in the future"), ("2026-03-02T10:00:00Z", 422, "not in the future"),
        ("2026-02-30T10:00:00Z", 400, "RFC 3339"), ("tomorrow", 400, "RFC 3339"),
    ])
    func anExpiryThatIsNotAFutureInstantIsRefused(expiresAt: String, status: Int, message: String) async throws {
        let running = try await ServiceFixture.service(clock: TestClock("2026-03-02T10:00:00Z"))
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/tokens", method: .post, headers: ServiceFixture.auth(running.tokens[.admin]),
                body: ServiceFixture.body(["name": "crm", "role": "ingest", "expires_at": expiresAt]))
            #expect(response.status.code == status)
            let error = ServiceFixture.json(response.body)["error"] as? [String: Any]
            #expect((error?["field"] as? String)?.hasSuffix("expires_at") == true)
            #expect((error?["message"] as? String)?.contains(message) == true, "\(String(describing: error))")
            #expect(try await running.service.tokens.all().map(\.name).contains("crm") == false)
        }
    }

    @Test func readyAnswersWithoutATokenAfterAWrite() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/ready", method: .get)
            #expect(response.status == .ok)
            #expect(ServiceFixture.json(response.body)["status"] as? String == "ready")
            let post = try await client.execute(uri: "/ready", method: .post)
            #expect(post.status == .methodNotAllowed)
        }
    }
}
