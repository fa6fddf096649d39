import Foundation
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import PostgresTestSupport
import Testing

/// Issue 17: alerts reach a rep's phone through ntfy, as outbox rows, with buttons that come
/// back as signed, expiring, single-use action tokens applied through the flow.
@Suite(.serialized) struct NtfyPushTests {
    static let base = "https://baton.example.com"
    static let accessToken = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2"

    /// A high-intent lead in ana's territory (routed to her) and one in no territory (parked in
    /// sales-triage, whose ntfy topic is kai's phone).
    static var highIntent: [String: Any] {
        ServiceFixture.event(
            "e-1", "lead_created", lead: "L1", at: "2026-03-02T10:00:00Z",
            ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4, "demo_requests": 1]])
    }
    static var parked: [String: Any] {
        ServiceFixture.event(
            "e-2", "lead_created", lead: "L2", at: "2026-03-02T10:00:00Z",
            ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "apac", "email_opens": 2, "demo_requests": 1]])
    }

    /// The `/actions/…` path of a button URL sent to ntfy.
    static func path(_ url: Any?) throws -> String {
        let text = try require(url as? String, "a button URL")
        try #require(text.hasPrefix(base + "/actions/"), "\(text)")
        return String(text.dropFirst(base.count))
    }

    static func scenario(db: String?) async throws {
        let ntfy = FakeNtfy(protectedTopics: ["baton-ana-x7Kq2": accessToken])
        try await ntfy.start()
        defer { Task { await ntfy.stop() } }
        let port = await ntfy.port
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-ntfy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenFile = folder.appendingPathComponent("ntfy-token").path
        try (accessToken + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
        let keyFile = folder.appendingPathComponent("action-key").path
        let clock = TestClock("2026-03-02T10:00:05Z")
        let running = try await ServiceFixture.service(clock: clock) { c in
            if let db { c.db = db }
            c.actionKeyFile = keyFile
            c.publicBaseURL = base
            c.alertChannels["ana"] = AlertChannel(kind: .ntfy, url: "http://127.0.0.1:\(port)", topic: "baton-ana-x7Kq2", tokenFile: tokenFile)
            c.alertChannels["sales-triage"] = AlertChannel(kind: .ntfy, url: "http://127.0.0.1:\(port)/", topic: "baton-triage-Qw3", rep: "kai")
        }
        defer { running.files.remove() }
        // The key was made on first start, private to this user.
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            for event in [highIntent, parked] {
                let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(event))
                #expect(r.status == .created, "\(String(buffer: r.body))")
            }
            // One delivery-loop turn puts both on the phones.
            #expect(await running.service.deliverer.deliverDue() == 2)
            let problems = await ntfy.problems
            #expect(problems.isEmpty, "\(problems)")
            let published = await ntfy.published
            try #require(published.count == 2)
            let toAna = try require(published.first { $0.object["topic"] as? String == "baton-ana-x7Kq2" })
            let toTriage = try require(published.first { $0.object["topic"] as? String == "baton-triage-Qw3" })
            #expect(toAna.authorization == "Bearer \(accessToken)" && toTriage.authorization == nil)
            #expect(toAna.contentType == "application/json")
            let high = toAna.object
            #expect(high["priority"] as? Int == 5, "high intent is urgent")
            #expect(high["title"] as? String == "Baton: new high priority, lead L1")
            #expect(
                (high["message"] as? String)?.contains("lead L1 handed off to ana (high); first touch due 2026-03-02T11:00:00Z") == true, "\(high)")
            #expect((high["tags"] as? [String]) == ["rotating_light", "new-high-priority"])
            let actions = try require(high["actions"] as? [[String: Any]])
            #expect(actions.map { $0["label"] as? String } == ["Accept", "Log a call", "Reassign to triage"])
            #expect(actions[0]["action"] as? String == "http" && actions[0]["method"] as? String == "POST")
            #expect(actions[2]["action"] as? String == "view", "giving a lead away opens a page to confirm")
            #expect((actions[0]["headers"] as? [String: String]) == ["Accept": "application/json"])
            #expect(actions[1]["action"] as? String == "view")
            #expect(high["click"] as? String == actions[0]["url"] as? String, "the click opens the lead's hand-off page behind Accept")
            let queued = toTriage.object
            #expect(queued["priority"] as? Int == 4)
            let triageActions = try require(queued["actions"] as? [[String: Any]])

            // Accept on the parked lead, for kai: assigned, first-touch clock started, once.
            let acceptL2 = try path(triageActions[0]["url"])
            let json: HTTPFields = [.accept: "application/json"]
            clock.set("2026-03-02T10:05:00Z")
            let page = try await client.execute(uri: acceptL2, method: .get)
            #expect(page.status == .ok && String(buffer: page.body).contains("<form method=\"post\" action=\"\(acceptL2)\">"))
            #expect(try await running.service.store.leadTimeline(leadID: "L2")?.assignments.count == 1, "a GET changes nothing")
            let pressed = try await client.execute(uri: acceptL2, method: .post, headers: json)
            #expect(pressed.status == .ok, "\(String(buffer: pressed.body))")
            let answer = ServiceFixture.json(pressed.body)
            #expect(answer["status"] as? String == "applied" && answer["rep_id"] as? String == "kai" && answer["lead_id"] as? String == "L2")
            #expect(
                (answer["effects"] as? [String])?.contains { $0.hasPrefix("lead L2 handed off to kai (high); first touch due 2026-03-02T11:05:00Z") }
                    == true, "\(answer)")
            let again = try await client.execute(uri: acceptL2, method: .post, headers: json)
            #expect(again.status == .conflict && String(buffer: again.body).contains("token_used"), "\(String(buffer: again.body))")
            let againHTML = try await client.execute(uri: acceptL2, method: .post)
            #expect(againHTML.status == .conflict && String(buffer: againHTML.body).contains("already used at 2026-03-02T10:05:00Z"))
            let l2 = try require(try await running.service.store.leadTimeline(leadID: "L2"))
            #expect(l2.assignments.map(\.target) == [.fallbackQueue("sales-triage"), .rep("kai")])
            #expect(l2.assignments.last?.rule == "manual:kai")
            #expect(
                l2.timers.count == 1 && l2.timers.first?.dueAt == ISO8601DateFormatter().date(from: "2026-03-02T11:05:00Z"), "the clock starts once")
            #expect(l2.events.filter { $0.type == "assign" }.count == 1, "the press is in the timeline once")
            // The lead's read (what the dashboard and the CRM see) shows kai.
            let read = try await client.execute(uri: "/leads/L2", method: .get, headers: ServiceFixture.auth(running.tokens[.sales]))
            #expect(String(buffer: read.body).contains("\"kai\""))

            // Accept by ana, who holds L1: recorded, her clock runs on unchanged.
            let before = try require(try await running.service.store.leadTimeline(leadID: "L1"))
            let acceptL1 = try path(actions[0]["url"])
            let held = try await client.execute(uri: acceptL1, method: .post, headers: json)
            #expect(held.status == .ok && String(buffer: held.body).contains("already hold"), "\(String(buffer: held.body))")
            let after = try require(try await running.service.store.leadTimeline(leadID: "L1"))
            #expect(after.assignments == before.assignments && after.timers.map(\.dueAt) == before.timers.map(\.dueAt))
            #expect(after.events.contains { $0.type == "assign" && $0.id.hasPrefix("action-") })

            // Log a call: the page asks how it went; the form's answer is the attempt's outcome.
            let logCall = try path(actions[1]["url"])
            let form = try await client.execute(uri: logCall, method: .get)
            let formText = String(buffer: form.body)
            #expect(form.status == .ok && formText.contains("name=\"outcome\" value=\"voicemail\"") && formText.contains("# Hand-off"))
            #expect(form.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
            let badOutcome = try await client.execute(
                uri: logCall, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "outcome=maybe"))
            #expect(badOutcome.status == .badRequest && String(buffer: badOutcome.body).contains("outcome must be one of"))
            let logged = try await client.execute(
                uri: logCall, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "outcome=voicemail"))
            #expect(logged.status == .ok && String(buffer: logged.body).contains("Your call on lead L1 is logged."), "\(String(buffer: logged.body))")
            let attempts = try await running.service.store.leadTimeline(leadID: "L1")?.contactAttempts ?? []
            #expect(
                attempts.count == 1 && attempts.first?.repID == "ana" && attempts.first?.channel == "call" && attempts.first?.result == "voicemail")
            let usedPage = try await client.execute(uri: logCall, method: .get)
            #expect(usedPage.status == .ok && String(buffer: usedPage.body).contains("was used at"))

            // Reassign to triage: the page asks why; the press puts L1 in the triage queue, stops
            // ana's clock, and the queue's phone is told in the next delivery-loop turn.
            let reassign = try path(actions[2]["url"])
            let reassignPage = try await client.execute(uri: reassign, method: .get)
            #expect(reassignPage.status == .ok && String(buffer: reassignPage.body).contains("name=\"reason\" maxlength=\"500\""))
            let longReason = try await client.execute(
                uri: reassign, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "reason=" + String(repeating: "x", count: 501)))
            #expect(longReason.status == .badRequest && String(buffer: longReason.body).contains("keep it to 500"))
            let handedBack = try await client.execute(
                uri: reassign, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "reason=wrong+region%3A+APAC"))
            #expect(
                handedBack.status == .ok && String(buffer: handedBack.body).contains("Lead L1 is back in the triage queue"),
                "\(String(buffer: handedBack.body))")
            let l1 = try require(try await running.service.store.leadTimeline(leadID: "L1"))
            #expect(l1.assignments.map(\.target) == [.rep("ana"), .fallbackQueue("sales-triage")])
            #expect(l1.assignments.first?.unassignReason == "handed back to sales-triage by ana: wrong region: APAC")
            #expect(l1.timers.allSatisfy { !$0.state.isOpen }, "ana's clock stopped")
            #expect(l1.events.filter { $0.type == "release" }.count == 1, "the press is in the timeline once")
            let reassignAgain = try await client.execute(uri: reassign, method: .post, headers: json)
            #expect(reassignAgain.status == .conflict && String(buffer: reassignAgain.body).contains("token_used"))
            #expect(await running.service.deliverer.deliverDue() >= 1)
            let toQueue = await ntfy.published.last { $0.object["topic"] as? String == "baton-triage-Qw3" }
            #expect(
                (toQueue?.object["message"] as? String)?.contains("lead L1: handed back to sales-triage by ana: wrong region: APAC") == true,
                "\(toQueue?.object ?? [:])")
            #expect((toQueue?.object["tags"] as? [String]) == ["inbox_tray", "handed-back"] && toQueue?.object["priority"] as? Int == 4)
            #expect(
                (toQueue?.object["actions"] as? [[String: Any]])?.map { $0["label"] as? String } == ["Accept", "Log a call"],
                "the queue's reader can take the lead, not give it back")

            // Tampered, malformed and expired tokens: a clear refusal, never an effect.
            var altered = Array(acceptL1)
            let index = altered.index(altered.startIndex, offsetBy: "/actions/".count + 3)
            altered[index] = altered[index] == "A" ? "B" : "A"
            let tampered = try await client.execute(uri: String(altered), method: .post, headers: json)
            #expect(tampered.status == .forbidden && String(buffer: tampered.body).contains("invalid_token"))
            let cut = try await client.execute(uri: String(acceptL1.dropLast(5)), method: .post)
            #expect(cut.status == .badRequest && String(buffer: cut.body).contains("not a whole action link"))
            let garbage = try await client.execute(uri: "/actions/%3Cscript%3E", method: .get)
            #expect(garbage.status == .badRequest && !String(buffer: garbage.body).contains("<script>"))
            clock.set("2026-03-03T10:00:06Z")  // 24 h after the push was sent
            let expired = try await client.execute(uri: logCall, method: .post, headers: json)
            #expect(expired.status == .gone && String(buffer: expired.body).contains("token_expired"))
            let expiredHTML = try await client.execute(uri: acceptL1, method: .get)
            #expect(expiredHTML.status == .gone && String(buffer: expiredHTML.body).contains("expired at 2026-03-03T10:00:05Z"))
            #expect(try await running.service.store.leadTimeline(leadID: "L1")?.contactAttempts.count == 1)
        }
    }

    @Test func pushesAndButtonsOnSQLite() async throws { try await Self.scenario(db: nil) }

    /// Every push is an outbox row: a 429 is retried (after `Retry-After`), a refusal dead-letters
    /// with the server's text, and a replay sends it again.
    @Test func aFailingNtfyServerIsRetriedAndDeadLettered() async throws {
        let ntfy = FakeNtfy()
        try await ntfy.start()
        defer { Task { await ntfy.stop() } }
        let port = await ntfy.port
        let clock = TestClock("2026-03-02T10:00:05Z")
        let running = try await ServiceFixture.service(clock: clock) { c in
            c.publicBaseURL = Self.base
            c.alertChannels["ana"] = AlertChannel(kind: .ntfy, url: "http://127.0.0.1:\(port)", topic: "baton-ana-x7Kq2")
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let r = try await client.execute(
                uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]), body: ServiceFixture.body(Self.highIntent))
            #expect(r.status == .created)
        }
        await ntfy.failNext([429])
        #expect(await running.service.deliverer.deliverDue() == 0)
        var rows = try await running.service.store.outbox(OutboxQuery(state: .failed)).entries.map(\.alert)
        #expect(rows.first?.attempts == 1 && rows.first?.lastError?.hasPrefix("HTTP 429") == true, "\(rows)")
        clock.set("2026-03-02T10:01:00Z")
        #expect(await running.service.deliverer.deliverDue() == 1)
        #expect(await ntfy.published.count == 1)

        // A refusal (400) will not succeed as sent: dead letter at once, with the reason.
        let running2 = try await ServiceFixture.service(clock: clock) { c in
            c.publicBaseURL = Self.base
            c.defaultChannel = AlertChannel(kind: .ntfy, url: "http://127.0.0.1:\(port)/", topic: "baton-ana-x7Kq2")
        }
        defer { running2.files.remove() }
        let app2 = Application(router: running2.service.router())
        try await app2.test(.router) { client in
            _ = try await client.execute(
                uri: "/events", method: .post, headers: ServiceFixture.auth(running2.tokens[.ingest]), body: ServiceFixture.body(Self.highIntent))
        }
        await ntfy.failNext([400])
        #expect(await running2.service.deliverer.deliverDue() == 0)
        rows = try await running2.service.store.outbox(OutboxQuery(state: .dead)).entries.map(\.alert)
        #expect(rows.count == 1 && rows.first?.lastError?.contains("HTTP 400") == true, "\(rows)")
    }
}

