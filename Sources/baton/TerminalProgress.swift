import BatonSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Progress of long work (`generate --events`, `handoff replay`) on standard error, only when it is
/// a terminal and `--quiet` is not given: one line rewritten in place, at most five times a
/// second, with the count, the rate and the time left. Redirected to a file or a pipe (CI, cron,
/// a supervisor's log), nothing is written; the summary on standard output is the same either way.
final class TerminalProgress: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let enabled: Bool
    private let lock = NSLock()
    private let start = Date()
    private var last = Date.distantPast
    private var shown = false

    init(label: String, unit: String, quiet: Bool) {
        self.label = label
        self.unit = unit
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// `done` of `total` (when known) units finished.
    func update(_ done: Int, of total: Int?) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.2 || done == total else { return }
        last = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(label): \(done)"
        if let total, total > 0 {
            text += " of \(total) \(unit) (\(100 * done / total) %)"
        } else {
            text += " \(unit)"
        }
        text += String(format: ", %.0f/s", rate)
        if let total, rate > 0, done < total, let left = (Double(total - done) / rate).roundedInt() {
            text += ", about \(Self.duration(left)) left"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        shown = true
    }

    /// Clears the line, so what follows starts on a clean one.
    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }

    /// `42 s`, `3 min 05 s`, `1 h 02 min`.
    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min \(String(format: "%02d", seconds % 60)) s" }
        return "\(seconds / 3600) h \(String(format: "%02d", (seconds % 3600) / 60)) min"
    }
}
