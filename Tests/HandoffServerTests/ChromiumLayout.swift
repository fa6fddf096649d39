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

    static let script =
        ChromiumDevTools.prelude + #"""
            chromium, url, width, height, shot = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
            proc, profile, call, events = start(chromium, width, height)
            try:
                call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
                open_dashboard(call, url)
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
                stop(proc, profile)
            """#

    /// Loads `url` at `width`×`height`, writes the screenshot to `screenshot` and reports the layout.
    static func measure(chromium: String, url: String, width: Int, height: Int, screenshot: URL) async throws -> Report {
        try await ChromiumDevTools.run(script, arguments: [chromium, url, String(width), String(height), screenshot.path])
    }
}
