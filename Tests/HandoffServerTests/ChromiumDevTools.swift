import Foundation
import TestSupport

/// The Python half every headless-Chromium probe shares (run with the test venv's
/// websocket-client): `start(chromium, width, height)` launches Chromium with a throw-away
/// profile and a DevTools port and returns `(proc, profile, call, events)`, where
/// `call(method, **params)` sends one DevTools protocol command and returns its result and
/// `events` collects every event received meanwhile (`{"method", "params"}`);
/// `open_dashboard(call, url)` loads a `/dashboard?token=…` link and waits for the dashboard
/// behind it (the link's page POSTs the token and is redirected).
enum ChromiumDevTools {
    /// Runs `script` (a probe built on ``prelude``) with `arguments` in the test venv, off the
    /// cooperative pool (the in-process server Chromium loads from needs the pool), and decodes
    /// the last line it printed that starts with `{`.
    static func run<Report: Decodable>(_ script: String, arguments: [String]) async throws -> Report {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-chromium-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("probe.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let result = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["websocket-client"])
            return try PythonTooling.run(python.path, [file.path] + arguments)
        }
        guard result.status == 0, let line = result.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw ProbeError(output: result.output)
        }
        return try JSONDecoder().decode(Report.self, from: Data(line.utf8))
    }

    struct ProbeError: Error, CustomStringConvertible {
        let output: String
        var description: String { "the headless Chromium probe failed:\n\(output.suffix(3000))" }
    }

    /// The path of Debian's Chromium, when installed.
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let prelude = #"""
        import base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request
        import websocket

        def start(chromium, width, height):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            profile = tempfile.mkdtemp(prefix="baton-chromium-")
            proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                     "--hide-scrollbars", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
                                     f"--window-size={width},{height}", "about:blank"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            page = None
            for _ in range(200):
                try:
                    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2))
                    page = next(t for t in targets if t.get("type") == "page")
                    break
                except Exception:
                    time.sleep(0.1)
            if page is None:
                proc.kill()
                raise RuntimeError("Chromium's DevTools port did not answer")
            ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
            counter = [0]
            events = []
            def call(method, **params):
                counter[0] += 1
                ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
                while True:
                    message = json.loads(ws.recv())
                    if message.get("id") == counter[0]:
                        if "error" in message:
                            raise RuntimeError(f"{method}: {message['error']}")
                        return message.get("result", {})
                    if "method" in message:
                        events.append(message)
            return proc, profile, call, events

        def open_dashboard(call, url):
            call("Page.navigate", url=url)
            for _ in range(300):
                r = call("Runtime.evaluate", expression="location.pathname + '|' + (document.getElementById('dashboard') ? 'y' : 'n') + '|' + document.readyState", returnByValue=True)
                path, found, state = r["result"]["value"].split("|")
                if path == "/dashboard" and found == "y" and state == "complete":
                    return
                time.sleep(0.1)
            raise RuntimeError("the dashboard did not load")

        def stop(proc, profile):
            proc.kill()
            proc.wait()
            shutil.rmtree(profile, ignore_errors=True)

        """#
}
