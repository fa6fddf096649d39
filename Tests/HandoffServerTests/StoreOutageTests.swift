import Foundation
import HandoffPersistence
import HandoffPostgres
import HandoffRules
import HandoffServer
import HandoffStores
import Hummingbird
import HummingbirdTesting
import PostgresTestSupport
import Testing

/// The PostgreSQL server goes away mid-run: requests fail with 503 and a JSON error, nothing
/// is half-written, and the service recovers by itself when the database is back.
@Suite(.enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote))
struct StoreOutageTests {
    @Test func aLostDatabaseAnswers503AndWritesNothing() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        try await ScratchPostgres.withEmptyDatabase { location in
            var options = PostgresHandoffStore.Options()
            options.leaseTimeoutSeconds = 1
            // A refused connection fails at once whatever this is; a generous bound keeps the
            // first connect from timing out on a loaded CI machine (it once took over 1 s there).
            options.connectTimeoutSeconds = 15
            // About one run in ten under load, a read during the outage below waits until the read
            // deadline gives it up (120 s by default; the wait is after the lease, probably on a
            // connection the termination ended unnoticed). A short deadline keeps that run from
            // taking two minutes; the request still answers 503.
            options.readTimeoutSeconds = 10
            options.retries = 0
            let store = try await PostgresHandoffStore.open(location, options: options)
            var configuration = ServiceFixture.configuration(files)
            configuration.db = ScratchPostgres.url(of: location)
            let playbook = try Playbook.load(url: URL(fileURLWithPath: files.playbook))
            let runtime = try await ModelRuntime(
                store: store, playbook: playbook, initialModel: URL(fileURLWithPath: files.model),
                knownFields: Set(configuration.knownFields))
            let tokens = TokenRegistry(store: store)
            let admin = try await tokens.issue(name: "admin", role: .admin)
            let service = HandoffService(configuration: configuration, store: store, runtime: runtime, tokens: tokens)
            let admission = try ScratchPostgres.adminLocation()
            let created = ServiceFixture.body(
                ServiceFixture.event(
                    "o-1", "lead_created", lead: "O1", at: "2026-03-02T10:00:00Z",
                    ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 1]]))
            let engaged = ServiceFixture.body(
                ServiceFixture.event("o-2", "engagement", lead: "O1", at: "2026-03-02T10:05:00Z", ["event_type": "email_open"]))
            let app = Application(router: service.router())
            try await app.test(.router) { client in
                let headers = ServiceFixture.auth(admin)
                #expect(try await client.execute(uri: "/events", method: .post, headers: headers, body: created).status == .created)

                // The database stops taking connections and ends the ones it has.
                try await ScratchPostgres.run(
                    admission,
                    [
                        "ALTER DATABASE \(location.database) ALLOW_CONNECTIONS false",
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(location.database)'",
                    ])
                for (method, uri, body) in [
                    (HTTPRequest.Method.post, "/events", engaged),
                    (.get, "/models", nil), (.get, "/tokens", nil),
                ] {
                    let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                    #expect(response.status == .serviceUnavailable, "\(method) \(uri)")
                    let error = ServiceFixture.json(response.body)["error"] as? [String: Any]
                    #expect(error?["code"] as? String == "store_unavailable", "\(method) \(uri)")
                    #expect((error?["message"] as? String)?.contains("unavailable") == true)
                }
                #expect(try await client.execute(uri: "/health", method: .get).status == .serviceUnavailable)

                // Back again: the service recovers without a restart, and the refused event was not
                // half-stored: it is applied now, not reported as a duplicate.
                try await ScratchPostgres.run(admission, ["ALTER DATABASE \(location.database) ALLOW_CONNECTIONS true"])
                let deadline = Date().addingTimeInterval(120)
                while Date() < deadline, try await client.execute(uri: "/health", method: .get).status != .ok {
                    try await Task.sleep(for: .milliseconds(200))
                }
                let retried = try await client.execute(uri: "/events", method: .post, headers: headers, body: engaged)
                #expect(retried.status == .created)
                #expect(try await store.counts().events == 2)
            }
            await store.close()
        }
    }
}
