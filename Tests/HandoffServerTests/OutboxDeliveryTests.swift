import Foundation
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 14's outbound half: the outbox delivers CRM write-backs in HubSpot's and Salesforce's
/// own REST shapes to a fake CRM that checks them, retries 429/5xx with backoff (never before
/// `Retry-After`), dead-letters a 400 at once with the CRM's text, lists and replays rows over
/// the API, and reports per-endpoint health.
@Suite(.serialized) struct OutboxDeliveryTests {
    static func writeBackFile(in folder: URL, _ yaml: String) throws -> String {
        let token = folder.appendingPathComponent("crm-token").path
        try FakeCRM.bearer.write(toFile: token, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: token)
        let file = folder.appendingPathComponent("crm-writeback.yaml").path
        try (yaml + "\ntoken_file: \(token)\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func lead(_ n: Int, fields extra: [String: Any] = [:]) -> [String: Any] {
        var fields: [String: Any] = ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4, "demo_requests": 1]
        for (k, v) in extra { fields[k] = v }
        return ServiceFixture.event("e-\(n)", "lead_created", lead: "L\(n)", at: "2026-03-02T10:00:00Z", ["fields": fields])
    }

    @Test func hubSpotWriteBackRetriesDeadLettersAndReplays() async throws {
        let crm = FakeCRM()
        try await crm.start()
        defer { Task { await crm.stop() } }
        let port = await crm.port
        let rateLimited = #"{"status":"error","message":"You have reached your secondly limit.","category":"RATE_LIMITS"}"#
        let invalid =
            #"{"status":"error","message":"Property values were not valid: baton_stage was not one of the allowed options","category":"VALIDATION_ERROR"}"#
        await crm.queue("/crm/v3/objects/contacts/L1", [.init(status: 429, headers: ["Retry-After": "120"], body: rateLimited), .init(status: 500)])
        await crm.queue("/crm/v3/objects/contacts/L2", [.init(status: 400, body: invalid)])
        let clock = TestClock("2026-03-02T10:00:05Z")
        let running = try await ServiceFixture.service(clock: clock) { c in
            let folder = URL(fileURLWithPath: c.db ?? "").deletingLastPathComponent()
            c.crmWriteback = try? Self.writeBackFile(
                in: folder,
                """
                vendor: hubspot
                base_url: http://127.0.0.1:\(port)
                properties: {baton_stage: stage, baton_points: points, baton_owner: owner, baton_sla_due: sla_due, baton_priority: priority}
                """)
            c.defaultChannel = AlertChannel(kind: .webhook, url: "http://127.0.0.1:\(port)/alerts")
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            for n in [1, 2] {
                let r = try await client.execute(
                    uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]), body: ServiceFixture.body(Self.lead(n)))
                #expect(r.status == .created)
            }
        }
        let store = running.service.store
        let deliverer = running.service.deliverer
        #expect(await deliverer.deliverDue() == 2, "the two new-high-priority alerts; both write-backs fail")

        let limited = try #require(try await store.outboxEntry(id: "e-1/crm-writeback")).alert
        #expect(limited.state == .failed && limited.attempts == 1)
        #expect(limited.nextAttemptAt == clock.now.addingTimeInterval(120), "Retry-After 120 s beats the 5 s backoff")
        #expect(limited.lastError?.contains("HTTP 429") == true && limited.lastError?.contains("secondly limit") == true)
        let dead = try #require(try await store.outboxEntry(id: "e-2/crm-writeback")).alert
        #expect(dead.state == .dead && dead.attempts == 1, "a 400 will never succeed as sent")
        #expect(dead.lastError?.contains("HTTP 400") == true && dead.lastError?.contains("VALIDATION_ERROR") == true)

        #expect(await deliverer.deliverDue() == 0)
        #expect(await crm.patches("/crm/v3/objects/contacts/L1").count == 1, "nothing before Retry-After")
        clock.set("2026-03-02T10:02:05Z")
        #expect(await deliverer.deliverDue() == 0)  // the 500
        #expect(try await store.outboxEntry(id: "e-1/crm-writeback")?.alert.nextAttemptAt == clock.now.addingTimeInterval(10), "second backoff step")
        clock.set("2026-03-02T10:02:15Z")
        #expect(await deliverer.deliverDue() == 1)
        #expect(try await store.outboxEntry(id: "e-1/crm-writeback")?.alert.state == .delivered)

        let sent = await crm.patches("/crm/v3/objects/contacts/L1")
        #expect(sent.count == 3)
        for request in sent {
            #expect(request.headers["authorization"] == "Bearer \(FakeCRM.bearer)")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: [String: String]])
            let properties = try #require(body["properties"])
            #expect(properties["baton_stage"] == "sql" && properties["baton_owner"] == "ana" && properties["baton_priority"] == "high")
            #expect(properties["baton_sla_due"]?.hasPrefix("2026-03-02T11:00:00") == true, "high intent: first touch within 1 h")
            #expect(Int(properties["baton_points"] ?? "") != nil)
        }

        // The API: list the dead row, replay it, refuse a second send of a delivered one.
        try await app.test(.router) { client in
            let admin = ServiceFixture.auth(running.tokens[.admin])
            let list = try await client.execute(uri: "/outbox?state=dead", method: .get, headers: admin)
            #expect(list.status == .ok)
            let entries = ServiceFixture.json(list.body)["entries"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["id"] as? String } == ["e-2/crm-writeback"])
            #expect(entries.first?["endpoint"] as? String == "crm_writeback" && entries.first?["type"] as? String == "io.baton.lead.changed")
            #expect(
                try await client.execute(uri: "/outbox?state=dead", method: .get, headers: ServiceFixture.auth(running.tokens[.marketing])).status
                    == .forbidden)
            #expect(try await client.execute(uri: "/outbox?state=lost", method: .get, headers: admin).status == .badRequest)

            let page = String(buffer: try await client.execute(uri: "/dashboard?week=2026-W10&fragment=1", method: .get, headers: admin).body)
            #expect(
                page.contains(#"data-metric="outbox-crm_writeback-dead">1<"#) && page.contains("crm_writeback ⚠"),
                "the dead row shows on the dashboard")
            let replay = try await client.execute(uri: "/outbox/e-2%2Fcrm-writeback/replay", method: .post, headers: admin)
            #expect(replay.status == .accepted)
            #expect(ServiceFixture.json(replay.body)["state"] as? String == "pending")
            #expect(await deliverer.deliverDue() == 1, "the CRM accepts it now")
            #expect(try await client.execute(uri: "/outbox/e-2%2Fcrm-writeback/replay", method: .post, headers: admin).status == .conflict)
            #expect(try await client.execute(uri: "/outbox/nope/replay", method: .post, headers: admin).status == .notFound)

            let health = try await client.execute(uri: "/outbox/endpoints", method: .get, headers: admin)
            let endpoints = ServiceFixture.json(health.body)["endpoints"] as? [[String: Any]] ?? []
            let writeBack = try #require(endpoints.first { $0["endpoint"] as? String == "crm_writeback" })
            #expect(writeBack["undelivered"] as? Int == 0 && writeBack["dead"] as? Int == 0 && writeBack["consecutive_failures"] as? Int == 0)
            #expect(writeBack["last_delivered_at"] is String)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: admin).body)
            #expect(metrics.contains(#"baton_outbox_endpoint_last_success_timestamp_seconds{endpoint="crm_writeback"}"#))
            #expect(metrics.contains("baton_outbox_dead 0") && metrics.contains(#"baton_outbox_dead_letter_total{kind="crm-writeback"} 1"#))
        }
        #expect(await crm.patches("/crm/v3/objects/contacts/L2").count == 2)
    }

    @Test func salesforceWriteBackUsesTheRESTShapeAndRefusesALeadWithoutRecordID() async throws {
        let crm = FakeCRM()
        try await crm.start()
        defer { Task { await crm.stop() } }
        let port = await crm.port
        let running = try await ServiceFixture.service(clock: TestClock("2026-03-02T10:00:05Z")) { c in
            let folder = URL(fileURLWithPath: c.db ?? "").deletingLastPathComponent()
            c.knownFields.append("sfdc_id")
            c.crmWriteback = try? Self.writeBackFile(
                in: folder,
                """
                vendor: salesforce
                base_url: http://127.0.0.1:\(port)/
                record_id: field:sfdc_id
                handoff_link_base: https://baton.example.com
                properties:
                  Baton_Score__c: score
                  Baton_Points__c: points
                  Baton_Stage__c: stage
                  Baton_Owner__c: owner
                  Baton_Handoff_URL__c: handoff_url
                """)
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            for event in [Self.lead(1, fields: ["sfdc_id": "00Q5e00000AbCdEFGH"]), Self.lead(2)] {
                let r = try await client.execute(
                    uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]), body: ServiceFixture.body(event))
                #expect(r.status == .created)
            }
        }
        #expect(await running.service.deliverer.deliverDue() == 1)
        let sent = await crm.patches("/services/data/v60.0/sobjects/Lead/00Q5e00000AbCdEFGH")
        #expect(sent.count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(sent.first?.body.utf8 ?? "".utf8)) as? [String: Any])
        #expect(body["Baton_Stage__c"] as? String == "sql" && body["Baton_Owner__c"] as? String == "ana")
        #expect(body["Baton_Score__c"] is NSNumber && body["Baton_Points__c"] is NSNumber, "numbers as JSON numbers")
        #expect(body["Baton_Handoff_URL__c"] as? String == "https://baton.example.com/leads/L1")
        let refused = try #require(try await running.service.store.outboxEntry(id: "e-2/crm-writeback")).alert
        #expect(refused.state == .dead && refused.lastError?.contains("sfdc_id") == true, "\(refused.lastError ?? "")")
    }

    @Test func badWriteBackFilesNameTheKeyAndTheFix() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-writeback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String)] = [
            ("vendor: zoho\nbase_url: https://x.example\nproperties: {a: stage}", "vendor"),
            ("vendor: hubspot\nbase_url: ftp://x.example\nproperties: {a: stage}", "base_url"),
            ("vendor: hubspot\nbase_url: https://x.example\nproperties: {a: stag}", "did you mean `stage`"),
            ("vendor: hubspot\nbase_url: https://x.example\nproperties: {\"a b\": stage}", "properties.a b"),
            ("vendor: hubspot\nbase_url: https://x.example\nproperties: {a: handoff_url}", "handoff_link_base"),
            ("vendor: hubspot\nbase_url: https://x.example\nproprties: {a: stage}", "did you mean `properties`"),
            ("vendor: salesforce\nbase_url: https://x.example\napi_version: 60\nproperties: {a: stage}", "api_version"),
            ("vendor: hubspot\nbase_url: https://x.example\nrecord_id: email\nproperties: {a: stage}", "record_id"),
        ]
        for (yaml, expected) in cases {
            let file = try Self.writeBackFile(in: folder, yaml)
            do {
                _ = try CRMWriteBack.load(file: file, environment: [:])
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect(error.description.contains(expected) && error.description.contains(file), "\(error.description)")
            }
        }
        let file = try Self.writeBackFile(in: folder, "vendor: hubspot\nbase_url: https://x.example\nproperties: {a: stage}")
        #expect(try CRMWriteBack.load(file: file, environment: [:]).properties.map(\.name) == ["a"])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.appendingPathComponent("crm-token").path)
        do {
            _ = try CRMWriteBack.load(file: file, environment: [:])
            Issue.record("a world-readable token file was accepted")
        } catch { #expect(error.description.contains("chmod 600")) }
    }
}
