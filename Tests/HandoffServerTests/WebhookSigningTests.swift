import Foundation
import HandoffServer
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 14's "everything Baton sends is signed": with `webhook_secret_file`, every webhook POST
/// carries the Standard Webhooks headers, and the `standardwebhooks` reference library (Python,
/// independent of this code) accepts them; a changed body or another secret is refused. During a
/// rotation (two secrets in the file) each secret alone verifies. The bodies are CloudEvents 1.0
/// in structured mode, as the CloudEvents Python SDK reads them.
@Suite(.serialized) struct WebhookSigningTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    /// The secret a rotation moves to.
    static let nextSecret = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY="

    static func secretFile(in folder: URL, mode: Int = 0o600, text: String = secret) throws -> String {
        let file = folder.appendingPathComponent("webhook-secret").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }

    @Test func everyWebhookIsSignedAndTheReferenceLibraryVerifiesIt() async throws {
        let hooks = FakeWebhook()
        try await hooks.start()
        defer { Task { await hooks.stop() } }
        let port = await hooks.port
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-whsec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.secretFile(in: folder, text: Self.secret + "\n" + Self.nextSecret + "\n")
        let running = try await ServiceFixture.service { c in
            c.crmSyncURL = "http://127.0.0.1:\(port)/crm"
            c.defaultChannel = AlertChannel(kind: .webhook, url: "http://127.0.0.1:\(port)/alerts")
            c.webhookSecretFile = file
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let r = try await client.execute(
                uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]), body: ServiceFixture.body(IngestTests.created))
            #expect(r.status == .created)
        }
        #expect(await running.service.deliverer.deliverDue() == 2)  // the CRM sync and the new-high-priority alert
        let received = await hooks.received
        let headers = await hooks.signatureHeaders
        #expect(Set(received.map(\.path)) == ["/crm", "/alerts"])
        #expect(headers.allSatisfy { $0["webhook-id"]?.hasPrefix("msg_") == true && $0["webhook-signature"]?.hasPrefix("v1,") == true })
        #expect(headers.allSatisfy { $0["webhook-signature"]?.split(separator: " ").count == 2 }, "one signature per secret during a rotation")
        #expect(headers.allSatisfy { $0["content-type"] == "application/cloudevents+json; charset=utf-8" })
        #expect(Set(headers.compactMap { $0["webhook-id"] }).count == 2, "one message id per message")
        #expect(
            headers.first?["webhook-id"] == WebhookSigner.messageID(alertID: "e-1/crm-sync")
                || headers.last?["webhook-id"] == WebhookSigner.messageID(alertID: "e-1/crm-sync"))

        // The reference library: verify each as received, then a changed body, then another secret.
        var cases: [[String: Any]] = []
        for (index, delivery) in received.enumerated() {
            cases.append(["body": delivery.body, "headers": headers[index]])
        }
        let input = folder.appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: ["secrets": [Self.secret, Self.nextSecret], "cases": cases]).write(to: input)
        let script = folder.appendingPathComponent("verify.py")
        try """
        import json, sys
        from standardwebhooks.webhooks import Webhook
        from cloudevents.core.bindings.http import HTTPMessage, from_http
        from cloudevents.core.formats.json import JSONFormat
        data = json.load(open(sys.argv[1]))
        old, new = (Webhook(s) for s in data["secrets"])
        other = Webhook("whsec_" + "c3RyYW5nZXJzIGRvIG5vdCBrbm93IHRoaXMga2V5ISE=")
        for case in data["cases"]:
            old.verify(case["body"], case["headers"])
            new.verify(case["body"], case["headers"])
            for hook, body in ((old, case["body"] + " "), (other, case["body"])):
                try:
                    hook.verify(body, case["headers"])
                    print("ACCEPTED A FORGERY")
                except Exception:
                    pass
            message = HTTPMessage(headers={"content-type": case["headers"]["content-type"]}, body=case["body"].encode())
            event = from_http(message, JSONFormat())
            assert isinstance(event.get_data(), dict), "data is a JSON object"
            print("event", event.get_specversion(), event.get_type(), event.get_id(), event.get_source(), event.get_subject(),
                  event.get_time().isoformat())
        print("verified", len(data["cases"]))
        """.write(to: script, atomically: true, encoding: .utf8)
        let result = try await BlockingWork.run {
            // cloudevents 2.x: the core bindings API (cloudevents.core), CloudEvents 1.0 structured JSON.
            let python = try PythonTooling.venv(packages: ["standardwebhooks", "cloudevents>=2.2"])
            return try PythonTooling.run(python.path, [script.path, input.path])
        }
        #expect(result.status == 0 && result.output.contains("verified 2") && !result.output.contains("FORGERY"), "\(result.output)")
        #expect(result.output.contains("event 1.0 io.baton.lead.changed e-1/crm-sync urn:baton:serve L1 2026-"), "\(result.output)")
        #expect(result.output.contains("event 1.0 io.baton.handoff.created e-1/1-new-high-priority urn:baton:serve L1 2026-"), "\(result.output)")
    }

    @Test func unsignedWhenNoSecretAndRefusedSecretsNameTheFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-whsec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let open = try Self.secretFile(in: folder, mode: 0o644)
        #expect(throws: ServiceError.self) { try WebhookSigner.load(file: open) }
        do { _ = try WebhookSigner.load(file: open) } catch { #expect(error.description.contains("chmod 600") && error.description.contains(open)) }
        for bad in ["secret", "whsec_not*base64", "whsec_c2hvcnQ="] {  // no prefix, not base64, a 5-byte key
            let file = try Self.secretFile(in: folder, text: bad)
            do {
                _ = try WebhookSigner.load(file: file)
                Issue.record("\(bad) accepted")
            } catch { #expect(error.description.contains("webhook_secret_file"), "\(error.description)") }
        }
        // The same alert keeps its message id on every retry; the timestamp is the attempt's.
        let signer = try WebhookSigner(secret: Self.secret)
        let id = WebhookSigner.messageID(alertID: "e-1/crm-sync")
        #expect(id == WebhookSigner.messageID(alertID: "e-1/crm-sync") && id != WebhookSigner.messageID(alertID: "e-2/crm-sync"))
        let first = signer.headers(id: id, at: Date(timeIntervalSince1970: 1_674_087_231), body: Data("{}".utf8))
        #expect(first.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"] && first[1].value == "1674087231")
    }
}
