import Dispatch
import Foundation
import ScoringModelFormat

#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 of a file computed on another thread while the fit reads, encodes and fits.
///
/// The thread runs at idle priority (Linux `SCHED_IDLE`): it takes only core time nothing else
/// of this process wants, the gaps of the encoding and of the Newton passes' serial steps, so
/// it no longer slows the parallel parse it used to compete with (`baton fit` on 1e6 leads:
/// read stage 0.27 → 0.22 s). If the digest is still unfinished when ``wait()`` is called (a
/// machine kept busy by other processes, where an idle thread would hardly run), the thread is
/// put back to normal priority first, so the wait is never longer than the hashing itself.
final class BackgroundHash: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<String, Error> = .failure(CancellationError())
    private var seconds = 0.0
    /// The hashing thread while it runs (nil once finished), under `lock`: it is only
    /// re-prioritised while it certainly exists.
    private var running: pthread_t?
    /// Set by ``wait()``: the thread must not (or no longer) run at idle priority.
    private var awaited = false
    private let lock = NSLock()

    /// Starts hashing `url` now.
    init(url: URL) {
        let thread = Thread { [self] in
            lock.withLock {
                running = pthread_self()
                if !awaited { Self.setIdlePriority(pthread_self(), true) }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            result = Result { try Checksum.hash(fileAt: url).hex }
            seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            lock.withLock { running = nil }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Idle scheduling (`SCHED_IDLE`) for `thread`, or back to the normal policy (`SCHED_OTHER`).
    private static func setIdlePriority(_ thread: pthread_t, _ idle: Bool) {
        #if os(Linux)
        var parameters = sched_param()
        parameters.sched_priority = 0
        let schedIdle: Int32 = 5  // SCHED_IDLE in <sched.h>, a GNU extension Glibc does not export
        _ = pthread_setschedparam(thread, idle ? schedIdle : Int32(SCHED_OTHER), &parameters)
        #endif
    }

    /// Puts the hashing thread back to normal priority (it stays there).
    func stopIdling() {
        lock.withLock {
            awaited = true
            if let running { Self.setIdlePriority(running, false) }
        }
    }

    /// Waits for the digest; the seconds are the hashing thread's own, start to end.
    func wait() -> (hex: Result<String, Error>, seconds: Double) {
        stopIdling()
        done.wait()
        done.signal()  // later waits return at once
        return (result, seconds)
    }
}
