import Foundation
import HandoffPersistence
import HandoffRules
import HandoffServer
import Hummingbird
import HummingbirdTesting
import PostgresTestSupport
import Testing

@testable import HandoffServer

/// Issue 17, per-rep preferences: channels in order, quiet hours in the rep's time zone, which
/// priorities push; a push that dead-letters falls back to the next channel, recorded on both rows.
@Suite(.serialized) struct AlertPreferencesTests {
    static func playbook(_ alerts: String) -> String {
        ServiceFixture.playbook.replacingOccurrences(
            of: "territories: [na], time_zone: UTC}", with: "territories: [na], time_zone: Europe/Berlin, alerts: \(alerts)}")
    }

    static func roster(_ alerts: String) throws -> RepRoster {
        try Playbook.parse(yaml: playbook(alerts), file: "p.yaml").requireFlow().roster
    }

    static let channels: [String: AlertChannel] = [
        "ana-phone": AlertChannel(kind: .ntfy, url: "https://ntfy.sh", topic: "baton-ana"),
        "ana-hook": AlertChannel(kind: .webhook, url: "https://hooks.example/ana"),
    ]

    static func alert(_ kind: String, id: String = "e-1/1-x") -> AlertRecord {
        AlertRecord(id: id, kind: kind, leadID: "L1", target: "ana", createdAt: Date(timeIntervalSince1970: 0))
    }

