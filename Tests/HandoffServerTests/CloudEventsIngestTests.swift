import Foundation
import HTTPTypes
import HandoffServer
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 14's "CloudEvents 1.0 in": `POST /events` in binary, structured and batched content mode,
/// idempotent by `source` + `id`, with fixtures shaped like the examples of the CloudEvents HTTP
/// protocol binding (§3.1.4, §3.2.4, §3.3.3) and JSON format (§3), and requests built by the
/// CloudEvents Python SDK (PyPI `cloudevents`), an implementation independent of this one.
@Suite struct CloudEventsIngestTests {
    static var leadData: [String: Any] {
        [
            "fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4, "demo_requests": 1],
            "source": "webinar",
        ]
    }

    static func headers(_ token: String?, _ pairs: [(String, String)]) throws -> HTTPFields {
        var fields = ServiceFixture.auth(token)
        fields[.contentType] = nil
        for (name, value) in pairs { fields.append(HTTPField(name: try #require(HTTPField.Name(name)), value: value)) }
        return fields
    }

    static func data(_ object: Any) -> ByteBuffer { ServiceFixture.body(object) }

    static func error(_ response: TestResponse) -> [String: Any] { ServiceFixture.json(response.body)["error"] as? [String: Any] ?? [:] }

    /// The binding's binary example (§3.1.4: `ce-specversion`, `ce-type`, `ce-time`, `ce-id`,
    /// `ce-source: /mycontext/subcontext`, `Content-Type: application/json; charset=utf-8`) with a
    /// Baton type and the lead in `ce-subject`.
    static func binary(
        _ token: String?, id: String = "1234-1234-1234", source: String = "/mycontext/subcontext", type: String = "io.baton.lead.created",
        subject: String = "L1", time: String = "2018-04-05T03:56:24Z"
    ) throws -> HTTPFields {
        try headers(
            token,
            [
                ("ce-specversion", "1.0"), ("ce-type", type), ("ce-time", time), ("ce-id", id), ("ce-source", source),
                ("ce-subject", subject), ("Content-Type", "application/json; charset=utf-8"),
            ])
    }

    @Test func binaryModeIsAppliedOnceAndIdempotentBySourceAndID() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let token = running.tokens[.ingest]
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/events", method: .post, headers: try Self.binary(token), body: Self.data(Self.leadData))
            #expect(first.status == .created, "\(ServiceFixture.json(first.body))")
            let eventID = CloudEventsInbound.eventID(source: "/mycontext/subcontext", id: "1234-1234-1234")
            #expect(ServiceFixture.json(first.body)["event_id"] as? String == eventID)
            #expect(eventID.hasPrefix("ce:") && eventID.hasSuffix(":1234-1234-1234") && eventID.utf8.count == 20 + 14)
            // Redelivered: a duplicate. Header names in another case are the same headers (RFC 7230).
            let again = try Self.headers(
                token,
                [
                    ("CE-SpecVersion", "1.0"), ("Ce-Type", "io.baton.lead.created"), ("ce-time", "2018-04-05T03:56:24Z"),
                    ("CE-ID", "1234-1234-1234"), ("ce-source", "/mycontext/subcontext"), ("ce-subject", "L1"),
                    ("content-type", "application/json"),
                ])
            let second = try await client.execute(uri: "/events", method: .post, headers: again, body: Self.data(Self.leadData))
            #expect(second.status == .ok && ServiceFixture.json(second.body)["status"] as? String == "duplicate")
            // The same id from another source is another event.
            let other = try await client.execute(
                uri: "/events", method: .post,
                headers: try Self.binary(token, source: "https://crm.example.com/hooks", type: "io.baton.lead.engaged", time: "2018-04-05T04:00:00Z"),
                body: Self.data(["event_type": "email_open", "content": "Pricing guide"]))
            #expect(other.status == .created, "\(ServiceFixture.json(other.body))")
        }
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 1 && counts.events == 2)
    }

