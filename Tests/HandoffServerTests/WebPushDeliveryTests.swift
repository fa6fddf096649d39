import BatonSupport
import Foundation
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import PostgresTestSupport
import TestSupport
import Testing

/// Issue 17, Web Push delivery: a rep's browsers subscribe through `POST /push/subscriptions`;
/// an alert for them becomes one push per subscription, which an independent implementation
/// (Python `http_ece`) decrypts and whose VAPID JWT Python's `cryptography` verifies; a
/// subscription the push service says is gone (410) is removed.
@Suite(.serialized) struct WebPushDeliveryTests {
    static let base = "https://baton.example.com"
    // The browser's keys: RFC 8291 Appendix A's user agent (its private key lets Python decrypt).
    static let uaPrivate = WebPushTests.uaPrivate
    static let uaPublic = WebPushTests.uaPublic
    static let auth = WebPushTests.auth

    static func subscription(_ endpoint: String, p256dh: String = uaPublic, auth: String = auth) -> [String: Any] {
        ["endpoint": endpoint, "expirationTime": NSNull(), "keys": ["p256dh": p256dh, "auth": auth]]
    }

    static func scenario(db: String?) async throws {
        let pushService = FakePushService()
        try await pushService.start()
        defer { Task { await pushService.stop() } }
        let phone = await pushService.endpoint("ana-phone")
        let dropped = await pushService.endpoint("ana-old-laptop")
        await pushService.answer("ana-old-laptop", with: 410)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-webpush-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = TestClock("2026-03-02T10:00:05Z")
        let running = try await ServiceFixture.service(clock: clock) { c in
            if let db { c.db = db }
            c.actionKeyFile = folder.appendingPathComponent("action-key").path
            c.publicBaseURL = base
            c.alertChannels["ana"] = AlertChannel(kind: .webpush)
        }
        defer { running.files.remove() }
        let store = running.service.store
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let sales = ServiceFixture.auth(running.tokens[.sales])
            let key = try await client.execute(uri: "/push/vapid-public-key", method: .get, headers: sales)
            #expect(key.status == .ok)
            let publicKey = try require(ServiceFixture.json(key.body)["public_key"] as? String)
            #expect(Base64URL.decode(publicKey)?.count == 65, "the uncompressed P-256 point browsers subscribe with")

            // Refused with the field named, nothing stored.
            for (body, field) in [
                (subscription("http://push.example.com/x"), "endpoint"),
                (subscription(phone, p256dh: String(uaPublic.dropLast(4))), "keys.p256dh"),
                (subscription(phone, auth: "AAAA"), "keys.auth"),
            ] {
                let r = try await client.execute(uri: "/push/subscriptions?rep=ana", method: .post, headers: sales, body: ServiceFixture.body(body))
                #expect(r.status == .badRequest && String(buffer: r.body).contains(field), "\(field): \(String(buffer: r.body))")
            }
            let nobody = try await client.execute(
                uri: "/push/subscriptions?rep=zed", method: .post, headers: sales, body: ServiceFixture.body(subscription(phone)))
            #expect(nobody.status == .badRequest && String(buffer: nobody.body).contains("not a rep on the roster"))
            #expect(try await store.pushSubscriptions(rep: "ana").isEmpty)

            for endpoint in [phone, dropped, phone] {
                let r = try await client.execute(
                    uri: "/push/subscriptions?rep=ana", method: .post, headers: sales, body: ServiceFixture.body(subscription(endpoint)))
                #expect([.created, .ok].contains(r.status), "\(String(buffer: r.body))")
            }
            #expect(Set(try await store.pushSubscriptions(rep: "ana").map(\.endpoint)) == [phone, dropped], "subscribing again keeps one row")
            #expect(try await store.pushSubscriptions(rep: "ana").count == 2)

            // A high-intent lead routed to ana: one delivery-loop turn pushes to both browsers.
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(NtfyPushTests.highIntent))
            #expect(r.status == .created, "\(String(buffer: r.body))")
            #expect(await running.service.deliverer.deliverDue() == 1)
            let pushes = await pushService.pushes
            try #require(pushes.count == 2)
            #expect(Set(pushes.map(\.subscription)) == ["ana-phone", "ana-old-laptop"])
            for push in pushes {
                #expect(push.headers["ttl"] == "86400", "as long as the buttons work")
                #expect(push.headers["urgency"] == "high")
                #expect(push.headers["content-encoding"] == "aes128gcm")
                let topic = try require(push.headers["topic"])
                #expect(topic.count == 32 && Base64URL.decode(topic) != nil, "RFC 8030 §5.4: at most 32 base64url characters")
            }
            #expect(pushes[0].headers["topic"] == pushes[1].headers["topic"], "one topic per lead")
            // The 410 removed that subscription; the phone's stays.
            #expect(try await store.pushSubscriptions(rep: "ana").map(\.endpoint) == [phone])