    static func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso) ?? .distantPast }

    @Test func theFirstChannelThatMayTakeItAndItsFallback() throws {
        let roster = try Self.roster(#"{channels: [ana-phone, ana-hook], quiet_hours: {from: "21:00", to: "07:00"}, push: [high]}"#)
        let ana = roster.rep("ana")
        func choose(_ kind: String, _ iso: String, id: String = "e-1/1-x") -> AlertChannelChoice {
            AlertChannelChoice.decide(Self.alert(kind, id: id), channels: Self.channels, defaultChannel: nil, rep: ana, at: Self.at(iso))
        }
        // 12:00 UTC is 13:00 in Berlin: a high alert pushes, falling back to the webhook.
        #expect(
            choose("new-high-priority", "2026-03-02T12:00:00Z") == .send(key: "ana-phone", channel: Self.channels["ana-phone"]!, fallback: "ana-hook")
        )
        // A standard alert never pushes: straight to the webhook, nothing after it.
        #expect(choose("sla-reminder", "2026-03-02T12:00:00Z") == .send(key: "ana-hook", channel: Self.channels["ana-hook"]!, fallback: nil))
        // 20:30 UTC is 21:30 in Berlin (quiet, across midnight): the push is skipped.
        #expect(choose("new-high-priority", "2026-03-02T20:30:00Z") == .send(key: "ana-hook", channel: Self.channels["ana-hook"]!, fallback: nil))
        // 20:30 UTC is quiet in Berlin, 19:59 UTC (20:59) is not.
        #expect(
            choose("new-high-priority", "2026-03-02T19:59:00Z") == .send(key: "ana-phone", channel: Self.channels["ana-phone"]!, fallback: "ana-hook")
        )
        // A fallback row goes where its id says.
        #expect(
            choose("new-high-priority", "2026-03-02T12:00:00Z", id: "e-1/1-x/via-ana-hook")
                == .send(key: "ana-hook", channel: Self.channels["ana-hook"]!, fallback: nil))
        #expect(AlertChannelChoice.fallbackID("e-1/1-x", to: "ana-hook") == "e-1/1-x/via-ana-hook")
        #expect(AlertChannelChoice.fallbackID("e-1/1-x/via-ana-phone", to: "ana-hook") == "e-1/1-x/via-ana-hook")

        // Only a push channel: a high alert in quiet hours waits for 07:00 Berlin (06:00 UTC).
        let phoneOnly = try Self.roster(#"{channels: [ana-phone], quiet_hours: {from: "21:00", to: "07:00"}, push: [high]}"#).rep("ana")
        let held = AlertChannelChoice.decide(
            Self.alert("new-high-priority"), channels: Self.channels, defaultChannel: nil, rep: phoneOnly, at: Self.at("2026-03-02T23:00:00Z"))
        #expect(held == .hold(until: Self.at("2026-03-03T06:00:00Z"), reason: "held: quiet hours of rep 'ana' (reps[].alerts.quiet_hours)"))
        // …and a standard alert can never go anywhere: dead letter, saying what to change.
        let never = AlertChannelChoice.decide(
            Self.alert("sla-reminder"), channels: Self.channels, defaultChannel: nil, rep: phoneOnly, at: Self.at("2026-03-02T12:00:00Z"))
        guard case .none(let reason) = never else {
            Issue.record("\(never)")
            return
        }
        #expect(reason.contains("takes a standard alert") && reason.contains("reps[].alerts.push"))
    }

    @Test func badPreferencesAreRefusedNamingTheLine() {
        for (alerts, problem) in [
            (#"{channels: []}"#, "no channel"), (#"{quiet_hours: {from: "21:00", to: "07:00"}}"#, "channels"),
            (#"{channels: [a, a]}"#, "listed twice"), (#"{channels: [a], push: [urgent]}"#, "not a priority"),
            (#"{channels: [a], quiet_hours: {from: "25:00", to: "07:00"}}"#, "not a time of day"),
            (#"{channels: [a], quiet_hours: {from: "07:00", to: "07:00"}}"#, "empty"), (#"{channels: [a], loud: yes}"#, "loud"),
        ] {
            do {
                _ = try Playbook.parse(yaml: Self.playbook(alerts), file: "p.yaml").requireFlow()
                Issue.record("accepted \(alerts)")
            } catch {
                #expect(error.description.contains(problem) && error.description.contains("p.yaml"), "\(alerts): \(error.description)")
            }
        }
    }

    /// A push the ntfy server refuses dead-letters, and the rep's next channel gets the alert.
    @Test func aDeadPushFallsBackToTheNextChannel() async throws { try await Self.fallback(db: nil) }

    static func fallback(db: String?) async throws {
        let ntfy = FakeNtfy()
        try await ntfy.start()
        let hooks = FakeWebhook()
        try await hooks.start()
        defer {
            Task {
                await ntfy.stop()
                await hooks.stop()
            }
        }
        let (ntfyPort, hookPort) = (await ntfy.port, await hooks.port)
        let clock = TestClock("2026-03-02T10:00:05Z")
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("baton-action-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        let running = try await ServiceFixture.service(clock: clock) { c in
            if let db {
                c.db = db
                c.actionKeyFile = keyFile
            }
            try? Self.playbook(#"{channels: [ana-phone, ana-hook], push: [high]}"#).write(toFile: c.playbook ?? "", atomically: true, encoding: .utf8)
            c.publicBaseURL = "https://baton.example.com"
            c.alertChannels = [
                "ana-phone": AlertChannel(kind: .ntfy, url: "http://127.0.0.1:\(ntfyPort)", topic: "baton-ana"),
                "ana-hook": AlertChannel(kind: .webhook, url: "http://127.0.0.1:\(hookPort)/ana"),
            ]
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let r = try await client.execute(
                uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]),
                body: ServiceFixture.body(NtfyPushTests.highIntent))
            #expect(r.status == .created)
        }
        await ntfy.failNext([403])
        #expect(await running.service.deliverer.deliverDue() == 0)
        let dead = try await running.service.store.outbox(OutboxQuery(state: .dead)).entries.map(\.alert)
        #expect(dead.map(\.id) == ["e-1/1-new-high-priority"])
        #expect(
            dead.first?.lastError?.hasSuffix("fell back to channel 'ana-hook' as outbox row e-1/1-new-high-priority/via-ana-hook") == true, "\(dead)")
        #expect(await running.service.deliverer.deliverDue() == 1)
        let received = await hooks.received
        #expect(received.map(\.path) == ["/ana"] && received.first?.body.contains(#"e-1\/1-new-high-priority\/via-ana-hook"#) == true)
        let delivered = try await running.service.store.outbox(OutboxQuery(state: .delivered)).entries.map(\.alert.id)
        #expect(delivered == ["e-1/1-new-high-priority/via-ana-hook"])
    }

    @Test func aChannelTheServiceDoesNotDefineStopsTheStart() async throws {
        do {
            _ = try await ServiceFixture.service { c in
                try? Self.playbook(#"{channels: [ana-phon]}"#).write(toFile: c.playbook ?? "", atomically: true, encoding: .utf8)
                c.alertChannels = ["ana-phone": AlertChannel(kind: .webhook, url: "https://hooks.example/ana")]
            }
            Issue.record("started with an unknown channel")
        } catch {
            #expect("\(error)".contains("reps[0].alerts.channels") && "\(error)".contains("did you mean ana-phone"), "\(error)")
        }
    }
}

@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)) struct AlertPreferencesPostgresTests {
    @Test func aDeadPushFallsBackToTheNextChannelOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            try await AlertPreferencesTests.fallback(db: ScratchPostgres.url(of: location))
        }
    }
}
