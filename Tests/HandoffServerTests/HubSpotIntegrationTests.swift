import Foundation
import HandoffIntegrations
import PostgresTestSupport
import TestSupport
import Testing

/// HubSpot-shaped webhook deliveries through the real `baton serve` on loopback: the issue's
/// "done when" (a contact created, then updated property by property, is scored, qualified and
/// routed once complete), the documented refusals (each storing nothing), replays, merges and
/// deletions.
@Suite(.serialized) struct HubSpotIntegrationTests {
    static let secret = "4f1c7b8e-hubspot-client-secret"
    static let portal: Int64 = 62515
    static let mapping = """
        hubspot:
          numberofemployees:
            field: company_size
            ranges:
              - {below: 11, value: "1-10"}
              - {from: 1000, value: "1000+"}
            otherwise: "1-10"
          budget_authority: {field: budget_authority, values: {"true": "yes", "false": "no"}}
          hs_email_open: email_opens
          country: {field: region, values: {United States: na, Germany: emea}}
        """

    /// A running service with the integration configured, on `db` (an SQLite file when nil).
    struct Service {
        let process: ServeProcess
        let token: String
        var uri: String { "http://127.0.0.1:\(process.port)/integrations/hubspot" }

        /// POSTs `events` signed as HubSpot signs them, `ageSeconds` before now.
        func deliver(
            _ events: [[String: Any]], ageSeconds: Double = 0, secret: String = HubSpotIntegrationTests.secret, raw: Data? = nil
        ) async
            -> (status: Int, json: [String: Any])
        {
            let body = raw ?? ((try? JSONSerialization.data(withJSONObject: events, options: [.sortedKeys])) ?? Data())
            let timestamp = String(Int64((Date().timeIntervalSince1970 - ageSeconds) * 1000))
            let signature = HubSpotSignature.sign(method: "POST", uri: uri, body: body, timestamp: timestamp, clientSecret: secret)
            let headers = ["Content-Type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": timestamp]
            guard let answer = await process.send("POST", "/integrations/hubspot", headers: headers, body: body) else { return (0, [:]) }
            return (answer.status, (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:])
        }

        func lead(_ id: String, _ tail: String = "") async -> (status: Int, json: [String: Any]) {
            guard let answer = await process.request("GET", "/leads/\(id)\(tail)", token: token) else { return (0, [:]) }
            return (answer.status, (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:])
        }
    }

    /// One HubSpot event with the reference's keys (`occurredAt` `seconds` after a fixed instant).
    static func event(_ id: Int64, _ type: String, object: Int64, seconds: Int64, _ extra: [String: Any] = [:]) -> [String: Any] {
        var e: [String: Any] = [
            "eventId": id, "subscriptionId": 25, "portalId": portal, "appId": 1_160_452, "occurredAt": 1_772_442_000_000 + seconds * 1000,
            "subscriptionType": type, "attemptNumber": 0, "objectId": object, "changeSource": "CRM",
        ]
        for (k, v) in extra { e[k] = v }
        return e
    }

    static func change(_ id: Int64, object: Int64, seconds: Int64, _ property: String, _ value: String) -> [String: Any] {
        event(id, "contact.propertyChange", object: object, seconds: seconds, ["propertyName": property, "propertyValue": value])
    }

