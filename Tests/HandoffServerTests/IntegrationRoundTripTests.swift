import Foundation
import HandoffIntegrations
import PostgresTestSupport
import TestSupport
import Testing

/// Issue 14's "done when", end to end through the real `baton serve`: a HubSpot contact created
/// and then updated through HubSpot-shaped webhooks is scored, qualified, routed, announced by a
/// signed CloudEvents webhook and written back to a HubSpot-shaped fake CRM; the same with a
/// Salesforce outbound message and the Salesforce REST write-back.
@Suite(.serialized) struct IntegrationRoundTripTests {
    static let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// Starts the service with both vendors in, `vendor`'s write-back to `crm`, and every alert
    /// as a signed webhook to the same fake.
    static func withService(
        db: String?, vendor: String, crm: FakeCRM, _ body: (ServeProcess) async throws -> Void
    ) async throws {
        let port = await crm.port
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let mappingFile = files.folder.appendingPathComponent("mapping.yaml").path
        try (HubSpotIntegrationTests.mapping + "\n" + SalesforceIntegrationTests.mapping).write(
            toFile: mappingFile, atomically: true, encoding: .utf8)
        let hubspotSecret = files.folder.appendingPathComponent("hubspot-secret").path
        try HubSpotIntegrationTests.secret.write(toFile: hubspotSecret, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: hubspotSecret)
        let signing = try WebhookSigningTests.secretFile(in: files.folder)
        let writeBack = try OutboxDeliveryTests.writeBackFile(
            in: files.folder,
            """
            vendor: \(vendor)
            base_url: http://127.0.0.1:\(port)
            strip_prefix: "\(vendor)-"
            properties: {\(vendor == "hubspot" ? "baton_stage: stage, baton_owner: owner, baton_score: score" : "Baton_Stage__c: stage, Baton_Owner__c: owner")}
            """)
        let config = files.folder.appendingPathComponent("serve.json").path
        let settings: [String: Any] = [
            "known_fields": ["region", "demo_requests"], "field_mapping": mappingFile, "hubspot_client_secret_file": hubspotSecret,
            "hubspot_portal_id": HubSpotIntegrationTests.portal, "salesforce_organization_id": "00D5e000000KQ2e", "salesforce_currency": "EUR",
            "crm_writeback": writeBack, "webhook_secret_file": signing,
            "default_channel": ["kind": "webhook", "url": "http://127.0.0.1:\(port)/alerts"],
            "delivery_interval_seconds": 0.1,
            // The fixtures are dated in the past: a scheduler turn during a slow run would fire their SLA steps.
            "tick_interval_seconds": 86_400,
        ]
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: config))
        let process = try await ServeProcess.start(
            arguments: ["--db", db ?? files.db, "--playbook", files.playbook, "--model", files.model, "--config", config])
        defer { process.stop() }
        try await body(process)
    }

    /// Waits (up to ~20 s) until `crm` holds a request on `path`.
    static func awaitRequest(_ crm: FakeCRM, method: String, path: String) async throws -> [FakeCRM.Request] {
        for _ in 0..<200 {
            let seen = await crm.requests.filter { $0.method == method && $0.path == path }
            if !seen.isEmpty { return seen }
            try await Task.sleep(for: .milliseconds(100))
        }
        return []
    }

    /// The alert webhook: Standard Webhooks headers, a structured CloudEvent about `lead`.
    static func checkAlert(_ crm: FakeCRM, lead: String) async throws {
        let alerts = try await awaitRequest(crm, method: "POST", path: "/alerts")
        let alert = try #require(alerts.first, "no alert webhook arrived")
        #expect(alert.headers["webhook-id"]?.hasPrefix("msg_") == true && alert.headers["webhook-signature"]?.hasPrefix("v1,") == true)
        #expect(Int(alert.headers["webhook-timestamp"] ?? "") != nil)
        #expect(alert.headers["content-type"] == "application/cloudevents+json; charset=utf-8")
        let event = try #require(try JSONSerialization.jsonObject(with: Data(alert.body.utf8)) as? [String: Any])
        #expect(event["specversion"] as? String == "1.0" && (event["type"] as? String)?.hasPrefix("io.baton.") == true, "\(event)")
        #expect(event["subject"] as? String == lead, "\(event)")
    }

    static func hubSpot(db: String?) async throws {
        let crm = FakeCRM()
        try await crm.start()
        defer { Task { await crm.stop() } }
        try await withService(db: db, vendor: "hubspot", crm: crm) { process in
            let service = HubSpotIntegrationTests.Service(process: process, token: try #require(process.printedToken))
            typealias H = HubSpotIntegrationTests
            // Created, then one property per delivery, as HubSpot sends them.
            let deliveries: [[[String: Any]]] = [
                [H.event(1, "contact.creation", object: 1001, seconds: 0)],
                [H.change(2, object: 1001, seconds: 1, "numberofemployees", "5000")],
                [H.change(3, object: 1001, seconds: 2, "budget_authority", "true")],
                [H.change(4, object: 1001, seconds: 3, "country", "United States")],
                [H.change(5, object: 1001, seconds: 4, "hs_email_open", "3")],
            ]
            for events in deliveries {
                let answer = await service.deliver(events)
                #expect(answer.status == 200 && H.statuses(answer.json) == ["applied"], "\(answer.json)")
            }
            let patches = try await awaitRequest(crm, method: "PATCH", path: "/crm/v3/objects/contacts/1001")
            let last = try #require(patches.last, "no write-back reached the fake HubSpot")
            #expect(last.headers["authorization"] == "Bearer \(FakeCRM.bearer)")
            let properties = (try JSONSerialization.jsonObject(with: Data(last.body.utf8)) as? [String: Any])?["properties"] as? [String: String]
            #expect(properties?["baton_stage"] == "sql" && properties?["baton_owner"] == "ana", "\(last.body)")
            #expect(Double(properties?["baton_score"] ?? "") != nil, "\(last.body)")
            try await checkAlert(crm, lead: "hubspot-1001")
        }
    }

    static func salesforce(db: String?) async throws {
        let crm = FakeCRM()
        try await crm.start()
        defer { Task { await crm.stop() } }
        try await withService(db: db, vendor: "salesforce", crm: crm) { process in
            typealias S = SalesforceIntegrationTests
            let message = S.envelope(
                S.notification(
                    "04l5e00000Gx7QzAAJ", "Lead",
                    [
                        ("Id", "00Q5e00000AbCdE"), ("NumberOfEmployees", "2500"), ("Budget_Authority__c", "true"), ("Email_Opens__c", "3"),
                        ("Country", "United States"), ("LastModifiedDate", "2026-03-02T10:00:00.000Z"),
                    ]))
            let answer = await process.send("POST", "/integrations/salesforce", headers: ["Content-Type": "text/xml; charset=utf-8"], body: message)
            #expect(answer?.status == 200 && String(decoding: answer?.body ?? Data(), as: UTF8.self).contains("<Ack>true</Ack>"))
            let path = "/services/data/v60.0/sobjects/Lead/00Q5e00000AbCdEEAV"
            let patches = try await awaitRequest(crm, method: "PATCH", path: path)
            let last = try #require(patches.last, "no write-back reached the fake Salesforce")
            let object = try JSONSerialization.jsonObject(with: Data(last.body.utf8)) as? [String: String]
            #expect(object?["Baton_Stage__c"] == "sql" && object?["Baton_Owner__c"] == "ana", "\(last.body)")
            try await checkAlert(crm, lead: "salesforce-00Q5e00000AbCdEEAV")
        }
    }

    @Test func aHubSpotContactIsScoredRoutedAnnouncedAndWrittenBack() async throws { try await Self.hubSpot(db: nil) }
    @Test func aSalesforceLeadIsScoredRoutedAnnouncedAndWrittenBack() async throws { try await Self.salesforce(db: nil) }
}

@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)) struct IntegrationRoundTripPostgresTests {
    @Test func bothVendorsOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            try await IntegrationRoundTripTests.hubSpot(db: ScratchPostgres.url(of: location))
        }
        try await ScratchPostgres.withEmptyDatabase { location in
            try await IntegrationRoundTripTests.salesforce(db: ScratchPostgres.url(of: location))
        }
    }
}
