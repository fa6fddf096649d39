import BatonSupport
import Foundation
import HTTPTypes
import HandoffPersistence
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HandoffServer

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

    /// A service with a `webpush` channel for ana, and a sales token named after her.
    static func pushService(clock: TestClock) async throws -> (ServiceFixture.Running, ana: String) {
        let running = try await ServiceFixture.service(clock: clock) { c in
            c.publicBaseURL = "https://baton.example.com"
            c.alertChannels["ana"] = AlertChannel(kind: .webpush)
        }
        return (running, try await running.service.tokens.issue(name: "ana", role: .sales))
    }

    /// The dashboard's *Turn on* button: shown only when Web Push is configured, carrying the
    /// VAPID public key; its POST stores this browser's subscription for the token's rep, with the
    /// page's cookie and from this origin only.
    @Test func theDashboardSubscribesThisBrowserForItsRep() async throws {
        let clock = TestClock("2026-03-02T10:00:05Z")
        let plain = try await ServiceFixture.service(clock: clock)
        defer { plain.files.remove() }
        try await Application(router: plain.service.router()).test(.router) { client in
            let page = try await client.execute(uri: "/dashboard", method: .get, headers: ServiceFixture.auth(plain.tokens[.sales]))
            #expect(page.status == .ok && !String(buffer: page.body).contains("push-subscribe"), "no button without a webpush channel")
        }
        let (running, ana) = try await Self.pushService(clock: clock)
        defer { running.files.remove() }
        let endpoint = "https://push.example.net/send/ana-phone"
        let subscription = ServiceFixture.body(WebPushDeliveryTests.subscription(endpoint))
        try await Application(router: running.service.router()).test(.router) { client in
            let key = try await client.execute(uri: "/push/vapid-public-key", method: .get, headers: ServiceFixture.auth(ana))
            let publicKey = try require(ServiceFixture.json(key.body)["public_key"] as? String)
            let html = String(buffer: try await client.execute(uri: "/dashboard", method: .get, headers: ServiceFixture.auth(ana)).body)
            #expect(html.contains(#"<button type="button" id="push-subscribe" data-key="\#(publicKey)">Turn on</button>"#), "\(html.prefix(3000))")
            #expect(html.contains(#"fetch("/dashboard/push-subscription""#))

            let siteHeader = HTTPField.Name("Sec-Fetch-Site")!
            func browser(_ token: String, site: String = "same-origin") -> HTTPFields {
                var fields: HTTPFields = [.cookie: "baton_token=\(token)", .contentType: "application/json"]
                fields[siteHeader] = site
                return fields
            }
            let path = "/dashboard/push-subscription"
            let created = try await client.execute(uri: path, method: .post, headers: browser(ana), body: subscription)
            #expect(created.status == .created, "\(String(buffer: created.body))")
            #expect(ServiceFixture.json(created.body)["rep"] as? String == "ana")
            let again = try await client.execute(uri: path, method: .post, headers: browser(ana), body: subscription)
            #expect(again.status == .ok, "the same browser subscribing again renews it")
            #expect(try await running.service.store.pushSubscriptions(rep: "ana").map(\.endpoint) == [endpoint])
            // Another site's page cannot use the cookie; nor can any other route; a token that is
            // not a rep's is told so; a marketing token may not subscribe.
            let crossSite = try await client.execute(uri: path, method: .post, headers: browser(ana, site: "cross-site"), body: subscription)
            #expect(crossSite.status == .unauthorized)
            let otherRoute = try await client.execute(uri: "/push/subscriptions", method: .post, headers: browser(ana), body: subscription)
            #expect(otherRoute.status == .unauthorized)
            let notARep = try await client.execute(uri: path, method: .post, headers: browser(running.tokens[.sales] ?? ""), body: subscription)
            #expect(notARep.status == .badRequest && String(buffer: notARep.body).contains("'sales' is not a rep on the roster"))
            let marketing = try await client.execute(uri: path, method: .post, headers: browser(running.tokens[.marketing] ?? ""), body: subscription)
            #expect(marketing.status == .forbidden)
            let dropped = try await client.execute(
                uri: path, method: .delete, headers: browser(ana), body: ServiceFixture.body(["endpoint": endpoint]))
            #expect(dropped.status == .noContent)
            #expect(try await running.service.store.pushSubscriptions(rep: "ana").isEmpty)
        }
    }

    struct WebAppReport: Decodable {
        struct Worker: Decodable {
            let scope: String
            let state: String
        }
        struct Manifest: Decodable {
            let url: String
            let errors: [String]
            let name: String?
            let startURL: String?
            enum CodingKeys: String, CodingKey {
                case url, errors, name
                case startURL = "start_url"
            }
        }
        struct Shown: Decodable {
            let title: String
            let body: String
            let tag: String
            let actions: [String]
        }
        let worker: Worker
        let manifest: Manifest
        struct Asked: Decodable {
            let userVisibleOnly: Bool?
            let key: String?
        }
        let notifications: [Shown]
        /// What the *Turn on* button passed to `PushManager.subscribe`.
        let asked: Asked
        let buttonStatus: String
        let problems: [String]
    }

    /// Loads the dashboard in headless Chromium as ana, then: the service worker is active for
    /// /dashboard; Chromium's own manifest parser reads the manifest without errors; a push
    /// delivered to the worker through DevTools (`ServiceWorker.deliverPushMessage`, what a push
    /// service's message becomes) shows the notification the server's ``WebPushMessage`` asks for;
    /// the *Turn on* button asks for permission, subscribes with the VAPID key and stores the
    /// subscription through its cookie (only `PushManager.subscribe` is stood in for: headless
    /// Chromium has no push service); and nothing reached the console as an error or an uncaught
    /// exception.
    static let webAppProbe =
        ChromiumDevTools.prelude + #"""
            chromium, url, payload, subscription = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
            proc, profile, call, events = start(chromium, 1200, 900)
            try:
                for domain in ["Runtime", "Log", "Page", "ServiceWorker"]:
                    call(domain + ".enable")
                origin = url.split("/dashboard")[0]
                call("Browser.grantPermissions", origin=origin, permissions=["notifications"])
                open_dashboard(call, url)
                def evaluate(expression):
                    r = call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
                    if "exceptionDetails" in r:
                        raise RuntimeError(f"{expression[:60]}: {r['exceptionDetails']}")
                    return r["result"]["value"]
                worker = json.loads(evaluate("navigator.serviceWorker.ready.then(r => { const w = r.active; return new Promise(done => { if (w.state === 'activated') done(w.state); else w.addEventListener('statechange', () => { if (w.state === 'activated') done(w.state); }); }).then(state => JSON.stringify({scope: r.scope, state})); })"))
                app = call("Page.getAppManifest")
                data = json.loads(app.get("data") or "{}")
                manifest = {"url": app.get("url", ""), "errors": [e.get("message", "") for e in app.get("errors", [])],
                            "name": data.get("name"), "start_url": data.get("start_url")}
                registration = None
                # Deadlines, not counts: on a loaded machine Chromium takes seconds where it takes milliseconds alone.
                for _ in range(600):
                    for e in events:
                        if e["method"] == "ServiceWorker.workerRegistrationUpdated":
                            for r in e["params"]["registrations"]:
                                if not r.get("isDeleted") and r["scopeURL"].startswith(origin + "/dashboard"):
                                    registration = r["registrationId"]
                    if registration:
                        break
                    call("Runtime.evaluate", expression="1")
                    time.sleep(0.1)
                if registration is None:
                    raise RuntimeError("no service worker registration for /dashboard was reported")
                shown = []
                deadline = time.monotonic() + 60
                while not shown and time.monotonic() < deadline:
                    # A push that reaches a worker still starting is dropped, as on a phone: send it again
                    # after 5 s without a notification (one tag, so a repeat replaces, never adds).
                    call("ServiceWorker.deliverPushMessage", origin=origin + "/", registrationId=registration, data=payload)
                    resend = time.monotonic() + 5
                    while time.monotonic() < min(resend, deadline):
                        shown = json.loads(evaluate("navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => JSON.stringify(ns.map(n => ({title: n.title, body: n.body, tag: n.tag, actions: (n.actions || []).map(a => a.action)}))))"))
                        if shown:
                            break
                        time.sleep(0.1)
                # Headless Chromium has no push service: PushManager.subscribe is stood in for (it records
                # what the page asked for and returns the fixture subscription); the rest of the button's
                # path is the page's own: permission, the worker's registration, the key, the POST.
                evaluate("""(() => {
                  const fixture = """ + subscription + """;
                  PushManager.prototype.getSubscription = async () => null;
                  PushManager.prototype.subscribe = async (options) => {
                    window.__asked = {userVisibleOnly: options.userVisibleOnly, key: btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)))};
                    return {toJSON: () => fixture};
                  };
                  document.getElementById('push-subscribe').click();
                  return 0;
                })()""")
                status = ""
                for _ in range(600):
                    status = evaluate("document.getElementById('push-status').textContent")
                    if status:
                        break
                    time.sleep(0.1)
                asked = evaluate("JSON.stringify(window.__asked || {})")
                problems = []
                for e in events:
                    p = e.get("params", {})
                    if e["method"] == "Runtime.exceptionThrown":
                        problems.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:500])
                    elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                        problems.append("console: " + json.dumps(p.get("args", []))[:500])
                    elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                        problems.append("log: " + p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
                print(json.dumps({"worker": worker, "manifest": manifest, "notifications": shown, "asked": json.loads(asked),
                                  "buttonStatus": status, "problems": problems}))
            finally:
                stop(proc, profile)
            """#

    @Test func headlessChromiumRunsTheWorkerAndTheManifestWithoutErrors() async throws {
        let chromium = try require(ChromiumDevTools.chromium, "Debian's chromium package is needed (scripts/setup.sh installs it)")
        let clock = TestClock("2026-03-02T10:00:05Z")
        let (running, ana) = try await Self.pushService(clock: clock)
        defer { running.files.remove() }
        let (port, server) = await ServiceFixture.listen(running.service)
        defer { server.cancel() }
        // What the server would push for a new high-priority hand-off to ana.
        let alert = AlertRecord(
            id: "e-1/1-new-high-priority", kind: "new-high-priority", leadID: "L1", target: "ana",
            payload: try JSONText(encoding: ["summary": "lead L1 handed off to ana (high)", "lead_id": "L1"]), createdAt: clock.now)
        let push = try require(running.service.push)
        let message = WebPushMessage.make(alert: alert, rep: "ana", push: push, now: clock.now)
        let payload = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        let subscription = String(
            decoding: try JSONSerialization.data(withJSONObject: WebPushDeliveryTests.subscription("https://push.example.net/send/probe")),
            as: UTF8.self)
        let report: WebAppReport = try await ChromiumDevTools.run(
            Self.webAppProbe, arguments: [chromium, "http://127.0.0.1:\(port)/dashboard?token=\(ana)", payload, subscription])
        #expect(report.worker.state == "activated" && report.worker.scope == "http://127.0.0.1:\(port)/dashboard", "\(report.worker)")
        #expect(report.manifest.url == "http://127.0.0.1:\(port)/dashboard/manifest.webmanifest")
        #expect(report.manifest.errors.isEmpty, "\(report.manifest.errors)")
        #expect(report.manifest.name == "Baton hand-offs" && report.manifest.startURL == "/dashboard")
        let shown = try require(report.notifications.first, "the pushed alert was not shown")
        #expect(shown.title == message.title && shown.body == message.body && shown.tag == message.tag)
        #expect(
            shown.actions == ["accept", "log-call", "reassign"].prefix(shown.actions.count).map { $0 } && shown.actions.count >= 2, "\(shown.actions)"
        )
        // The button subscribed with the service's VAPID key, user-visible only, and stored it for ana.
        let vapid = try require(Base64URL.decode(try require(push.vapid).publicKey))
        #expect(report.asked.userVisibleOnly == true && report.asked.key == vapid.base64EncodedString(), "\(report.asked)")
        #expect(report.buttonStatus == "On: this device gets the push alerts of ana.", "\(report.buttonStatus)")
        #expect(try await running.service.store.pushSubscriptions(rep: "ana").map(\.endpoint) == ["https://push.example.net/send/probe"])
        #expect(report.problems.isEmpty, "\(report.problems)")
    }
}
