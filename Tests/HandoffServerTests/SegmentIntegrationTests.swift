import Foundation
import HTTPTypes
import HandoffIntegrations
import HandoffServer
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 14's Segment adapter through the real service: messages shaped like the examples of
/// Segment's Webhooks destination page and its Spec (identify, track, group, alias; the Spec's
/// common `messageId`), each signed as the destination documents it (`X-Signature`: hex HMAC-SHA1
/// of the body with the shared secret), the signature computed by Python's `hmac` module.
@Suite struct SegmentIntegrationTests {
    static let secret = "segment-shared-secret-8c1f"

    static let mapping = """
        segment:
          employees:
            field: company_size
            ranges: [{below: 1000, value: "1-10"}, {from: 1000, value: "1000+"}]
          budgetAuthority: budget_authority
          region: region
          emailOpens: email_opens
        segment_group:
          employees:
            field: company_size
            ranges: [{below: 1000, value: "1-10"}, {from: 1000, value: "1000+"}]
        """

    /// The Webhooks destination's identify example (userId `019mr8mf4r`, its traits and
    /// timestamp) with the Spec's `messageId` and the traits this model scores (a lead is created
    /// only with every field the model reads).
    static let identify = """
        {"version": 1, "type": "identify", "userId": "019mr8mf4r", "messageId": "022bb90c-bbac-11e4-8dfc-aa07a5b093db",
         "traits": {"email": "achilles@segment.com", "name": "Achilles", "subscriptionPlan": "Premium", "friendCount": 29,
                    "employees": 1500, "budgetAuthority": "yes", "region": "na", "emailOpens": 0, "address": {"city": "San Francisco"}},
         "timestamp": "2012-12-02T00:30:08.276Z"}
        """
    /// The destination's track example.
    static let track = """
        {"version": 1, "type": "track", "userId": "019mr8mf4r", "messageId": "1a2b-track-0001", "event": "Purchased an Item",
         "properties": {"revenue": "39.95", "shippingMethod": "2-day", "title": "Pricing guide"}, "timestamp": "2012-12-02T00:31:08.276Z"}
        """
    /// The Spec's group example (Initech).
    static let group = """
        {"type": "group", "groupId": "0e8c78ea9d97a7b8185e8632", "userId": "019mr8mf4r", "messageId": "1a2b-group-0001",
         "traits": {"name": "Initech", "industry": "Technology", "employees": 329, "plan": "enterprise", "total billed": 830},
         "timestamp": "2012-12-02T00:32:08.276Z"}
        """
    /// The Spec's alias example (previousId `jen@email.com`), onto the identified user.
    static let alias = """
        {"type": "alias", "previousId": "jen@email.com", "userId": "019mr8mf4r", "messageId": "1a2b-alias-0001",
         "timestamp": "2012-12-02T00:33:08.276Z"}
        """
    /// A track of the old id after the alias.
    static let trackOfOldID = """
        {"type": "track", "anonymousId": "jen@email.com", "messageId": "1a2b-track-0002", "event": "Purchased an Item",
         "properties": {}, "timestamp": "2012-12-02T00:34:08.276Z"}
        """
    static let untracked = """
        {"type": "track", "userId": "019mr8mf4r", "messageId": "1a2b-track-0003", "event": "Viewed Careers Page", "timestamp": "2012-12-02T00:35:00Z"}
        """

    /// Hex HMAC-SHA1 of each body with `secret`, by Python's standard library.
    static func signatures(_ bodies: [String], secret: String = secret) async throws -> [String] {
        let input = String(decoding: try JSONSerialization.data(withJSONObject: ["secret": secret, "bodies": bodies]), as: UTF8.self)
        let script = """
            import hmac, hashlib, json, sys
            data = json.loads(sys.argv[1])
            print(json.dumps([hmac.new(data["secret"].encode(), b.encode(), hashlib.sha1).hexdigest() for b in data["bodies"]]))
            """
        let result = try await BlockingWork.run { try PythonTooling.run("/usr/bin/env", ["python3", "-c", script, input]) }
        try #require(result.status == 0, "\(result.output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String])
    }

