import Foundation
import HTTPTypes
import HandoffServer
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The dashboard as an installable web app (issue 17): the manifest and service worker load
/// without a token, the page links and registers them under a CSP that allows exactly that, and
/// the worker (run in Node with the browser's `self` stood in) turns a push into a notification
/// and a click on Accept into opening that button's page.
@Suite struct DashboardWebAppTests {
    @Test func manifestAndWorkerAreServedAndLinked() async throws {
        let clock = TestClock("2026-03-02T10:00:05Z")
        let running = try await ServiceFixture.service(clock: clock)
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let manifest = try await client.execute(uri: "/dashboard/manifest.webmanifest", method: .get)
            #expect(manifest.status == .ok && manifest.headers[.contentType] == "application/manifest+json")
            let object = try require((try? JSONSerialization.jsonObject(with: Data(buffer: manifest.body))) as? [String: Any])
            #expect(object["start_url"] as? String == "/dashboard" && object["scope"] as? String == "/dashboard")
            #expect(object["display"] as? String == "standalone" && object["name"] as? String == "Baton hand-offs")
            let icons = try require(object["icons"] as? [[String: Any]])
            let icon = try await client.execute(uri: try require(icons.first?["src"] as? String), method: .get)
            #expect(icon.status == .ok && String(buffer: icon.body).hasPrefix("<svg"))
            let worker = try await client.execute(uri: "/dashboard/sw.js", method: .get)
            #expect(worker.status == .ok && worker.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(worker.headers[HTTPField.Name("Service-Worker-Allowed")!] == "/dashboard")
            // The page links both, under a CSP that allows them from this origin only.
            let page = try await client.execute(
                uri: "/dashboard", method: .get, headers: ServiceFixture.auth(running.tokens[.marketing]))
            let html = String(buffer: page.body)
            #expect(html.contains(#"<link rel="manifest" href="/dashboard/manifest.webmanifest">"#))
            #expect(html.contains(#"navigator.serviceWorker.register("/dashboard/sw.js", {scope: "/dashboard"})"#))
            let csp = page.headers[.contentSecurityPolicy] ?? ""
            #expect(csp.contains("manifest-src 'self'") && csp.contains("worker-src 'self'"), "\(csp)")
        }
    }

    @Test func theWorkerShowsAPushAndOpensTheClickedActionsPage() async throws {
        let node = try require(["/usr/bin/node", "/usr/bin/nodejs"].first { FileManager.default.isExecutableFile(atPath: $0) }, "node")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-sw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = TestClock("2026-03-02T10:00:05Z")
        let running = try await ServiceFixture.service(clock: clock)
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let worker = folder.appendingPathComponent("sw.js")
        try await app.test(.router) { client in
            let source = String(buffer: try await client.execute(uri: "/dashboard/sw.js", method: .get).body)
            try source.write(to: worker, atomically: true, encoding: .utf8)
        }
        let harness = folder.appendingPathComponent("harness.js")
        try """
        const fs = require("fs");
        const listeners = {}, shown = [], opened = [], waits = [];
        const self = {
          addEventListener: (type, f) => { listeners[type] = f; },
          skipWaiting: () => {}, clients: {claim: async () => {}, openWindow: async (u) => { opened.push(u); }},
          registration: {showNotification: async (title, options) => { shown.push({title, options}); }}
        };
        new Function("self", fs.readFileSync(process.argv[2], "utf8"))(self);
        const alert = {title: "Baton: new high priority, lead L1", body: "lead L1 handed off to ana", tag: "TOPIC",
          url: "https://b.example/actions/A", actions: [{action: "accept", title: "Accept", url: "https://b.example/actions/A"},
          {action: "log-call", title: "Log a call", url: "https://b.example/actions/C"}]};
        listeners.push({data: {json: () => alert, text: () => JSON.stringify(alert)}, waitUntil: (p) => waits.push(p)});
        (async () => {
          await Promise.all(waits);
          const n = shown[0];
          const click = (action) => listeners.notificationclick({action, notification: {data: n.options.data, close: () => {}}, waitUntil: (p) => waits.push(p)});
          click("log-call"); click(""); click("accept");
          await Promise.all(waits);
          console.log(JSON.stringify({shown, opened}));
        })();
        """.write(to: harness, atomically: true, encoding: .utf8)
        let result = try await BlockingWork.run { try PythonTooling.run(node, [harness.path, worker.path]) }
        #expect(result.status == 0, "\(result.output)")
        let out = try require(
            (try? JSONSerialization.jsonObject(with: Data(result.output.utf8))) as? [String: Any], "harness output: \(result.output)")
        let shown = try require((out["shown"] as? [[String: Any]])?.first)
        #expect(shown["title"] as? String == "Baton: new high priority, lead L1")
        let options = try require(shown["options"] as? [String: Any])
        #expect(options["tag"] as? String == "TOPIC" && options["body"] as? String == "lead L1 handed off to ana")
        #expect((options["actions"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Accept", "Log a call"])
        #expect(
            out["opened"] as? [String] == ["https://b.example/actions/C", "https://b.example/actions/A", "https://b.example/actions/A"],
            "an action opens its page; the notification itself opens its url")
    }
}
