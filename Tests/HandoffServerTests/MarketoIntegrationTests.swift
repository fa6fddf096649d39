import Foundation
import HandoffIntegrations
import PostgresTestSupport
import TestSupport
import Testing

/// The shipped Marketo webhook templates (`Notebooks-md/marketo/`), rendered as Marketo renders
/// them (``MarketoTemplateRenderer``), through the real `baton serve` with the bundled playbook
/// and a model fitted on the bundled data: a person created in Marketo is scored, qualified and
/// routed; engagement counts; a call sent twice is one event; refusals store nothing.
@Suite(.serialized) struct MarketoIntegrationTests {
    static let secret = "7c1e4f0a9b2d8e3c6a5f1d0b7e4c9a2f"
    static let zone = TimeZone(identifier: "America/Chicago")!

    struct Service {
        let process: ServeProcess
        let token: String

        func call(_ body: String, secret: String? = MarketoIntegrationTests.secret) async -> (status: Int, json: [String: Any]) {
            var headers = ["Content-Type": "application/json"]
            if let secret { headers[MarketoWebhook.secretHeader] = secret }
            guard let answer = await process.send("POST", "/integrations/marketo", headers: headers, body: Data(body.utf8)) else { return (0, [:]) }
            return (answer.status, (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:])
        }

        func lead(_ id: String) async -> (status: Int, json: [String: Any]) {
            guard let answer = await process.request("GET", "/leads/\(id)", token: token) else { return (0, [:]) }
            return (answer.status, (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:])
        }

        func leadCount() async -> Int {
            guard let answer = await process.request("GET", "/leads?limit=500", token: token),
                let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
            else { return -1 }
            return (json["leads"] as? [Any])?.count ?? -1
        }
    }

