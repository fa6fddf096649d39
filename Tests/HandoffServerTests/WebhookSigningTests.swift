import Foundation
import HandoffServer
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 14's "everything Baton sends is signed": with `webhook_secret_file`, every webhook POST
/// carries the Standard Webhooks headers, and the `standardwebhooks` reference library (Python,
/// independent of this code) accepts them; a changed body or another secret is refused.
@Suite(.serialized) struct WebhookSigningTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

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
        let file = try Self.secretFile(in: folder)
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
        try JSONSerialization.data(withJSONObject: ["secret": Self.secret, "cases": cases]).write(to: input)
        let script = folder.appendingPathComponent("verify.py")
        try """
        import json, sys
        from standardwebhooks.webhooks import Webhook
        data = json.load(open(sys.argv[1]))
        good = Webhook(data["secret"])
        other = Webhook("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")
        for case in data["cases"]:
            good.verify(case["body"], case["headers"])
            for hook, body in ((good, case["body"] + " "), (other, case["body"])):
                try:
                    hook.verify(body, case["headers"])
                    print("ACCEPTED A FORGERY")
                except Exception:
                    pass
        print("verified", len(data["cases"]))
        """.write(to: script, atomically: true, encoding: .utf8)
        let result = try await PythonTooling.offPool {
            let python = try PythonTooling.venv(packages: ["standardwebhooks"])
            return try PythonTooling.run(python.path, [script.path, input.path])
        }
        #expect(result.status == 0 && result.output.contains("verified 2") && !result.output.contains("FORGERY"), "\(result.output)")
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