/// A push channel that cannot work is refused at start, naming the key and the fix.
@Suite struct NtfyConfigurationTests {
    static func decode(_ json: String) -> String {
        do {
            _ = try JSONDecoder().decode(ServiceConfiguration.self, from: Data(json.utf8))
            return "accepted"
        } catch { return "\(error)" }
    }

    @Test func aChannelThatCannotWorkIsRefusedAtStart() async throws {
        #expect(Self.decode(#"{"default_channel": {"kind": "ntfy", "url": "https://ntfy.sh", "topic": "a/b"}}"#).contains("must be an ntfy topic"))
        #expect(Self.decode(#"{"default_channel": {"kind": "ntfy", "url": "https://ntfy.sh"}}"#).contains("must be an ntfy topic"))
        #expect(Self.decode(#"{"default_channel": {"kind": "ntfy", "url": "ntfy.sh", "topic": "t1"}}"#).contains("root URL"))
        #expect(
            Self.decode(#"{"default_channel": {"kind": "ntfy", "url": "https://ntfy.sh", "topic": "t1", "token_file": "f", "token_env": "E"}}"#)
                .contains("not both"))
        #expect(Self.decode(#"{"default_channel": {"kind": "ntfy", "url": "https://ntfy.sh", "topic": "baton-Qw3_x"}}"#) == "accepted")

        var c = ServiceConfiguration()
        c.db = "baton.sqlite"
        c.defaultChannel = AlertChannel(kind: .ntfy, url: "https://ntfy.sh", topic: "baton-Qw3")
        #expect(throws: ServiceError.self) { try c.validated() }
        do { _ = try c.validated() } catch { #expect(error.description.contains("public_base_url")) }
        c.publicBaseURL = "https://baton.example.com"
        #expect(c.resolvedActionKeyFile == "baton.sqlite.action-key")
        c.db = "postgres://baton@127.0.0.1:5432/baton"
        do { _ = try c.validated() } catch { #expect(error.description.contains("action_key_file")) }
        c.actionKeyFile = "/etc/baton/action-key"
        #expect(throws: Never.self) { try c.validated() }
        c.actionTokenLifetimeSeconds = 10
        do { _ = try c.validated() } catch { #expect(error.description.contains("action_token_lifetime_seconds")) }

        // A token file every user can read, and a key file that holds no key, stop the start.
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let token = files.folder.appendingPathComponent("ntfy-token").path
        try "tk_x\n".write(toFile: token, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: token)
        var open = ServiceFixture.configuration(files)
        open.publicBaseURL = "https://baton.example.com"
        open.alertChannels["ana"] = AlertChannel(kind: .ntfy, url: "https://ntfy.sh", topic: "baton-ana", tokenFile: token)
        do {
            _ = try await HandoffService.open(open)
            Issue.record("a world-readable token file was accepted")
        } catch { #expect(error.description.contains("alert_channels.ana.token_file") && error.description.contains("chmod 600")) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: token)
        let key = files.folder.appendingPathComponent("action-key").path
        try "not a key\n".write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        open.actionKeyFile = key
        do {
            _ = try await HandoffService.open(open)
            Issue.record("a key file without a key was accepted")
        } catch { #expect(error.description.contains("action_key_file") && error.description.contains("openssl rand -base64 32")) }
    }
}

@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)) struct NtfyPushPostgresTests {
    @Test func pushesAndButtonsOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            try await NtfyPushTests.scenario(db: ScratchPostgres.url(of: location))
        }
    }
}
