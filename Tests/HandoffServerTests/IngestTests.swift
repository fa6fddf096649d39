import Foundation
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct IngestTests {
    static var created: [String: Any] {
        ServiceFixture.event(
            "e-1", "lead_created", lead: "L1", at: "2026-03-02T10:00:00Z",
            [
                "fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4, "demo_requests": 1],
                "source": "webinar", "campaign": "spring",
            ])
    }

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

extension IngestTests {
    static func engagement(_ id: String, lead: String, at: String) -> [String: Any] {
        ServiceFixture.event(id, "engagement", lead: lead, at: at, ["event_type": "email_open", "content": "Pricing guide"])
    }

    @Test func batchReportsEachEventAndNamesTheFieldAtFault() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        let batch: [Any] = [
            Self.created,
            Self.engagement("e-2", lead: "L1", at: "2026-03-02T10:05:00Z"),
            ["event_id": "e-3", "type": "engagement", "lead_id": "L1", "occurred_at": "yesterday", "event_type": "email_open"],
            Self.created,  // retried inside the same batch
            ServiceFixture.event(
                "e-4", "contact_attempt", lead: "L1", at: "2026-03-02T10:30:00Z",
                ["rep_id": "zoe", "channel": "call", "outcome": "voicemail"]),
            ["event_id": "e-5", "type": "engagement", "occurred_at": "2026-03-02T10:06:00Z", "event_type": "email_open"],
        ]
        let batchBody = ServiceFixture.body(batch)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/events", method: .post, headers: ingest, body: batchBody)
            #expect(response.status == .ok)
            let body = ServiceFixture.json(response.body)
            let results = try require(body["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? String } == ["applied", "applied", "rejected", "duplicate", "rejected", "rejected"])
            func field(_ i: Int) -> String? { (results[i]["error"] as? [String: Any])?["field"] as? String }
            #expect(field(2) == "[2].occurred_at")
            #expect(field(4) == "[4].rep_id")
            #expect(field(5) == "[5].lead_id")
            #expect(body["counts"] as? [String: Int] == ["applied": 2, "duplicate": 1, "rejected": 3, "not_processed": 0])

            // A body that is not JSON names the body; a single bad event answers 400/422 with the field.
            let garbage = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ByteBuffer(string: "{\"event_id\": "))
            #expect(garbage.status == .badRequest)
            let missing = try await client.execute(
                uri: "/events", method: .post, headers: ingest,
                body: ServiceFixture.body(["event_id": "x", "type": "lead_created", "lead_id": "L9"]))
            #expect(missing.status == .badRequest)
            #expect((ServiceFixture.json(missing.body)["error"] as? [String: Any])?["field"] as? String == "occurred_at")
        }
        let counts = try await running.service.store.counts()
        #expect(counts.events == 2 && counts.leads == 1)
    }

    @Test func oversizedBodiesAndBatchesAreRefusedWith413() async throws {
        let running = try await ServiceFixture.service {
            $0.maxBodyBytes = 2_000
            $0.maxBatchEvents = 3
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        try await app.test(.router) { client in
            let big: [[String: Any]] = (0..<40).map { Self.engagement("e-\($0)", lead: "L1", at: "2026-03-02T10:05:00Z") }
            let tooLarge = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(big))
            #expect(tooLarge.status == .contentTooLarge)
            let four = (0..<4).map { Self.engagement("e-\($0)", lead: "L1", at: "2026-03-02T10:05:00Z") }
            let tooMany = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(four))
            #expect(tooMany.status == .contentTooLarge)
            #expect((ServiceFixture.json(tooMany.body)["error"] as? [String: Any])?["code"] as? String == "batch_too_large")
        }
        #expect(try await running.service.store.counts().events == 0)
    }

    /// Issue 20: ids with a space, `/`, `%` or non-ASCII were stored but `GET /leads/{id}` answered
    /// 404 (path parameters were not percent-decoded), and a NUL in an id was cut by SQLite.
    @Test func pathIdsArePercentDecodedAndHostileIdsRefused() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        let sales = ServiceFixture.auth(running.tokens[.sales])
        let admin = ServiceFixture.auth(running.tokens[.admin])
        let fields: [String: Any] = ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4, "demo_requests": 1]
        let id = "L 1/ä%b"
        let spaced = ServiceFixture.body(ServiceFixture.event("e-x", "lead_created", lead: id, at: "2026-03-02T10:00:00Z", ["fields": fields]))
        let nulBody = ServiceFixture.body(
            ServiceFixture.event("e-y", "lead_created", lead: "L-BASE\u{0}x", at: "2026-03-02T10:00:00Z", ["fields": fields]))
        let reusedBody = ServiceFixture.body(ServiceFixture.event("e-x", "lead_created", lead: "L2", at: "2026-03-02T10:00:00Z", ["fields": fields]))
        try await app.test(.router) { client in
            let made = try await client.execute(uri: "/events", method: .post, headers: ingest, body: spaced)
            #expect(made.status == .created)
            let read = try await client.execute(uri: "/leads/L%201%2F%C3%A4%25b", method: .get, headers: sales)
            #expect(read.status == .ok)
            #expect((ServiceFixture.json(read.body)["lead"] as? [String: Any])?["id"] as? String == id)
            for bad in ["L%00x", "L%0D%0ABcc:x", "%E0%A4%A"] {
                let response = try await client.execute(uri: "/leads/\(bad)", method: .get, headers: sales)
                #expect(response.status == .badRequest, "\(bad)")
                #expect((ServiceFixture.json(response.body)["error"] as? [String: Any])?["field"] as? String == "id")
            }
            let nul = try await client.execute(uri: "/events", method: .post, headers: ingest, body: nulBody)
            #expect(nul.status == .badRequest)
            // The same event id for another lead is a conflict, not a duplicate and not a new lead.
            let reused = try await client.execute(uri: "/events", method: .post, headers: ingest, body: reusedBody)
            #expect(reused.status == .conflict)
            #expect((ServiceFixture.json(reused.body)["error"] as? [String: Any])?["code"] as? String == "event_id_conflict")
            #expect(try await client.execute(uri: "/events", method: .post, headers: ingest, body: spaced).status == .ok)
            // A token named with a space can be revoked; a NUL in a name is a 400, not a 500.
            let named = try await client.execute(
                uri: "/tokens", method: .post, headers: admin, body: ServiceFixture.body(["name": "crm sync", "role": "ingest"]))
            #expect(named.status == .created)
            #expect(try await client.execute(uri: "/tokens/crm%20sync", method: .delete, headers: admin).status == .noContent)
            let nulName = try await client.execute(
                uri: "/tokens", method: .post, headers: admin, body: ServiceFixture.body(["name": "a\u{0}b", "role": "ingest"]))
            #expect(nulName.status == .badRequest)
        }
        #expect(try await running.service.store.counts().events == 1)
    }

    @Test func readsShowLeadRepHandoffsAndSLA() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        let sales = ServiceFixture.auth(running.tokens[.sales])
        try await app.test(.router) { client in
            _ = try await client.execute(
                uri: "/events", method: .post, headers: ingest,
                body: ServiceFixture.body([Self.created, Self.engagement("e-2", lead: "L1", at: "2026-03-02T10:05:00Z")]))
            let lead = ServiceFixture.json(try await client.execute(uri: "/leads/L1", method: .get, headers: sales).body)
            let score = try require(lead["score"] as? [String: Any])
            // Latest score after one email_open on top of the 4 in the fields: 5 opens.
            // log-odds = −3 + 1.2 + 0.9 + 0.05·5 = −0.65; points = 600 + 20/ln2 · (−0.65 − ln 50).
            let expected = 600 + 20 / log(2.0) * (-0.65 - log(50.0))
            #expect(abs((score["points"] as? Double ?? 0) - expected) < 1e-9)
            #expect(abs((score["probability"] as? Double ?? 0) - 1 / (1 + exp(0.65))) < 1e-12)
            let model = try require(score["model"] as? [String: Any])
            #expect(model["sha256"] as? String == (try ServiceFixture.weights().checksum()))
            #expect((lead["qualification"] as? [String: Any])?["stage"] as? String == "sql")
            let package = try require(lead["handoff_package"] as? [String: Any])
            #expect((package["assigned_to"] as? [String: Any])?["rep_id"] as? String == "ana")
            #expect(package["content_consumed"] as? [String] == ["Pricing guide"])
            // Created 10:00 with demo_requests 1 → high intent, 1 business hour (every hour counts).
            #expect(package["sla_deadline"] as? String == "2026-03-02T11:00:00Z")
            #expect((lead["timeline"] as? [Any])?.isEmpty == false)

            let handoffs = ServiceFixture.json(try await client.execute(uri: "/reps/ana/handoffs", method: .get, headers: sales).body)
            #expect(handoffs["count"] as? Int == 1)
            let none = ServiceFixture.json(try await client.execute(uri: "/reps/kai/handoffs", method: .get, headers: sales).body)
            #expect(none["count"] as? Int == 0)
            #expect(try await client.execute(uri: "/reps/zoe/handoffs", method: .get, headers: sales).status == .notFound)
            #expect(try await client.execute(uri: "/leads/nobody", method: .get, headers: sales).status == .notFound)

            let sla = ServiceFixture.json(try await client.execute(uri: "/sla", method: .get, headers: sales).body)
            #expect((sla["timers"] as? [String: Int])?["running"] == 1)
            #expect(sla["open_handoffs"] as? Int == 1)
        }
    }
}