    static func withService(db: String?, _ body: (Service) async throws -> Void) async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let mappingFile = files.folder.appendingPathComponent("mapping.yaml").path
        try Self.mapping.write(toFile: mappingFile, atomically: true, encoding: .utf8)
        let secretFile = files.folder.appendingPathComponent("hubspot-secret").path
        try Self.secret.write(toFile: secretFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
        let config = files.folder.appendingPathComponent("serve.json").path
        let settings: [String: Any] = [
            "known_fields": ["region", "demo_requests"], "field_mapping": mappingFile, "hubspot_client_secret_file": secretFile,
            "hubspot_portal_id": portal,
            // The fixtures are dated in the past: a scheduler turn during a slow run would fire their SLA steps.
            "tick_interval_seconds": 86_400,
        ]
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: config))
        let process = try await ServeProcess.start(
            arguments: ["--db", db ?? files.db, "--playbook", files.playbook, "--model", files.model, "--config", config])
        defer { process.stop() }
        try await body(Service(process: process, token: try #require(process.printedToken)))
    }

    static func statuses(_ json: [String: Any]) -> [String] { (json["results"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String } }

    static func scenario(_ service: Service) async throws {
        // Created, then one property per delivery: stored incomplete, no score.
        var answer = await service.deliver([
            Self.event(1, "contact.creation", object: 1001, seconds: 0), Self.change(2, object: 1001, seconds: 1, "numberofemployees", "5000"),
        ])
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied", "applied"], "\(answer.json)")
        var lead = await service.lead("hubspot-1001")
        #expect(lead.status == 200)
        #expect(lead.json["missing_fields"] as? [String] == ["budget_authority", "email_opens"], "\(lead.json)")
        #expect(lead.json["score"] is NSNull && lead.json["scores"] as? Int == 0)
        #expect((lead.json["lead"] as? [String: Any])?["fields"] as? [String: String] == ["company_size": "1000+"])

        answer = await service.deliver([Self.change(3, object: 1001, seconds: 2, "budget_authority", "true")])
        let third = (answer.json["results"] as? [[String: Any]])?.first
        #expect(answer.status == 200 && third?["missing_fields"] as? [String] == ["email_opens"], "\(answer.json)")
        // An unmapped property and a cleared one are skipped, with the reason, and change nothing.
        answer = await service.deliver([
            Self.change(4, object: 1001, seconds: 3, "hs_lastmodifieddate", "1772442003000"), Self.change(5, object: 1001, seconds: 3, "country", ""),
        ])
        #expect(answer.status == 200 && Self.statuses(answer.json).isEmpty && (answer.json["skipped"] as? [Any])?.count == 2, "\(answer.json)")

        // The last fields: scored, qualified (SQL: 1000+ with budget), routed to the NA rep.
        let last: [[String: Any]] = [
            Self.change(6, object: 1001, seconds: 4, "country", "United States"), Self.change(7, object: 1001, seconds: 5, "hs_email_open", "3"),
        ]
        answer = await service.deliver(last)
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied", "applied"], "\(answer.json)")
        let effects = ((answer.json["results"] as? [[String: Any]])?.last?["effects"] as? [String]) ?? []
        #expect(effects.contains { $0.contains("sql") } && effects.contains { $0.contains("ana") }, "\(effects)")
        lead = await service.lead("hubspot-1001")
        #expect(lead.json["missing_fields"] as? [String] == [] && lead.json["scores"] as? Int == 1, "\(lead.json)")
        #expect((lead.json["qualification"] as? [String: Any])?["stage"] as? String == "sql")
        #expect((lead.json["assignments"] as? [[String: Any]])?.count == 1)

        // HubSpot's retry of the same delivery (new timestamp, same events): duplicates, nothing new.
        answer = await service.deliver(last)
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["duplicate", "duplicate"], "\(answer.json)")
        #expect(await service.lead("hubspot-1001").json["scores"] as? Int == 1)

        // Refusals store nothing: a forged signature, an old timestamp, another portal, a body that is not the array.
        let newContact = [Self.event(20, "contact.creation", object: 2002, seconds: 10)]
        answer = await service.deliver(newContact, secret: "not the client secret")
        #expect(answer.status == 401 && (answer.json["error"] as? [String: Any])?["code"] as? String == "bad_signature", "\(answer.json)")
        answer = await service.deliver(newContact, ageSeconds: 600)
        #expect(answer.status == 401 && (answer.json["error"] as? [String: Any])?["code"] as? String == "stale_timestamp", "\(answer.json)")
        var foreign = newContact
        foreign[0]["portalId"] = 99
        answer = await service.deliver(foreign)
        #expect(answer.status == 403 && (answer.json["error"] as? [String: Any])?["field"] as? String == "[0].portalId", "\(answer.json)")
        answer = await service.deliver([], raw: Data(#"{"eventId": 20}"#.utf8))
        #expect(answer.status == 400 && (answer.json["error"] as? [String: Any])?["code"] as? String == "malformed_delivery", "\(answer.json)")
        #expect(await service.lead("hubspot-2002").status == 404)

        // A merge: contact 3003 merged into 1001; a later change for 3003 lands on 1001.
        answer = await service.deliver([
            Self.event(30, "contact.merge", object: 1001, seconds: 20, ["primaryObjectId": 1001, "mergedObjectIds": [3003]]),
            Self.change(31, object: 3003, seconds: 21, "hs_email_open", "4"),
        ])
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied", "applied"], "\(answer.json)")
        lead = await service.lead("hubspot-1001")
        #expect(((lead.json["lead"] as? [String: Any])?["fields"] as? [String: String])?["email_opens"] == "4", "\(lead.json)")
        #expect(await service.lead("hubspot-3003").status == 404)

        // A merge of two contacts Baton holds is a Baton merge: one lead from then on, on record both ways.
        answer = await service.deliver([
            Self.event(32, "contact.creation", object: 5005, seconds: 22), Self.change(33, object: 5005, seconds: 22, "hs_email_open", "2"),
        ])
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied", "applied"], "\(answer.json)")
        answer = await service.deliver([
            Self.event(34, "contact.merge", object: 1001, seconds: 23, ["primaryObjectId": 1001, "mergedObjectIds": [5005]])
        ])
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied"], "\(answer.json)")
        let merged = await service.lead("hubspot-5005", "/decisions")
        #expect(merged.json["merged_into"] as? String == "hubspot-1001", "\(merged.json)")
        let survivor = await service.lead("hubspot-1001", "/decisions")
        #expect((survivor.json["merges"] as? [[String: Any]])?.first?["rule"] as? String == "crm", "\(survivor.json)")
        // A merge that made a new record: the new survivor is created, the contact Baton holds is
        // merged into it, and the one it never saw becomes the alias note.
        _ = await service.deliver([Self.event(35, "contact.creation", object: 6006, seconds: 24)])
        answer = await service.deliver([
            Self.event(36, "contact.merge", object: 6006, seconds: 25, ["primaryObjectId": 6006, "mergedObjectIds": [6007], "newObjectId": 6099])
        ])
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied", "applied", "applied"], "\(answer.json)")
        #expect(await service.lead("hubspot-6006", "/decisions").json["merged_into"] as? String == "hubspot-6099")
        #expect(await service.lead("hubspot-6007").status == 404)

        // Deletions: recorded on a stored lead, skipped (with the reason) for one Baton never saw.
        answer = await service.deliver([
            Self.event(40, "contact.deletion", object: 1001, seconds: 30), Self.event(41, "contact.deletion", object: 4004, seconds: 30),
        ])
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied"], "\(answer.json)")
        #expect(((answer.json["skipped"] as? [[String: Any]])?.first?["reason"] as? String)?.contains("not stored") == true, "\(answer.json)")
        #expect(await service.lead("hubspot-4004").status == 404)
    }

    @Test func aContactBuiltByWebhooksIsScoredQualifiedAndRoutedOnSQLite() async throws {
        try await Self.withService(db: nil) { service in try await Self.scenario(service) }
    }

    @Test func withoutItsSecretTheRouteIsAbsentAndBadMappingsStopTheStart() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let config = files.folder.appendingPathComponent("serve.json").path
        try #"{"known_fields": ["region", "demo_requests"]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = ["--db", files.db, "--playbook", files.playbook, "--model", files.model, "--config", config]
        let process = try await ServeProcess.start(arguments: arguments)
        let unsigned = await process.send("POST", "/integrations/hubspot", headers: ["Content-Type": "application/json"], body: Data("[]".utf8))
        let answer = await process.send(
            "POST", "/integrations/hubspot",
            headers: ["Content-Type": "application/json", "X-HubSpot-Signature-v3": "eA==", "X-HubSpot-Request-Timestamp": "1"], body: Data("[]".utf8)
        )
        process.stop()
        #expect(unsigned?.status == 401)
        #expect(answer?.status == 404)
        let text = String(decoding: answer?.body ?? Data(), as: UTF8.self)
        #expect(text.contains("hubspot_client_secret_file"), "\(text)")

        // A mapping naming a field neither the model nor the playbook reads stops the start, naming
        // the file, the line and the nearest known fields.
        let mapping = files.folder.appendingPathComponent("mapping.yaml").path
        try "hubspot:\n  numberofemployees: company_sise\n".write(toFile: mapping, atomically: true, encoding: .utf8)
        let bad = files.folder.appendingPathComponent("bad.json").path
        try #"{"known_fields": ["region", "demo_requests"], "field_mapping": "\#(mapping)"}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await BlockingWork.run {
            try PythonTooling.run(
                ServeProcess.executable.path, ["serve", "--port", "0", "--db", files.db, "--playbook", files.playbook, "--config", bad])
        }
        #expect(refused.status != 0, "\(refused.output)")
        #expect(
            refused.output.contains("mapping.yaml line 2: `hubspot.numberofemployees` maps to field `company_sise`")
                && refused.output.contains("`company_size`"), "\(refused.output)")
    }
}

@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)) struct HubSpotIntegrationPostgresTests {
    @Test func theSameScenarioOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            try await HubSpotIntegrationTests.withService(db: ScratchPostgres.url(of: location)) { service in
                try await HubSpotIntegrationTests.scenario(service)
            }
        }
    }
}