    /// A model fitted on the bundled training data (the README's `baton fit`), once per run.
    static let model: Result<String, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-marketo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("model.json").path
        let root = SharedData.projectRoot
        let fit = Process()
        fit.executableURL = ServeProcess.executable
        fit.arguments = [
            "fit", "--data", root.appendingPathComponent("Datasets/leads_train.csv").path, "--spec",
            root.appendingPathComponent("Datasets/leads.spec.yaml").path, "--out", out,
        ]
        fit.standardOutput = FileHandle.nullDevice
        try fit.run()
        fit.waitUntilExit()
        guard fit.terminationStatus == 0 else { throw FixtureError("baton fit on Datasets/leads_train.csv failed (\(fit.terminationStatus))") }
        return out
    }

    static func withService(db: String?, _ body: (Service) async throws -> Void) async throws {
        let model = try await BlockingWork.run { try Self.model.get() }
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let secretFile = files.folder.appendingPathComponent("marketo-secret").path
        try (Self.secret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
        let config = files.folder.appendingPathComponent("serve.json").path
        let settings: [String: Any] = [
            "marketo_secret_file": secretFile, "marketo_time_zone": zone.identifier, "known_fields": ["email", "first_name", "last_name", "company"],
            // The fixtures are dated in the past: a scheduler turn during a slow run would fire their SLA steps.
            "tick_interval_seconds": 86_400,
        ]
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: config))
        let playbook = SharedData.projectRoot.appendingPathComponent("Datasets/playbook.yaml").path
        let process = try await ServeProcess.start(arguments: ["--db", db ?? files.db, "--playbook", playbook, "--model", model, "--config", config])
        defer { process.stop() }
        try await body(Service(process: process, token: try #require(process.printedToken)))
    }

    static func render(_ template: String, _ person: [String: MarketoTemplateRenderer.Value], at seconds: Double) throws -> String {
        let text = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("Notebooks-md/marketo/\(template)"), encoding: .utf8)
        return try MarketoTemplateRenderer(values: person, now: Date(timeIntervalSince1970: seconds), timeZone: zone).render(text)
    }

    /// A buyer the bundled model likes (the README walkthrough's lead), as Marketo holds it.
    static let person: [String: MarketoTemplateRenderer.Value] = [
        "lead.Id": .number(4242), "lead.Email Address": .text("ana@acme.example"), "lead.First Name": .text("Ana"),
        "lead.Last Name": .text("Lima"), "company.Company Name": .text("Acme \"Rockets\" & Co"), "lead.Company Size": .text("201-1000"),
        "lead.Industry": .text("software"), "lead.Region": .text("north_america"), "lead.Job Seniority": .text("director"),
        "lead.Budget Authority": .text("yes"), "lead.Purchase Timeline": .text("0-3_months"), "lead.Lead Source": .text("event"),
        "lead.Department": .text("sales"), "lead.Current Solution": .text("spreadsheet"), "lead.Product Interest": .text("core"),
        "lead.Acquisition Program Name": .text("2026 Spring Webinar Series"),
    ]

    /// 2026-11-24 15:53:21 in Chicago.
    static let created = 1_795_557_201.0

    static func statuses(_ json: [String: Any]) -> [String] { (json["results"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String } }

    static func scenario(_ service: Service) async throws {
        // Refused calls store nothing: no secret, another secret, a template quoting a string token
        // (Marketo adds the quotes), a time the clocks skip in Chicago.
        let createdBody = try render("person-created.json", person, at: created)
        var answer = await service.call(createdBody, secret: nil)
        #expect(answer.status == 401 && (answer.json["error"] as? [String: Any])?["code"] as? String == "missing_header", "\(answer.json)")
        answer = await service.call(createdBody, secret: String(secret.reversed()))
        #expect(answer.status == 401 && (answer.json["error"] as? [String: Any])?["code"] as? String == "bad_secret", "\(answer.json)")
        let quoted = createdBody.replacingOccurrences(of: #""email": "ana"#, with: #""email": ""ana"#)
        answer = await service.call(quoted)
        #expect(answer.status == 400 && (answer.json["error"] as? [String: Any])?["field"] as? String == "(body)", "\(answer.json)")
        answer = await service.call(createdBody.replacingOccurrences(of: "2026-11-24 15:53:21", with: "2026-03-08 02:30:00"))
        #expect(answer.status == 400 && (answer.json["error"] as? [String: Any])?["field"] as? String == "occurred_at", "\(answer.json)")
        #expect(await service.leadCount() == 0)

        // "Person is Created": scored, qualified and handed off at once.
        answer = await service.call(createdBody)
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied"], "\(answer.json)")
        let effects = ((answer.json["results"] as? [[String: Any]])?.first?["effects"] as? [String]) ?? []
        #expect(effects.contains { $0.contains("qualified") } && effects.contains { $0.contains("handed off") }, "\(effects)")
        var lead = await service.lead("marketo-4242")
        #expect(lead.status == 200 && !(lead.json["score"] is NSNull), "\(lead.json)")
        let fields = (lead.json["lead"] as? [String: Any])?["fields"] as? [String: String] ?? [:]
        #expect(fields["company"] == "Acme \"Rockets\" & Co" && fields["region"] == "north_america", "\(fields)")
        // {{system.dateTime}} in Chicago is 21:53:21Z.
        #expect(((lead.json["lead"] as? [String: Any])?["created_at"] as? String)?.hasPrefix("2026-11-24T21:53:21") == true, "\(lead.json)")

        // The same call again (a proxy's retry): one event.
        answer = await service.call(createdBody)
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["duplicate"], "\(answer.json)")

        // Engagement: counted once per call, a repeat is a duplicate.
        let visit = try render("engagement.json", person, at: created + 600)
        answer = await service.call(visit)
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied"], "\(answer.json)")
        answer = await service.call(visit)
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["duplicate"], "\(answer.json)")
        lead = await service.lead("marketo-4242")
        let timeline = lead.json["timeline"] as? [[String: Any]] ?? []
        let visits = timeline.filter { ($0["kind"] as? String) == "engagement" && ($0["at"] as? String) == "2026-11-24T22:03:21Z" }
        #expect(visits.count == 1, "\(timeline)")

        // "Data Value Changes": a blank field stays as it was; a changed one is merged.
        var moved = person
        moved["lead.Region"] = .text("")
        moved["lead.Purchase Timeline"] = .text("3-6_months")
        answer = await service.call(try render("person-updated.json", moved, at: created + 900))
        #expect(answer.status == 200 && Self.statuses(answer.json) == ["applied"], "\(answer.json)")
        lead = await service.lead("marketo-4242")
        let after = (lead.json["lead"] as? [String: Any])?["fields"] as? [String: String] ?? [:]
        #expect(after["region"] == "north_america" && after["purchase_timeline"] == "3-6_months", "\(after)")

        // An engagement for a person Baton does not hold: refused by the flow, nothing stored.
        var stranger = person
        stranger["lead.Id"] = .number(9999)
        answer = await service.call(try render("engagement.json", stranger, at: created + 60))
        #expect(answer.status == 422 && Self.statuses(answer.json) == ["rejected"], "\(answer.json)")
        #expect(await service.leadCount() == 1)
    }

    @Test func aPersonCreatedInMarketoIsScoredRoutedAndEngagedOnSQLite() async throws {
        try await Self.withService(db: nil, Self.scenario)
    }
}

@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)) struct MarketoIntegrationPostgresTests {
    @Test func theSameScenarioOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            try await MarketoIntegrationTests.withService(db: ScratchPostgres.url(of: location), MarketoIntegrationTests.scenario)
        }
    }
}