    static func service(secret: String? = secret) async throws -> ServiceFixture.Running {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-segment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mappingFile = folder.appendingPathComponent("mapping.yaml").path
        try mapping.write(toFile: mappingFile, atomically: true, encoding: .utf8)
        let secretFile = folder.appendingPathComponent("segment-secret").path
        try (self.secret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
        return try await ServiceFixture.service { c in
            c.fieldMapping = mappingFile
            c.segmentSecretFile = secret == nil ? nil : secretFile
            c.segmentEvents = ["Purchased an Item": "email_open"]
        }
    }

    static func headers(_ signature: String?) -> HTTPFields {
        var h: HTTPFields = [.contentType: "application/json", .userAgent: "Segment.io/1.0"]
        if let signature, let name = HTTPField.Name("X-Signature") { h[name] = signature }
        return h
    }

    @Test func identifyTrackGroupAndAliasReachOneLead() async throws {
        let bodies = [Self.identify, Self.track, Self.group, Self.alias, Self.trackOfOldID, Self.untracked]
        let signed = try await Self.signatures(bodies)
        // The Swift signer agrees with Python's hmac.
        #expect(SegmentMessage.signature(body: Data(Self.identify.utf8), secret: Self.secret) == signed[0])
        let running = try await Self.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            var answers: [[String: Any]] = []
            var statuses: [HTTPResponse.Status] = []
            for (body, signature) in zip(bodies, signed) {
                let r = try await client.execute(
                    uri: "/integrations/segment", method: .post, headers: Self.headers(signature), body: ByteBuffer(string: body))
                statuses.append(r.status)
                answers.append(ServiceFixture.json(r.body))
            }
            #expect(statuses == [.created, .created, .created, .created, .created, .ok], "\(answers)")
            #expect(answers.map { $0["status"] as? String } == ["applied", "applied", "applied", "applied", "applied", "skipped"])
            #expect(answers[0]["event_id"] as? String == "segment:022bb90c-bbac-11e4-8dfc-aa07a5b093db")
            #expect(answers[3]["event_id"] as? String == "segment-alias:jen@email.com")
            #expect(answers[4]["lead_id"] as? String == "019mr8mf4r", "the old id reaches the lead after the alias")
            #expect((answers[5]["reason"] as? String)?.contains("segment_events") == true)
            // Segment retries: the same message, and the same alias, are duplicates.
            for index in [0, 3] {
                let again = try await client.execute(
                    uri: "/integrations/segment", method: .post, headers: Self.headers(signed[index]), body: ByteBuffer(string: bodies[index]))
                #expect(
                    again.status == .ok && ServiceFixture.json(again.body)["status"] as? String == "duplicate", "\(ServiceFixture.json(again.body))")
            }
            let lead = try await client.execute(uri: "/leads/019mr8mf4r", method: .get, headers: ServiceFixture.auth(running.tokens[.admin]))
            #expect(lead.status == .ok)
        }
        let stored = try #require(try await running.service.store.lead(id: "019mr8mf4r"))
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(stored.fields.text.utf8)) as? [String: String])
        // identify's 1500 employees gave 1000+; the group's 329 gave 1-10; unmapped traits are not kept.
        #expect(fields["company_size"] == "1-10" && fields["budget_authority"] == "yes" && fields["region"] == "na", "\(fields)")
        #expect(fields["email"] == nil && fields["friendCount"] == nil)
        // The group's id names the lead's account (issue 16).
        #expect(fields["account_id"] == "0e8c78ea9d97a7b8185e8632")
        let account = try #require(try await running.service.store.leadAccount(leadID: "019mr8mf4r"))
        #expect(account.account.id == "0e8c78ea9d97a7b8185e8632" && account.link.rule == .explicit)
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 1 && counts.events == 5)
    }

    /// An anonymous visitor identified later: the alias links the new user id to the anonymous lead.
    @Test func anAnonymousLeadKeepsItsHistoryAfterSignUp() async throws {
        let bodies = [
            #"{"type": "identify", "anonymousId": "507f191e810c19729de860ea", "messageId": "m-1", "timestamp": "2026-03-02T10:00:00Z", "traits": {"employees": 20, "budgetAuthority": "no", "emailOpens": 2}}"#,
            #"{"type": "alias", "previousId": "507f191e810c19729de860ea", "userId": "u-2", "messageId": "m-2", "timestamp": "2026-03-02T10:05:00Z"}"#,
            #"{"type": "identify", "userId": "u-2", "messageId": "m-3", "timestamp": "2026-03-02T10:06:00Z", "traits": {"budgetAuthority": "yes"}}"#,
        ]
        let signed = try await Self.signatures(bodies)
        let running = try await Self.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            var leads: [String?] = []
            for (body, signature) in zip(bodies, signed) {
                let r = try await client.execute(
                    uri: "/integrations/segment", method: .post, headers: Self.headers(signature), body: ByteBuffer(string: body))
                #expect(r.status == .created, "\(ServiceFixture.json(r.body))")
                leads.append(ServiceFixture.json(r.body)["lead_id"] as? String)
            }
            #expect(leads == ["507f191e810c19729de860ea", "507f191e810c19729de860ea", "507f191e810c19729de860ea"])
        }
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 1 && counts.events == 3)
    }

    /// identify traits arrive a few at a time: the lead is stored unscored, then scored once the
    /// model's fields are known.
    @Test func aLeadArrivesAFewTraitsAtATime() async throws {
        let bodies = [
            #"{"type": "identify", "userId": "u-7", "messageId": "p-1", "timestamp": "2026-03-02T10:00:00Z", "traits": {"employees": 1500}}"#,
            #"{"type": "identify", "userId": "u-7", "messageId": "p-2", "timestamp": "2026-03-02T10:01:00Z", "traits": {"budgetAuthority": "yes", "emailOpens": 1}}"#,
        ]
        let signed = try await Self.signatures(bodies)
        let running = try await Self.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            var scores: [Int] = []
            for (body, signature) in zip(bodies, signed) {
                let r = try await client.execute(
                    uri: "/integrations/segment", method: .post, headers: Self.headers(signature), body: ByteBuffer(string: body))
                #expect(r.status == .created, "\(ServiceFixture.json(r.body))")
                scores.append(try await running.service.store.counts().scores)
            }
            #expect(scores == [0, 1])
        }
        let stored = try #require(try await running.service.store.lead(id: "u-7"))
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(stored.fields.text.utf8)) as? [String: String])
        #expect(fields["company_size"] == "1000+" && fields["budget_authority"] == "yes", "\(fields)")
    }

    /// Each bad delivery gets its documented refusal and stores nothing.
    @Test func badDeliveriesAreRefusedAndStoreNothing() async throws {
        let bad = [
            #"{"type": "purchase", "userId": "u", "messageId": "x-1", "timestamp": "2026-03-02T10:00:00Z"}"#,
            #"{"type": "identify", "userId": "u", "timestamp": "2026-03-02T10:00:00Z"}"#,
            #"[{"type": "identify", "userId": "u", "messageId": "x-3", "timestamp": "2026-03-02T10:00:00Z"}]"#,
            #"{"type": "identify", "userId": "u", "messageId": "x-4", "timestamp": "yesterday"}"#,
            #"{"type": "track", "messageId": "x-5", "event": "Purchased an Item", "timestamp": "2026-03-02T10:00:00Z"}"#,
            #"{"type": "identify", "userId": "u\u0000v", "messageId": "x-6", "timestamp": "2026-03-02T10:00:00Z"}"#,
            #"{"type": "identify", "#,
            #"{"type": "track", "userId": "nobody", "messageId": "x-8", "event": "Purchased an Item", "timestamp": "2026-03-02T10:00:00Z"}"#,
        ]
        let expected: [(HTTPResponse.Status, String, String)] = [
            (.badRequest, "malformed_delivery", "type"), (.badRequest, "malformed_delivery", "messageId"),
            (.badRequest, "malformed_delivery", "(body)"), (.badRequest, "malformed_delivery", "timestamp"),
            (.badRequest, "malformed_delivery", "userId"), (.badRequest, "malformed_delivery", "userId"),
            (.badRequest, "malformed_delivery", "(body)"), (.unprocessableContent, "unknown_lead", "lead_id"),
        ]
        let good = Self.identify
        let signed = try await Self.signatures(bad + [good]) + (try await Self.signatures([good], secret: "another-secret"))
        let running = try await Self.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            for (index, body) in bad.enumerated() {
                let r = try await client.execute(
                    uri: "/integrations/segment", method: .post, headers: Self.headers(signed[index]), body: ByteBuffer(string: body))
                let error = ServiceFixture.json(r.body)["error"] as? [String: Any] ?? [:]
                #expect(r.status == expected[index].0, "\(index): \(error)")
                #expect(error["code"] as? String == expected[index].1 && error["field"] as? String == expected[index].2, "\(index): \(error)")
            }
            // A body changed after signing, another secret's signature, no signature: 401.
            for (body, signature, code) in [
                (good + " ", signed[bad.count], "bad_signature"), (good, signed[bad.count + 1], "bad_signature"), (good, nil, "missing_header"),
            ] {
                let r = try await client.execute(
                    uri: "/integrations/segment", method: .post, headers: Self.headers(signature), body: ByteBuffer(string: body))
                #expect(r.status == .unauthorized, "\(ServiceFixture.json(r.body))")
                #expect((ServiceFixture.json(r.body)["error"] as? [String: Any])?["code"] as? String == code)
            }
        }
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 0 && counts.events == 0)

        // Without segment_secret_file the route is absent (404), whatever is sent.
        let unconfigured = try await Self.service(secret: nil)
        defer { unconfigured.files.remove() }
        try await Application(router: unconfigured.service.router()).test(.router) { client in
            let r = try await client.execute(
                uri: "/integrations/segment", method: .post, headers: Self.headers(signed[bad.count]), body: ByteBuffer(string: good))
            #expect(
                r.status == .notFound && (ServiceFixture.json(r.body)["error"] as? [String: Any])?["code"] as? String == "integration_not_configured")
        }
    }
}
