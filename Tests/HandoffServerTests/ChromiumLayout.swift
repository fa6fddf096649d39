import Foundation
import TestSupport

/// Measures a page's layout in headless Chromium through the DevTools protocol (Python's
/// websocket-client in the test venv): at a given window width, whether the page scrolls
/// sideways, whether any table is wider than its card, how much each visible SVG chart is scaled
/// (its text size on screen), the page's visible text, and a full-page screenshot.
enum ChromiumLayout {
    struct Report: Decodable {
        struct Table: Decodable {
            let card: String
            let overflow: Double
        }
        struct Chart: Decodable {
            let id: String
            let scale: Double
        }
        /// Document width beyond the window, CSS pixels (0 when it does not scroll sideways).
        let pageOverflow: Double
        let tables: [Table]
        let charts: [Chart]
        let text: String
    }

    static let script = #"""
        import base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request
        import websocket

        chromium, url, width, height, shot = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        profile = tempfile.mkdtemp(prefix="baton-chromium-")
        proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                 "--hide-scrollbars", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
                                 f"--window-size={width},{height}", "about:blank"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            page = None
            for _ in range(200):
                try:
                    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2))
                    page = next(t for t in targets if t.get("type") == "page")
                    break
                except Exception:
                    time.sleep(0.1)
            ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
            counter = [0]
            def call(method, **params):
                counter[0] += 1
                ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
                while True:
                    message = json.loads(ws.recv())
                    if message.get("id") == counter[0]:
                        if "error" in message:
                            raise RuntimeError(f"{method}: {message['error']}")
                        return message.get("result", {})
            call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
            call("Page.navigate", url=url)
            # The link's page POSTs the token and is redirected to the dashboard: wait for it.
            ready = False
            for _ in range(300):
                r = call("Runtime.evaluate", expression="location.pathname + '|' + (document.getElementById('dashboard') ? 'y' : 'n') + '|' + document.readyState", returnByValue=True)
                path, found, state = r["result"]["value"].split("|")
                if path == "/dashboard" and found == "y" and state == "complete":
                    ready = True
                    break
                time.sleep(0.1)
            if not ready:
                raise RuntimeError("the dashboard did not load")
            measure = """
            (() => {
              const px = v => parseFloat(v) || 0;
              const tables = [...document.querySelectorAll('table')].map(t => {
                const card = t.closest('.card') || t.parentElement;
                const style = getComputedStyle(card);
                const inner = card.getBoundingClientRect().right - px(style.paddingRight) - px(style.borderRightWidth);
                return {card: (card.querySelector('h2') || {}).textContent || '', overflow: Math.max(0, t.getBoundingClientRect().right - inner, t.scrollWidth - t.clientWidth)};
              });
              const charts = [...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0).map(s => ({
                id: s.id || '', scale: s.getBoundingClientRect().width / (s.viewBox.baseVal.width || s.getBoundingClientRect().width)}));
              return JSON.stringify({pageOverflow: Math.max(0, document.documentElement.scrollWidth - window.innerWidth), tables, charts, text: document.body.innerText});
            })()
            """
            report = call("Runtime.evaluate", expression=measure, returnByValue=True)["result"]["value"]
            image = call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            with open(shot, "wb") as f:
                f.write(base64.b64decode(image))
            print(report)
        finally:
            proc.kill()
            proc.wait()
            shutil.rmtree(profile, ignore_errors=True)
        """#

    /// Loads `url` at `width`×`height`, writes the screenshot to `screenshot` and reports the layout.
    static func measure(chromium: String, url: String, width: Int, height: Int, screenshot: URL) async throws -> Report {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("layout.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let result = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["websocket-client"])
            return try PythonTooling.run(python.path, [file.path, chromium, url, String(width), String(height), screenshot.path])
        }
        guard result.status == 0, let line = result.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw LayoutError(output: result.output)
        }
        return try JSONDecoder().decode(Report.self, from: Data(line.utf8))
    }

    struct LayoutError: Error, CustomStringConvertible {
        let output: String
        var description: String { "the Chromium layout probe failed:\n\(output.suffix(3000))" }
    }
}
