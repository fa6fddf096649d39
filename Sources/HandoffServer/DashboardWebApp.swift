import BatonSupport
import HTTPTypes
import Hummingbird

/// The dashboard as an installable web app: its Web App Manifest (W3C Web Application Manifest:
/// `name`, `start_url`, `scope`, `display`, `icons`) and the service worker that shows Web Push
/// alerts (W3C Push API `push` event → `showNotification`; Notifications API `notificationclick`
/// → open the action's page). Both are static and hold no data, so they are served without a
/// token (a browser fetches them without the page's cookie path guarantees).
///
/// The worker reads the JSON ``WebPushMessage`` sends: `title`, `body`, `tag` (a newer alert about
/// the same lead replaces the older notification), `url` (the notification's click) and `actions`
/// (`accept`, `log-call`, each with its page's `url`; the page's form applies the action).
enum DashboardWebApp {
    static let manifestPath = "/dashboard/manifest.webmanifest"
    static let workerPath = "/dashboard/sw.js"
    /// Where the dashboard's *Turn on* button stores this browser's subscription (cookie-authenticated).
    static let subscriptionPath = "/dashboard/push-subscription"

    /// The dashboard's line that subscribes this browser to its rep's Web Push alerts (nil when no
    /// `webpush` channel is configured): a button carrying the VAPID public key (RFC 8292 §3.2's
    /// `applicationServerKey`) and a status the script fills.
    static func subscribeLine(publicKey: String?) -> String {
        guard let publicKey else { return "" }
        return """
            <p class="note" id="push">Push alerts on this device (phone or laptop): \
            <button type="button" id="push-subscribe" data-key="\(xmlEscaped(publicKey))">Turn on</button> \
            <span id="push-status" role="status"></span></p>
            """
    }

    /// The page script's part behind ``subscribeLine(publicKey:)``: asks for permission, subscribes
    /// through the worker's registration (W3C Push API `PushManager.subscribe`, `userVisibleOnly`),
    /// and POSTs `PushSubscription.toJSON()` to ``subscriptionPath``; every outcome is said in words.
    static let subscribeScript = """
        const pushButton = document.getElementById("push-subscribe");
        if (pushButton) {
          const say = (text) => { document.getElementById("push-status").textContent = text; };
          if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
            pushButton.disabled = true;
            say("This browser cannot receive push alerts; use the ntfy app, or another browser.");
          } else {
            pushButton.addEventListener("click", async () => {
              try {
                if (await Notification.requestPermission() !== "granted") { say("Notifications are blocked for this site: allow them in the browser's site settings, then press Turn on again."); return; }
                const registration = await navigator.serviceWorker.ready;
                const text = pushButton.dataset.key.replace(/-/g, "+").replace(/_/g, "/");
                const key = Uint8Array.from(atob(text + "=".repeat((4 - text.length % 4) % 4)), (c) => c.charCodeAt(0));
                const subscription = (await registration.pushManager.getSubscription()) || await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key});
                const r = await fetch("\(subscriptionPath)", {method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"}, body: JSON.stringify(subscription)});
                const answer = await r.json().catch(() => ({}));
                say(r.ok ? "On: this device gets the push alerts of " + answer.rep + "." : "Not turned on: " + ((answer.error && answer.error.message) || ("HTTP " + r.status)));
              } catch (e) {
                say("Not turned on: " + e.message);
              }
            });
          }
        }
        """

    /// An SVG icon (any size), so the manifest needs no binary file.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#1d2330"/>\
        <path d="M22 70 L70 22" stroke="#f6c343" stroke-width="12" stroke-linecap="round"/></svg>
        """
    static let iconPath = "/dashboard/icon.svg"

    static let manifest = """
        {"name": "Baton hand-offs", "short_name": "Baton", "start_url": "/dashboard", "scope": "/dashboard",
         "display": "standalone", "background_color": "#f6f7f9", "theme_color": "#1d2330",
         "icons": [{"src": "/dashboard/icon.svg", "sizes": "any", "type": "image/svg+xml"}]}

        """

    static let worker = """
        // Baton's service worker: shows Web Push alerts and opens their pages (issue 17).
        self.addEventListener("install", () => self.skipWaiting());
        self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
        self.addEventListener("push", (event) => {
          let alert = {};
          try { alert = event.data ? event.data.json() : {}; } catch (e) { alert = {body: event.data ? event.data.text() : ""}; }
          const actions = Array.isArray(alert.actions) ? alert.actions : [];
          event.waitUntil(self.registration.showNotification(alert.title || "Baton", {
            body: alert.body || "",
            tag: alert.tag || undefined,
            renotify: Boolean(alert.tag),
            icon: "/dashboard/icon.svg",
            data: {url: alert.url || "/dashboard", actions: Object.fromEntries(actions.map((a) => [a.action, a.url]))},
            actions: actions.map((a) => ({action: a.action, title: a.title}))
          }));
        });
        self.addEventListener("notificationclick", (event) => {
          event.notification.close();
          const data = event.notification.data || {};
          const url = (event.action && data.actions && data.actions[event.action]) || data.url || "/dashboard";
          event.waitUntil(self.clients.openWindow(url));
        });

        """

    static func addRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get(RouterPath(manifestPath)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/manifest+json", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: manifest)))
        }
        router.get(RouterPath(workerPath)) { _, _ in
            // The worker controls /dashboard itself, which lies outside its default scope (/dashboard/).
            var headers: HTTPFields = [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"]
            headers[HTTPField.Name("Service-Worker-Allowed")!] = "/dashboard"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: worker)))
        }
        router.get(RouterPath(iconPath)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(string: icon)))
        }
    }
}