            // Python decrypts each body and verifies each VAPID token.
            let python = try await BlockingWork.run { try PythonTooling.venv(packages: ["http_ece", "cryptography"]) }
            let now = Int(clock.now.timeIntervalSince1970)
            let audience = try require(VAPIDToken.audience(of: phone))
            for push in pushes {
                let result = try await BlockingWork.run {
                    try PythonTooling.run(
                        python.path,
                        [
                            "-c", Self.checkScript, Base64URL.encode(push.body), uaPrivate, auth, push.headers["authorization"] ?? "", String(now),
                            audience, publicKey,
                        ])
                }
                #expect(result.status == 0, "\(result.output)")
                let lines = result.output.split(separator: "\n")
                #expect(lines.last == "vapid ok", "\(result.output)")
                let message = try require(
                    (try? JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8))) as? [String: Any], "decrypted JSON: \(result.output)")
                #expect(message["title"] as? String == "Baton: new high priority, lead L1")
                #expect((message["body"] as? String)?.contains("lead L1 handed off to ana (high)") == true, "\(message)")
                #expect(message["lead_id"] as? String == "L1" && message["kind"] as? String == "new-high-priority")
                let actions = try require(message["actions"] as? [[String: Any]])
                #expect(actions.map { $0["action"] as? String } == ["accept", "log-call", "reassign"])
                #expect((actions[0]["url"] as? String)?.hasPrefix(base + "/actions/") == true)
                #expect(message["url"] as? String == actions[0]["url"] as? String)
            }
            let row = try await store.outbox(OutboxQuery()).entries.first
            #expect(row?.alert.state == .delivered, "one browser took it: the row is delivered")

            // Unsubscribing: 204 once, then 404.
            let bye = ServiceFixture.body(["endpoint": phone])
            let gone = try await client.execute(uri: "/push/subscriptions?rep=ana", method: .delete, headers: sales, body: bye)
            #expect(gone.status == .noContent)
            let again = try await client.execute(uri: "/push/subscriptions?rep=ana", method: .delete, headers: sales, body: bye)
            #expect(again.status == .notFound)
        }
    }

    static let checkScript = """
        import base64, json, sys, http_ece
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
        b = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
        body, ua_private, auth, header, now, aud, server_key = b(sys.argv[1]), b(sys.argv[2]), b(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7]
        key = ec.derive_private_key(int.from_bytes(ua_private, "big"), ec.SECP256R1())
        print(http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm").decode())
        scheme, rest = header.split(" ", 1)
        assert scheme == "vapid", scheme
        params = dict(p.strip().split("=", 1) for p in rest.split(","))
        token, k = params["t"], params["k"]
        assert k == server_key, (k, server_key)
        head, claims, signature = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b(k))
        raw = b(signature)
        assert len(raw) == 64, len(raw)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public.verify(der, (head + "." + claims).encode(), ec.ECDSA(hashes.SHA256()))
        c = json.loads(b(claims))
        assert c["aud"] == aud, c
        assert now < c["exp"] <= now + 24 * 3600, c
        print("vapid ok")
        """

    @Test func subscribePushAndDropOnSQLite() async throws { try await Self.scenario(db: nil) }
}

@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)) struct WebPushDeliveryPostgresTests {
    @Test func subscribePushAndDropOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            try await WebPushDeliveryTests.scenario(db: ScratchPostgres.url(of: location))
        }
    }
}