extension IngestTests {
    /// Baton's own event shape stays complete: `integration` (which lets a lead be stored
    /// incomplete) is only set by the integration routes, and a lead_created without the model's
    /// fields is still a 422 naming them.
    @Test func eventsRefuseTheIntegrationMarkerAndIncompleteLeads() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        let marked = ServiceFixture.body(
            ServiceFixture.event(
                "e-9", "lead_created", lead: "L9", at: "2026-03-02T10:00:00Z", ["fields": ["company_size": "1000+"], "integration": "hubspot"]))
        let incomplete = ServiceFixture.body(
            ServiceFixture.event("e-10", "lead_created", lead: "L10", at: "2026-03-02T10:00:00Z", ["fields": ["company_size": "1000+"]]))
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/events", method: .post, headers: ingest, body: marked)
            let body = ServiceFixture.json(first.body)["error"] as? [String: Any] ?? [:]
            #expect(first.status == .badRequest, "\(body)")
            #expect(body["field"] as? String == "integration")
            #expect((body["message"] as? String)?.contains("only by Baton's integration routes") == true, "\(body)")
            let second = try await client.execute(uri: "/events", method: .post, headers: ingest, body: incomplete)
            let refusal = ServiceFixture.json(second.body)["error"] as? [String: Any] ?? [:]
            #expect(second.status == .unprocessableContent, "\(refusal)")
            #expect((refusal["message"] as? String)?.contains("lacks fields \"budget_authority\"") == true, "\(refusal)")
        }
        #expect(try await running.service.store.counts().leads == 0)
    }
}
