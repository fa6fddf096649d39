import BatonSupport
import Foundation
import HTTPTypes
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 17's "done when", in one run: two high-intent leads come in through `POST /events`;
/// one delivery-loop turn puts the one routed to ana on her ntfy topic and the one parked in
/// sales-triage on kai's browser (Web Push, subscribed from the dashboard's *Turn on* button,
/// decrypted here by Python's `http_ece`); kai presses *Accept* from the decrypted push and ana
/// from ntfy's button; the store, the lead's timeline and the dashboard all show it.
@Suite(.serialized) struct PhoneAlertsEndToEndTests {
    @Test func aHighIntentLeadReachesThePhonesAndAcceptIsSeenEverywhere() async throws {
        let ntfy = FakeNtfy()
        try await ntfy.start()
        defer { Task { await ntfy.stop() } }
        let pushService = FakePushService()
        try await pushService.start()
        defer { Task { await pushService.stop() } }
        let ntfyPort = await ntfy.port
        let kaiPhone = await pushService.endpoint("kai-phone")
        let base = NtfyPushTests.base
        let clock = TestClock("2026-03-02T10:00:05Z")
        let running = try await ServiceFixture.service(clock: clock) { c in
            c.publicBaseURL = base
            c.alertChannels["ana"] = AlertChannel(kind: .ntfy, url: "http://127.0.0.1:\(ntfyPort)", topic: "baton-ana-x7Kq2")
            c.alertChannels["sales-triage"] = AlertChannel(kind: .webpush, rep: "kai")
        }
        defer { running.files.remove() }
        let kai = try await running.service.tokens.issue(name: "kai", role: .sales)
        let store = running.service.store
        try await Application(router: running.service.router()).test(.router) { client in
            // kai turns push alerts on from the dashboard (its cookie, from its own page).
            var browser: HTTPFields = [.cookie: "baton_token=\(kai)", .contentType: "application/json"]
            browser[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            let subscribed = try await client.execute(
                uri: "/dashboard/push-subscription", method: .post, headers: browser,
                body: ServiceFixture.body(WebPushDeliveryTests.subscription(kaiPhone)))
            #expect(subscribed.status == .created, "\(String(buffer: subscribed.body))")

            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            for event in [NtfyPushTests.highIntent, NtfyPushTests.parked] {
                let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(event))
                #expect(r.status == .created, "\(String(buffer: r.body))")
            }
            func dashboard() async throws -> [String: String] {
                let page = try await client.execute(uri: "/dashboard", method: .get, headers: ServiceFixture.auth(kai))
                return DashboardSeed.metrics(String(buffer: page.body))
            }
            let before = try await dashboard()
            // Open: ana's L1 and the queue's L2; only ana's first-touch clock runs.
            #expect(before["open-handoffs"] == "2" && before["running-timers"] == "1", "\(before.sorted { $0.key < $1.key })")

            // One delivery-loop turn: ana's phone (ntfy) and kai's browser (Web Push).
            #expect(await running.service.deliverer.deliverDue() == 2)
            let published = await ntfy.published
            #expect(await ntfy.problems.isEmpty)
            try #require(published.count == 1)
            #expect(published[0].object["title"] as? String == "Baton: new high priority, lead L1")
            let pushes = await pushService.pushes
            try #require(pushes.count == 1)
            #expect(pushes[0].subscription == "kai-phone" && pushes[0].headers["urgency"] == "normal")
            let python = try await BlockingWork.run { try PythonTooling.venv(packages: ["http_ece", "cryptography"]) }
            let publicKey = try require(running.service.push?.vapid?.publicKey)
            let audience = try require(VAPIDToken.audience(of: kaiPhone))
            let decrypted = try await BlockingWork.run {
                try PythonTooling.run(
                    python.path,
                    [
                        "-c", WebPushDeliveryTests.checkScript, Base64URL.encode(pushes[0].body), WebPushDeliveryTests.uaPrivate,
                        WebPushDeliveryTests.auth, pushes[0].headers["authorization"] ?? "", String(Int(clock.now.timeIntervalSince1970)),
                        audience, publicKey,
                    ])
            }
            #expect(decrypted.status == 0 && decrypted.output.hasSuffix("vapid ok\n"), "\(decrypted.output)")
            let message = try require(
                (try? JSONSerialization.jsonObject(with: Data((decrypted.output.split(separator: "\n").first ?? "").utf8))) as? [String: Any])
            #expect(message["kind"] as? String == "fallback-queue" && message["lead_id"] as? String == "L2", "\(message)")
            let actions = try require(message["actions"] as? [[String: Any]])
            #expect(actions.map { $0["action"] as? String } == ["accept", "log-call"], "a parked lead is not kai's to give back")

            // kai presses Accept: the notification's action opens the page, whose form POSTs.
            clock.set("2026-03-02T10:03:00Z")
            let accept = try NtfyPushTests.path(actions[0]["url"])
            let page = try await client.execute(uri: accept, method: .get)
            #expect(page.status == .ok && String(buffer: page.body).contains("<form method=\"post\""))
            let pressed = try await client.execute(uri: accept, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(pressed.status == .ok && String(buffer: pressed.body).contains("Lead L2 is yours."), "\(String(buffer: pressed.body))")
            let again = try await client.execute(uri: accept, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(again.status == .conflict)

            // ana presses Accept on ntfy (an http action, JSON answer): she holds L1, so it is recorded.
            let ntfyActions = try require(published[0].object["actions"] as? [[String: Any]])
            let anaAccept = try NtfyPushTests.path(ntfyActions[0]["url"])
            let held = try await client.execute(uri: anaAccept, method: .post, headers: [.accept: "application/json"])
            #expect(held.status == .ok && ServiceFixture.json(held.body)["status"] as? String == "applied", "\(String(buffer: held.body))")

            // The store and the timelines.
            let l2 = try require(try await store.leadTimeline(leadID: "L2"))
            #expect(l2.assignments.map(\.target) == [.fallbackQueue("sales-triage"), .rep("kai")])
            #expect(l2.timers.count == 1 && l2.timers.first?.state == .running)
            #expect(l2.events.filter { $0.type == "assign" && $0.id.hasPrefix("action-") }.count == 1)
            let l1 = try require(try await store.leadTimeline(leadID: "L1"))
            #expect(l1.events.contains { $0.type == "assign" && $0.id.hasPrefix("action-") } && l1.assignments.count == 1)
            let read = try await client.execute(uri: "/leads/L2", method: .get, headers: ServiceFixture.auth(kai))
            #expect(String(buffer: read.body).contains("\"kai\""))
            // The dashboard: still two open hand-offs, and now kai's first-touch clock runs too.
            // (Its week's hand-off table keeps counting L2 under the queue that first held it.)
            let after = try await dashboard()
            #expect(after["open-handoffs"] == "2" && after["running-timers"] == "2", "\(after.sorted { $0.key < $1.key })")
        }
    }
}