    /// The JSON format's example event (spec `json-format.md` §3: `specversion`, `type`, `source`,
    /// `subject`, `id`, `time`, an extension attribute, `datacontenttype`, `data`) and a JSON batch
    /// (§4) holding a new event and the first one again; an empty batch is allowed by the format.
    @Test func structuredAndBatchedModes() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let token = running.tokens[.ingest]
        let structured: [String: Any] = [
            "specversion": "1.0", "type": "io.baton.lead.created", "source": "https://github.com/cloudevents/spec/pull",
            "subject": "L1", "id": "A234-1234-1234", "time": "2018-04-05T17:31:00Z", "comexampleextension1": "value",
            "comexampleothervalue": 5, "datacontenttype": "application/json", "data": Self.leadData,
        ]
        let engaged: [String: Any] = [
            "specversion": "1.0", "type": "io.baton.lead.engaged", "source": "https://github.com/cloudevents/spec/pull",
            "id": "B234-1234-1234", "time": "2018-04-05T17:35:00Z",
            "data": ["lead_id": "L1", "event_type": "webinar_attended", "content": "Scaling hand-offs"],
        ]
        // data_base64 (binary data) is read when its content type is JSON.
        var encoded = engaged
        encoded["id"] = "C234"
        encoded["data"] = nil
        encoded["data_base64"] = try JSONSerialization.data(withJSONObject: ["lead_id": "L1", "event_type": "email_open"]).base64EncodedString()
        let (structuredBody, batchBody, encodedBody) = (Self.data(structured), Self.data([engaged, structured]), Self.data(encoded))
        try await app.test(.router) { client in
            let one = try await client.execute(
                uri: "/events", method: .post, headers: try Self.headers(token, [("Content-Type", "application/cloudevents+json; charset=UTF-8")]),
                body: structuredBody)
            #expect(one.status == .created, "\(ServiceFixture.json(one.body))")
            let batchHeaders = try Self.headers(token, [("Content-Type", "application/cloudevents-batch+json; charset=UTF-8")])
            let batch = try await client.execute(uri: "/events", method: .post, headers: batchHeaders, body: batchBody)
            #expect(batch.status == .ok)
            let results = ServiceFixture.json(batch.body)["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["status"] as? String } == ["applied", "duplicate"], "\(results)")
            let empty = try await client.execute(uri: "/events", method: .post, headers: batchHeaders, body: ByteBuffer(string: " [ ] "))
            #expect(empty.status == .ok)
            #expect(ServiceFixture.json(empty.body)["counts"] as? [String: Int] == ["applied": 0, "duplicate": 0, "rejected": 0, "not_processed": 0])
            let based = try await client.execute(
                uri: "/events", method: .post, headers: try Self.headers(token, [("Content-Type", "application/cloudevents+json")]),
                body: encodedBody)
            #expect(based.status == .created, "\(ServiceFixture.json(based.body))")
        }
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 1 && counts.events == 3)
    }

    /// Requests built by the CloudEvents Python SDK (binary with a percent-encoded non-ASCII
    /// subject, structured, and a batch of its structured bodies) are applied; the binary one
    /// redelivered is a duplicate.
    @Test func requestsBuiltByThePythonSDKAreApplied() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-ce-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("build.py")
        try """
        import json, sys
        from datetime import datetime, timezone
        from cloudevents.core.v1.event import CloudEvent
        from cloudevents.core.bindings import http
        from cloudevents.core.formats.json import JSONFormat
        lead = json.loads(sys.argv[1])
        def event(id, type, subject, minute, data):
            return CloudEvent(attributes={"id": id, "source": "urn:example:marketing", "type": type, "subject": subject,
                                          "time": datetime(2026, 3, 2, 10, minute, tzinfo=timezone.utc),
                                          "datacontenttype": "application/json"}, data=data)
        out = []
        for mode, e in (("binary", event("sdk-1", "io.baton.lead.created", "Léa 1", 0, lead)),
                        ("structured", event("sdk-2", "io.baton.lead.engaged", "Léa 1", 5, {"event_type": "email_open"}))):
            m = http.to_binary_event(e) if mode == "binary" else http.to_structured_event(e)
            out.append({"headers": dict(m.headers), "body": m.body.decode()})
        batch = [json.loads(JSONFormat().write(event(f"sdk-{i}", "io.baton.lead.engaged", "Léa 1", i, {"event_type": "email_open"})))
                 for i in (6, 7)]
        out.append({"headers": {"content-type": "application/cloudevents-batch+json"}, "body": json.dumps(batch)})
        print(json.dumps(out))
        """.write(to: script, atomically: true, encoding: .utf8)
        let lead = String(decoding: try JSONSerialization.data(withJSONObject: Self.leadData), as: UTF8.self)
        let result = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["cloudevents"])
            return try PythonTooling.run(python.path, [script.path, lead])
        }
        try #require(result.status == 0, "\(result.output)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        try #require(parsed.count == 3)
        let messages: [(headers: [(String, String)], body: String)] = parsed.map { message in
            ((message["headers"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, message["body"] as? String ?? "")
        }
        let subject = messages[0].headers.first { $0.0 == "ce-subject" }?.1
        #expect(subject == "L%C3%A9a%201", "the SDK percent-encodes the subject as the binding says")

        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for message in messages + [messages[0]] {
                let response = try await client.execute(
                    uri: "/events", method: .post, headers: try Self.headers(running.tokens[.ingest], message.headers),
                    body: ByteBuffer(string: message.body))
                statuses.append(response.status)
                if response.status.code >= 300 { Issue.record("\(ServiceFixture.json(response.body))") }
            }
            #expect(statuses == [.created, .created, .ok, .ok])
            let read = try await client.execute(
                uri: "/leads/L%C3%A9a%201", method: .get, headers: ServiceFixture.auth(running.tokens[.sales]), body: ByteBuffer())
            #expect(read.status == .ok, "the lead id is the decoded subject")
        }
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 1 && counts.events == 4)
    }

    /// Each malformed CloudEvent gets its own refusal, naming the attribute, header or data member
    /// at fault, and nothing is stored.
    @Test func malformedCloudEventsAreRefusedAndStoreNothing() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let token = running.tokens[.ingest]
        let structuredType = [("Content-Type", "application/cloudevents+json")]
        func envelope(_ change: (inout [String: Any]) -> Void) -> ByteBuffer {
            var e: [String: Any] = [
                "specversion": "1.0", "type": "io.baton.lead.created", "source": "/crm", "id": "x-1", "subject": "L1",
                "time": "2026-03-02T10:00:00Z", "data": Self.leadData,
            ]
            change(&e)
            return Self.data(e)
        }
        let cases: [(String, HTTPFields, ByteBuffer, HTTPResponse.Status, String, String)] = [
            ("unknown type", try Self.binary(token, type: "com.example.someevent"), Self.data(Self.leadData), .badRequest, "unknown_type", "ce-type"),
            (
                "CloudEvents 0.3",
                try Self.headers(token, [("ce-specversion", "0.3"), ("ce-type", "io.baton.lead.created"), ("ce-id", "1"), ("ce-source", "/x")]),
                Self.data(Self.leadData), .badRequest, "invalid_event", "ce-specversion"
            ),
            (
                "no time",
                try Self.headers(token, [("ce-specversion", "1.0"), ("ce-type", "io.baton.lead.created"), ("ce-id", "1"), ("ce-source", "/x")]),
                Self.data(Self.leadData), .badRequest, "invalid_event", "ce-time"
            ),
            ("bad time", try Self.binary(token, time: "2026-02-30T10:00:00Z"), Self.data(Self.leadData), .badRequest, "invalid_event", "ce-time"),
            ("overlong UTF-8", try Self.binary(token, subject: "L%C0%A0"), Self.data(Self.leadData), .badRequest, "invalid_event", "ce-subject"),
            ("control character", try Self.binary(token, subject: "L%0A1"), Self.data(Self.leadData), .badRequest, "invalid_event", "ce-subject"),
            (
                "data not JSON", try Self.binary(token), ByteBuffer(string: "{\"fields\": "), .badRequest, "invalid_event", "data"
            ),
            (
                "data of another type",
                try Self.headers(
                    token,
                    [
                        ("ce-specversion", "1.0"), ("ce-type", "io.baton.lead.created"), ("ce-id", "1"), ("ce-source", "/x"),
                        ("ce-time", "2026-03-02T10:00:00Z"), ("ce-subject", "L1"), ("Content-Type", "text/plain"),
                    ]), ByteBuffer(string: "hello"), .unsupportedMediaType, "unsupported_media_type", "Content-Type"
            ),
            (
                "event format not JSON", try Self.headers(token, [("Content-Type", "application/cloudevents+xml")]), envelope { _ in },
                .unsupportedMediaType, "unsupported_media_type", "Content-Type"
            ),
            ("envelope not JSON", try Self.headers(token, structuredType), ByteBuffer(string: "{\"id\": 1,"), .badRequest, "invalid_event", "(body)"),
            ("no id", try Self.headers(token, structuredType), envelope { $0["id"] = nil }, .badRequest, "invalid_event", "id"),
            ("id a number", try Self.headers(token, structuredType), envelope { $0["id"] = 7 }, .badRequest, "invalid_event", "id"),
            (
                "event_id in data", try Self.headers(token, structuredType), envelope { e in e["data"] = ["event_id": "e-9"] }, .badRequest,
                "invalid_event", "data.event_id"
            ),
            (
                "integration in data", try Self.headers(token, structuredType),
                envelope { e in e["data"] = ["fields": [:], "integration": "hubspot"] }, .badRequest, "invalid_event", "data.integration"
            ),
            (
                "data and data_base64", try Self.headers(token, structuredType), envelope { $0["data_base64"] = "e30=" }, .badRequest,
                "invalid_event", "data_base64"
            ),
            (
                "subject and lead_id differ", try Self.headers(token, structuredType),
                envelope { e in e["data"] = ["lead_id": "L2", "fields": [:]] }, .badRequest, "invalid_event", "data.lead_id"
            ),
            (
                "fields not an object", try Self.headers(token, structuredType), envelope { e in e["data"] = ["fields": "x"] }, .badRequest,
                "invalid_event", "data.fields"
            ),
            ("data not an object", try Self.headers(token, structuredType), envelope { $0["data"] = [1, 2] }, .badRequest, "invalid_event", "data"),
            (
                "XML data", try Self.headers(token, structuredType), envelope { $0["datacontenttype"] = "application/xml" }, .unsupportedMediaType,
                "unsupported_media_type", "datacontenttype"
            ),
            (
                "unknown lead", try Self.binary(token, type: "io.baton.lead.engaged", subject: "L404"), Self.data(["event_type": "email_open"]),
                .unprocessableContent, "unknown_lead", "ce-subject"
            ),
            (
                "fields the model needs", try Self.headers(token, structuredType), envelope { e in e["data"] = ["fields": ["region": "na"]] },
                .unprocessableContent, "missing_fields", "data.fields"
            ),
            (
                "batch not an array", try Self.headers(token, [("Content-Type", "application/cloudevents-batch+json")]), envelope { _ in },
                .badRequest,
                "invalid_event", "(body)"
            ),
        ]
        try await app.test(.router) { client in
            for (name, headers, body, status, code, field) in cases {
                let response = try await client.execute(uri: "/events", method: .post, headers: headers, body: body)
                let error = Self.error(response)
                #expect(response.status == status, "\(name): \(ServiceFixture.json(response.body))")
                #expect(error["code"] as? String == code && error["field"] as? String == field, "\(name): \(error)")
                #expect((error["message"] as? String)?.isEmpty == false, "\(name)")
            }
        }
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 0 && counts.events == 0)
    }

    /// Header values as the binding's §3.1.3.2 defines them, its own example first.
    @Test func headerValuesArePercentDecodedOnce() {
        #expect(CloudEventsInbound.headerValue("Euro%20%E2%82%AC%20%F0%9F%98%80") == "Euro € 😀")
        #expect(CloudEventsInbound.headerValue("%e2%82%ac") == "€", "lower-case hex is accepted")
        #expect(CloudEventsInbound.headerValue("%2541") == "%41", "one round only")
        #expect(CloudEventsInbound.headerValue(#""a \"quoted\" value""#) == #"a "quoted" value"#)
        #expect(CloudEventsInbound.headerValue("%C0%A0") == nil, "overlong encoding of U+0020")
        #expect(CloudEventsInbound.headerValue("100%") == nil && CloudEventsInbound.headerValue("%zz") == nil)
        #expect(
            CloudEventsInbound.eventID(source: "/a", id: "1") != CloudEventsInbound.eventID(source: "/b", id: "1")
                && CloudEventsInbound.eventID(source: "/a", id: "1") == CloudEventsInbound.eventID(source: "/a", id: "1"))
    }
}
