import Foundation
import HandoffPersistence
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandoffServer

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct SchedulerAndDeliveryTests {
    /// L1 (region na, demo request → high) is handed to ana at 10:00, first touch due 11:00.
    func handOff(_ running: ServiceFixture.Running) async throws {
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let r = try await client.execute(
                uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]),
                body: ServiceFixture.body(IngestTests.created))
            #expect(r.status == .created)
        }
    }

    @Test func slaStepsFireFromTheSchedulerWithoutARequest() async throws {
        let clock = TestClock("2026-03-02T10:00:00Z")
        let running = try await ServiceFixture.service(clock: clock) { $0.tickIntervalSeconds = 0.05 }
        defer { running.files.remove() }
        try await handOff(running)
        let store = running.service.store
        let alertsAfterHandOff = try await store.alertsPendingDelivery(at: .distantFuture, limit: 100)
        #expect(alertsAfterHandOff.map(\.kind) == ["new-high-priority"])
        // 11:31: past the 11:00 deadline and the manager step at 11:30.
        clock.set("2026-03-02T11:31:00Z")
        let loops = running.service.startBackgroundLoops()
        defer { loops.cancel() }
        var kinds: [String] = []
        for _ in 0..<100 {
            kinds = try await store.alertsPendingDelivery(at: .distantFuture, limit: 100).map(\.kind)
            if kinds.contains("manager-notification") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(kinds.contains("sla-reminder"))
        #expect(kinds.contains("manager-notification"))
        let timers = try await store.timersDue(before: .distantFuture, limit: 10)
        #expect(timers.first?.state == .breached)
        // The scheduler counts its effects after the tick's commit, which the reads above may
        // see first: wait for the count (bounded) rather than read it once.
        var metrics = try await running.service.prometheusText()
        for _ in 0..<100 where !metrics.contains("baton_sla_effects_total{effect=\"breach\"} 1") {
            try await Task.sleep(for: .milliseconds(50))
            metrics = try await running.service.prometheusText()
        }
        #expect(metrics.contains("baton_sla_timers_open{state=\"breached\"} 1"))
        #expect(metrics.contains("baton_sla_effects_total{effect=\"breach\"} 1"))
    }

    /// Issue 21 item 16: the scheduler's reassignment used to reach the CRM not at all, and event
    /// changes as sentences only. Every change of owner, stage, score and SLA state is a record.
    @Test func schedulerStepsAndEventsSyncStructuredRecordsToTheCRM() async throws {
        let clock = TestClock("2026-03-02T10:00:00Z")
        let running = try await ServiceFixture.service(clock: clock) { $0.crmSyncURL = "http://127.0.0.1:9/crm" }
        defer { running.files.remove() }
        try await handOff(running)
        // 13:01: past the 11:00 deadline, the manager at 11:30 and the reassignment at 13:00. Only ana
        // covers na, so the lead is parked in sales-triage.
        clock.set("2026-03-02T13:01:00Z")
        let scheduler = SLAScheduler(
            runtime: running.service.runtime, metrics: running.service.metrics, interval: 1, now: { clock.now },
            logger: running.service.logger, deliverer: running.service.deliverer)
        let fired = await scheduler.runOnce()
        #expect(fired.contains { if case .reassigned("ana", .fallbackQueue("sales-triage")) = $0.kind { true } else { false } }, "\(fired)")
        let syncs = try await running.service.store.alertsPendingDelivery(at: .distantFuture, limit: 100).filter { $0.kind == "crm-sync" }
        func records(_ alert: AlertRecord) -> [[String: Any]] {
            ((try? JSONSerialization.jsonObject(with: Data(alert.payload.text.utf8))) as? [String: Any])?["records"] as? [[String: Any]] ?? []
        }
        // The event's message: the qualification and the routing, with the clock it started.
        let event = try #require(syncs.first { $0.id == "e-1/crm-sync" })
        let eventRecords = records(event)
        #expect(eventRecords.map { $0["change"] as? String } == ["qualification", "owner"])
        #expect(eventRecords[0]["stage"] as? String == "sql" && eventRecords[0]["points"] is Double)
        #expect(eventRecords[1]["reason"] as? String == "routed" && (eventRecords[1]["to"] as? [String: String]) == ["kind": "rep", "id": "ana"])
        #expect(eventRecords[1]["state"] as? String == "first_touch_due" && eventRecords[1]["deadline"] as? String == "2026-03-02T11:00:00Z")
        // The scheduler's: one message per firing, each in that firing's unit.
        let steps = syncs.filter { $0.id != "e-1/crm-sync" }.flatMap(records)
        let owner = try #require(steps.first { $0["change"] as? String == "owner" })
        #expect(owner["reason"] as? String == "sla_reassignment" && owner["at"] as? String == "2026-03-02T13:00:00Z")
        #expect((owner["from"] as? [String: String]) == ["kind": "rep", "id": "ana"])
        #expect((owner["to"] as? [String: String]) == ["kind": "fallback_queue", "id": "sales-triage"])
        #expect(steps.contains { $0["state"] as? String == "breached" && $0["breach"] as? String == "first_touch" })
        #expect(steps.contains { $0["state"] as? String == "escalated" && $0["step"] as? String == "notify-manager" })
        let sources = Set(
            syncs.filter { $0.id != "e-1/crm-sync" }.compactMap {
                ((try? JSONSerialization.jsonObject(with: Data($0.payload.text.utf8))) as? [String: Any])?["source"] as? String
            })
        #expect(sources == ["scheduler"])
        // The plain sentences stay under their old key.
        #expect(event.payload.text.contains(#""changes":["lead L1 qualified sql"#))
    }

    @Test func alertsGoToEachRepsChannelAndFailuresBackOff() async throws {
        let hooks = FakeWebhook()
        try await hooks.start()
        let smtp = try FakeSMTPServer()
        defer { smtp.stop() }
        let port = await hooks.port
        let clock = TestClock("2026-03-02T10:00:00Z")
        let running = try await ServiceFixture.service(clock: clock) { c in
            c.alertChannels = [
                "ana": AlertChannel(kind: .slack, url: "http://127.0.0.1:\(port)/slack"),
                "lee@example.com": AlertChannel(kind: .email, to: "lee@example.com"),
                "kai": AlertChannel(kind: .webhook, url: "http://127.0.0.1:\(port)/dead"),
            ]
            c.defaultChannel = AlertChannel(kind: .webhook, url: "http://127.0.0.1:\(port)/generic")
            c.smtp = SMTPSettings(host: "127.0.0.1", port: smtp.port, from: "baton@example.com")
            c.crmSyncURL = "http://127.0.0.1:\(port)/crm"
            c.retryBaseSeconds = 10
        }
        defer { running.files.remove() }
        try await handOff(running)
        clock.set("2026-03-02T11:31:00Z")
        _ = try await running.service.runtime.current().tick(at: clock.now)
        let delivered = await running.service.deliverer.deliverDue()
        // new-high-priority + reminder (Slack, ana), manager notification (email), CRM sync of the hand-off.
        #expect(delivered == 4)
        let received = await hooks.received
        let slack = received.filter { $0.path == "/slack" }
        #expect(slack.count == 2)
        let first = try #require(slack.first)
        let text = try #require((try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])?["text"] as? String)
        #expect(text.hasPrefix("Baton new-high-priority for ana, lead L1: lead L1 handed off to ana (high)"))
        #expect(!first.body.contains("1000+"))  // no lead fields leave in alerts
        #expect(received.filter { $0.path == "/crm" }.count == 1)
        // Every delivery names the product and its version (issue 21 item 17), not "baton (unknown version)".
        let agents = await hooks.userAgents
        #expect(!agents.isEmpty && agents.allSatisfy { $0 == "baton/0.1.0" }, "\(agents)")
        #expect(smtp.received.count == 1)
        #expect(smtp.received.first?.contains("Subject: [Baton] manager-notification: lead L1") == true)
        #expect(smtp.commands.contains("RCPT TO:<lee@example.com>"))
        let pending = try await running.service.store.alertsPendingDelivery(at: .distantFuture, limit: 10)
        #expect(pending.isEmpty)

        // A dead channel: kai's webhook answers 500. Raise an alert for kai and deliver twice.
        try await running.service.store.apply(
            .raiseAlert(
                AlertRecord(
                    id: "test/kai", kind: "sla-reminder", leadID: "L1", target: "kai",
                    payload: .emptyObject, createdAt: clock.now)))
        #expect(await running.service.deliverer.deliverDue() == 0)
        var stuck = try #require(try await running.service.store.alertsPendingDelivery(at: .distantFuture, limit: 10).first)
        #expect(stuck.attempts == 1)
        #expect(stuck.lastError?.contains("500") == true)
        #expect(stuck.nextAttemptAt == clock.now.addingTimeInterval(10))
        // Not due before the backoff ends; due after, and the second failure doubles the wait.
        #expect(await running.service.deliverer.deliverDue() == 0)
        #expect(try await running.service.store.alertsPendingDelivery(at: clock.now, limit: 10).isEmpty)
        clock.set("2026-03-02T11:31:10Z")
        _ = await running.service.deliverer.deliverDue()
        stuck = try #require(try await running.service.store.alertsPendingDelivery(at: .distantFuture, limit: 10).first)
        #expect(stuck.attempts == 2)
        #expect(stuck.nextAttemptAt == clock.now.addingTimeInterval(20))
        let metrics = try await running.service.prometheusText()
        #expect(metrics.contains("baton_alert_delivery_failures_total{kind=\"sla-reminder\"} 2"))
        #expect(metrics.contains("baton_alert_queue_depth 1"))
        await hooks.stop()
    }

    @Test func aHangingChannelDoesNotDelayIngest() async throws {
        // A channel that accepts the connection and never answers.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(silent, 8)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(silent, $0, &len) } }
        defer { close(silent) }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let running = try await ServiceFixture.service { c in
            c.defaultChannel = AlertChannel(kind: .webhook, url: "http://127.0.0.1:\(port)/never")
            c.deliveryIntervalSeconds = 0.01
        }
        defer { running.files.remove() }
        let loops = running.service.startBackgroundLoops()
        defer { loops.cancel() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            for i in 0..<20 {
                var e = IngestTests.created
                e["event_id"] = "e-\(i)"
                e["lead_id"] = "L\(i)"
                let r = try await client.execute(
                    uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]),
                    body: ServiceFixture.body(e))
                #expect(r.status == .created)
            }
            // 20 high-priority hand-offs raise 20 alerts the hanging channel holds for 10 s each.
            // Had ingest waited for delivery, every alert would carry an attempt by now; instead
            // most have not even been tried (no wall-clock bound: tests carry no timings).
            let pending = try await running.service.store.alertsPendingDelivery(at: Date().addingTimeInterval(86_400), limit: 100)
            #expect(pending.count >= 20)
            #expect(pending.filter { $0.attempts == 0 }.count >= 10, "ingest waited for alert delivery")
        }
    }

    /// The redirect rules of ``OutboundRequest/redirect(status:location:from:method:)`` are those
    /// Foundation's URLSession applied before the client changed (RFC 9110 §15.4).
    @Test func redirectsChangeTheMethodAsRFC9110Describes() throws {
        let from = try #require(URL(string: "https://hooks.example:8443/a/b?x=1"))
        func next(_ status: Int, _ location: String?, _ method: String = "POST") -> String? {
            OutboundRequest.redirect(status: status, location: location, from: from, method: method)
                .map { "\($0.method) \($0.url.absoluteString)" }
        }
        #expect(next(301, "/c") == "GET https://hooks.example:8443/c")
        #expect(next(302, "c") == "GET https://hooks.example:8443/a/c")
        #expect(next(302, "/c", "PATCH") == "PATCH https://hooks.example:8443/c")
        #expect(next(303, "/c", "PATCH") == "GET https://hooks.example:8443/c")
        #expect(next(307, "https://other.example/c") == "POST https://other.example/c")
        #expect(next(308, "/c") == "POST https://hooks.example:8443/c")
        for (status, location) in [(300, "/c"), (304, "/c"), (307, nil), (307, "ftp://hooks.example/c"), (302, "file:///etc/passwd")] {
            #expect(next(status, location) == nil, "\(status) \(location ?? "no Location")")
        }
        let a = try #require(URL(string: "https://Hooks.example/x")), b = try #require(URL(string: "https://hooks.example:443/y"))
        #expect(OutboundRequest.sameOrigin(a, b))
        #expect(!OutboundRequest.sameOrigin(a, try #require(URL(string: "http://hooks.example/y"))))
        #expect(!OutboundRequest.sameOrigin(a, try #require(URL(string: "https://hooks.example:8443/y"))))
    }

    /// Issue 20: outbound webhooks followed redirects anywhere and accepted any scheme.
    @Test func deliveriesStayOnHTTPAndTheirOrigin() async throws {
        let hook = FakeWebhook()
        try await hook.start()
        defer { Task { await hook.stop() } }
        let port = await hook.port
        func post(_ url: String) -> OutboundRequest { OutboundRequest(method: "POST", url: url, headers: [], body: Data("{}".utf8)) }
        #expect(try await post("http://127.0.0.1:\(port)/here").send().status == 200)
        #expect(await hook.received.map(\.path) == ["/landed"])
        let bounced = try await post("http://127.0.0.1:\(port)/away").send()
        #expect((300..<400).contains(bounced.status), "a redirect to another origin is answered as the 3xx it is, not followed")
        #expect(await hook.received.count == 1)
        // A redirect loop ends after five follows with the 3xx as the answer; a 1 MiB page is
        // kept as its first 500 characters on one line.
        #expect(try await post("http://127.0.0.1:\(port)/loop").send().status == 307)
        let big = try await post("http://127.0.0.1:\(port)/big").send()
        #expect(big.status == 400)
        #expect(big.bodyExcerpt == "<p> " + String(repeating: "x", count: 496) + "…")
        #expect(await hook.received.count == 1)
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:\(port)/", "http:///nohost", "not a url"] {
            await #expect(throws: (any Error).self) { try await post(url).send() }
        }
    }
}
