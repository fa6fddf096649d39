import Foundation
import HandoffPersistence
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandoffServer

@Suite struct AuthTests {
    @Test func everyRouteButHealthRefusesMissingAndUnknownTokens() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let router = running.service.router()
        let routes = router.routes.map { ($0.method, "\($0.path)") }
        #expect(routes.count >= 12)
        let app = Application(router: router)
        try await app.test(.router) { client in
            for (method, path) in routes {
                let concrete = path.replacingOccurrences(of: "{id}", with: "x").replacingOccurrences(of: "{sha}", with: "x")
                    .replacingOccurrences(of: "{name}", with: "x")
                for token in [nil, "bt_" + String(repeating: "0", count: 64)] {
                    let response = try await client.execute(uri: concrete, method: method, headers: ServiceFixture.auth(token))
                    if ["/health", "/ready", "/dashboard/manifest.webmanifest", "/dashboard/sw.js", "/dashboard/icon.svg"].contains(concrete) {
                        // Probes, and the dashboard's web app files (static, no data; a browser fetches them without a token).
                        #expect(response.status == .ok)
                    } else if concrete.hasPrefix("/actions/") {
                        // A push button's signed token is its credential (NtfyPushTests); no bearer
                        // token is asked for, and without push channels there are no buttons (404).
                        #expect(response.status == .notFound && response.headers[.wwwAuthenticate] == nil, "\(method) \(concrete)")
                    } else if concrete.hasPrefix("/integrations/") {
                        // Vendors authenticate by their own mechanism (HubSpotIntegrationTests): no
                        // bearer token is asked for, and a request without the vendor's headers is a 401.
                        // Salesforce sends no credential: its organisation id is checked (404 SOAP fault unconfigured).
                        let expected: HTTPResponse.Status = concrete == "/integrations/salesforce" ? .notFound : .unauthorized
                        #expect(response.status == expected && response.headers[.wwwAuthenticate] == nil, "\(method) \(concrete)")
                    } else {
                        #expect(response.status == .unauthorized, "\(method) \(concrete) without a valid token")
                        // The session exchange reads its token from the form, so a header token is not "presented" there.
                        let presented = token != nil && concrete != "/dashboard/session"
                        let challenge = presented ? #"Bearer realm="baton", error="invalid_token""# : #"Bearer realm="baton""#
                        #expect(response.headers[.wwwAuthenticate] == challenge)
                        let error = ServiceFixture.json(response.body)["error"] as? [String: Any]
                        #expect(error?["field"] as? String == "Authorization")
                    }
                }
            }
        }
    }

    @Test func rolesDecideWhatATokenMayDo() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            // (role, method, path, allowed)
            let cases: [(Role, HTTPRequest.Method, String, Bool)] = [
                (.marketing, .get, "/models", true), (.marketing, .post, "/models/rollback", false),
                (.sales, .get, "/sla", true), (.sales, .post, "/events", false),
                (.ingest, .post, "/events", true), (.ingest, .get, "/sla", false),
                (.ingest, .get, "/metrics", false), (.admin, .get, "/metrics", true),
                (.sales, .get, "/tokens", false), (.admin, .get, "/tokens", true),
            ]
            for (role, method, path, allowed) in cases {
                let body =
                    method == .post && path == "/events"
                    ? ServiceFixture.body(
                        ServiceFixture.event(
                            "e-\(role)", "lead_created", lead: "L-\(role)", at: "2026-03-02T10:00:00Z",
                            ["fields": ["company_size": "1-10", "budget_authority": "no", "region": "na", "email_opens": 0]])) : nil
                let response = try await client.execute(uri: path, method: method, headers: ServiceFixture.auth(running.tokens[role]), body: body)
                if allowed {
                    #expect(response.status.code < 400, "\(role) \(method) \(path) → \(response.status) \(ServiceFixture.json(response.body))")
                } else {
                    #expect(response.status == .forbidden, "\(role) \(method) \(path) → \(response.status)")
                }
            }
        }
    }

    @Test func tokensAreStoredHashedAndIssuedOnce() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let stored = try await running.service.store.accessTokens()
        #expect(stored.map(\.name) == ["admin", "ingest", "marketing", "sales"])
        for (role, token) in running.tokens {
            #expect(token.hasPrefix("bt_") && token.count == 67)
            let record = try #require(stored.first { $0.name == role.rawValue })
            #expect(record.role == role.rawValue)
            #expect(record.sha256 == TokenRegistry.hash(token))
            #expect(!stored.contains { $0.sha256.contains(token) || $0.name.contains(token) })
        }
        // SHA-256("abc") from FIPS 180-2, so the stored hash is the standard one.
        #expect(TokenRegistry.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // No token file is written any more.
        #expect(!FileManager.default.fileExists(atPath: running.files.db + ".tokens.json"))
        // A second start over the same store issues no new admin token.
        let (_, again) = try await HandoffService.open(running.service.configuration)
        #expect(again == nil)
        #expect(try await running.service.store.accessTokens() == stored)
    }

    /// A store from before tokens moved into it: the old `<db>.tokens.json` is imported once
    /// (hashes kept, so the tokens in use still work), renamed, and no admin token is issued.
    @Test func anOldTokenFileIsImportedOnceAndRenamed() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let legacy = files.db + ".tokens.json"
        let oldAdmin = "bt_" + String(repeating: "a1", count: 32)
        let oldIngest = "bt_" + String(repeating: "b2", count: 32)
        let text = """
            [{"createdAt": "2026-01-05T08:00:00Z", "name": "admin", "role": "admin", "sha256": "\(TokenRegistry.hash(oldAdmin))"},
             {"createdAt": "2026-01-06T09:30:00Z", "name": "crm", "role": "ingest", "sha256": "\(TokenRegistry.hash(oldIngest))"}]
            """
        try text.write(toFile: legacy, atomically: true, encoding: .utf8)
        let (service, printed) = try await HandoffService.open(ServiceFixture.configuration(files))
        #expect(printed == nil, "the imported admin token is kept; no new one")
        #expect(!FileManager.default.fileExists(atPath: legacy))
        #expect(FileManager.default.fileExists(atPath: legacy + ".imported"))
        let stored = try await service.store.accessTokens()
        #expect(
            stored == [
                AccessTokenRecord(
                    name: "admin", role: "admin", sha256: TokenRegistry.hash(oldAdmin), createdAt: Date(timeIntervalSince1970: 1_767_600_000)),
                AccessTokenRecord(
                    name: "crm", role: "ingest", sha256: TokenRegistry.hash(oldIngest), createdAt: Date(timeIntervalSince1970: 1_767_691_800)),
            ])
        #expect(try await service.tokens.authenticate(oldIngest, at: Date())?.role == .ingest)
        #expect(try await service.tokens.authenticate(oldAdmin, at: Date())?.name == "admin")
        #expect(try await service.tokens.authenticate(oldAdmin + "0", at: Date()) == nil)
        // Started again (even with a stale copy of the file back in place): nothing changes.
        try text.write(toFile: legacy, atomically: true, encoding: .utf8)
        _ = try await service.tokens.revoke(name: "crm")
        let (again, printedAgain) = try await HandoffService.open(ServiceFixture.configuration(files))
        #expect(printedAgain == nil)
        #expect(try await again.store.accessTokens().map(\.name) == ["admin"], "the revoked token is not brought back")
    }

    @Test func aBrokenOldTokenFileStopsTheStartWithItsName() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        try "{not json".write(toFile: files.db + ".tokens.json", atomically: true, encoding: .utf8)
        do {
            _ = try await HandoffService.open(ServiceFixture.configuration(files))
            Issue.record("a token file that cannot be read must stop the start")
        } catch {
            #expect(error.description.contains(files.db + ".tokens.json"))
            guard case .tokens = error else {
                Issue.record("expected a token-file error (exit 65), got \(error)")
                return
            }
        }
    }

    /// Issue 20: `DELETE /tokens/admin` removed the last admin token, with no way back over HTTP.
    @Test func theLastAdminTokenCannotBeRevoked() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let admin = ServiceFixture.auth(running.tokens[.admin])
            let names = try await running.service.tokens.all().filter { $0.role == .admin }.map(\.name)
            try #require(names.count == 1)
            let refused = try await client.execute(uri: "/tokens/\(names[0])", method: .delete, headers: admin)
            #expect(refused.status == .conflict)
            #expect((ServiceFixture.json(refused.body)["error"] as? [String: Any])?["code"] as? String == "last_admin_token")
            let second = try await client.execute(
                uri: "/tokens", method: .post, headers: admin, body: ServiceFixture.body(["name": "ops", "role": "admin"]))
            #expect(second.status == .created)
            #expect(try await client.execute(uri: "/tokens/\(names[0])", method: .delete, headers: admin).status == .noContent)
        }
    }

    @Test func issuedTokensWorkAndRevokedOnesDoNot() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let admin = ServiceFixture.auth(running.tokens[.admin])
            let bad = try await client.execute(
                uri: "/tokens", method: .post, headers: admin, body: ServiceFixture.body(["name": "crm", "role": "owner"]))
            #expect(bad.status == .badRequest)
            #expect((ServiceFixture.json(bad.body)["error"] as? [String: Any])?["field"] as? String == "role")
            let made = try await client.execute(
                uri: "/tokens", method: .post, headers: admin, body: ServiceFixture.body(["name": "crm", "role": "ingest"]))
            #expect(made.status == .created)
            let token = try require(ServiceFixture.json(made.body)["token"] as? String)
            let ok = try await client.execute(uri: "/openapi.yaml", method: .get, headers: ServiceFixture.auth(token))
            #expect(ok.status == .ok)
            #expect(try await client.execute(uri: "/tokens/crm", method: .delete, headers: admin).status == .noContent)
            let revoked = try await client.execute(uri: "/openapi.yaml", method: .get, headers: ServiceFixture.auth(token))
            #expect(revoked.status == .unauthorized)
        }
    }
}

extension AuthTests {
    @Test func theDashboardCookieOpensOnlyTheDashboard() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let admin = try require(running.tokens[.admin])
        try await app.test(.router) { client in
            let cookie: HTTPFields = [.cookie: "baton_token=\(admin)"]
            let page = try await client.execute(uri: "/dashboard", method: .get, headers: cookie)
            #expect(page.status == .ok)
            let write = try await client.execute(uri: "/models/rollback", method: .post, headers: cookie)
            #expect(write.status == .unauthorized)
            let query = try await client.execute(uri: "/sla?token=\(admin)", method: .get)
            #expect(query.status == .unauthorized)
        }
    }
}
