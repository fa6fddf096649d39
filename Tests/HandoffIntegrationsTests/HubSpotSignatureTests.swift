import Foundation
import HandoffIntegrations
import TestSupport
import Testing

/// HubSpot's v3 signature, computed here with the documented algorithm and checked against
/// HubSpot's own Python client (`hubspot-api-client`, `hubspot.utils.signature.Signature`).
@Suite struct HubSpotSignatureTests {
    static let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
    // The v1 page's example body (developers.hubspot.com, "v1 request validation").
    static let body = Data(
        #"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]"#
            .utf8)
    static let now = Date(timeIntervalSince1970: 1_764_000_000)
    static var timestamp: String { String(Int64(now.timeIntervalSince1970 * 1000) - 2_000) }

    static func request(uri: String, signature: String?, timestamp: String? = timestamp, body: Data = body, at: Date = now) -> IntegrationRequest {
        var headers: [String: String] = ["Content-Type": "application/json"]
        if let signature { headers["X-HubSpot-Signature-v3"] = signature }
        if let timestamp { headers["X-HubSpot-Request-Timestamp"] = timestamp }
        return IntegrationRequest(method: "POST", uri: uri, headers: headers, body: body, receivedAt: at)
    }

    @Test func onlyTheDocumentedEscapesAreDecoded() {
        #expect(
            HubSpotSignature.decodedURI("https://baton.example.com/integrations/hubspot?a=%3A%2f%3F%40%21%24%27%28%29%2A%2C%3B&b=%20%25%2B")
                == "https://baton.example.com/integrations/hubspot?a=:/?@!$'()*,;&b=%20%25%2B")
        #expect(HubSpotSignature.decodedURI("https://x.example/%3") == "https://x.example/%3")
    }

    @Test func signaturesMatchHubSpotsPythonClientAndVerify() async throws {
        let uris = [
            "https://baton.example.com/integrations/hubspot", "http://127.0.0.1:8080/integrations/hubspot?portal=62515&x=%3Ay",
        ]
        var cases: [[String: String]] = []
        for uri in uris {
            let signature = HubSpotSignature.sign(
                method: "POST", uri: uri, body: Self.body, timestamp: Self.timestamp, clientSecret: Self.secret)
            try HubSpotSignature.verify(Self.request(uri: uri, signature: signature), clientSecret: Self.secret)
            // HubSpot's client signs the URI it is given; the page says to decode it first.
            cases.append(["uri": HubSpotSignature.decodedURI(uri), "signature": signature])
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-hubspot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("cases.json"), script = folder.appendingPathComponent("check.py")
        let payload: [String: Any] = [
            "secret": Self.secret, "body": String(decoding: Self.body, as: UTF8.self), "timestamp": Self.timestamp, "cases": cases,
        ]
        try JSONSerialization.data(withJSONObject: payload).write(to: input)
        try """
        import json, sys
        from hubspot.utils.signature import Signature
        data = json.load(open(sys.argv[1]))
        for case in data["cases"]:
            expected = Signature.get_signature(data["secret"], data["body"], "v3", case["uri"], "POST", data["timestamp"])
            print("match" if expected == case["signature"] else "MISMATCH " + expected + " " + case["signature"])
        """.write(to: script, atomically: true, encoding: .utf8)
        let result = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["hubspot-api-client"])
            return try PythonTooling.run(python.path, [script.path, input.path])
        }
        #expect(
            result.status == 0 && result.output.components(separatedBy: "match").count - 1 == 2 && !result.output.contains("MISMATCH"),
            "\(result.output)")
    }

    @Test func forgedStaleAndIncompleteRequestsAreRefusedWith401() throws {
        let uri = "https://baton.example.com/integrations/hubspot"
        let good = HubSpotSignature.sign(method: "POST", uri: uri, body: Self.body, timestamp: Self.timestamp, clientSecret: Self.secret)
        func refusal(_ request: IntegrationRequest, secret: String = Self.secret) -> IntegrationRefusal? {
            do {
                try HubSpotSignature.verify(request, clientSecret: secret)
                return nil
            } catch { return error }
        }
        #expect(refusal(Self.request(uri: uri, signature: good)) == nil)
        #expect(refusal(Self.request(uri: uri, signature: good), secret: "another secret") == .badSignature(header: "X-HubSpot-Signature-v3"))
        #expect(refusal(Self.request(uri: uri, signature: good, body: Self.body + Data(" ".utf8)))?.code == "bad_signature")
        #expect(refusal(Self.request(uri: uri + "?x=1", signature: good))?.code == "bad_signature")
        #expect(refusal(Self.request(uri: uri, signature: "not base64!"))?.code == "bad_signature")
        #expect(refusal(Self.request(uri: uri, signature: nil)) == .missingHeader("X-HubSpot-Signature-v3"))
        #expect(refusal(Self.request(uri: uri, signature: good, timestamp: nil)) == .missingHeader("X-HubSpot-Request-Timestamp"))
        #expect(refusal(Self.request(uri: uri, signature: good, timestamp: "soon"))?.status == 400)
        // The timestamp is signed: a replay with a fresh timestamp fails the signature; an old one is stale.
        let later = Self.now.addingTimeInterval(301)
        #expect(
            refusal(Self.request(uri: uri, signature: good, at: later))
                == .staleTimestamp(header: "X-HubSpot-Request-Timestamp", ageSeconds: 303, limitSeconds: 300))
        #expect(refusal(Self.request(uri: uri, signature: good, at: Self.now.addingTimeInterval(297))) == nil)
        #expect(refusal(Self.request(uri: uri, signature: good, at: Self.now.addingTimeInterval(-400)))?.code == "stale_timestamp")
        #expect(refusal(Self.request(uri: uri, signature: good))?.status == nil)
        #expect(IntegrationRefusal.badSignature(header: "X-HubSpot-Signature-v3").status == 401)
    }
}
