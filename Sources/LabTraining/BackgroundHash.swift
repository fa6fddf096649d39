import Dispatch
import Foundation
import ScoringModelFormat

/// SHA-256 of a file computed on another thread, so that hashing the training CSV overlaps
/// the single-threaded encoding stage instead of adding to the run.
final class BackgroundHash: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<String, Error> = .failure(CancellationError())
    private var seconds = 0.0

    /// Starts hashing `url` now.
    init(url: URL) {
        let thread = Thread { [self] in
            let start = DispatchTime.now().uptimeNanoseconds
            result = Result { try Checksum.hash(fileAt: url).hex }
            seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits for the digest; the seconds are the hashing thread's own, start to end.
    func wait() -> (hex: Result<String, Error>, seconds: Double) {
        done.wait()
        done.signal()  // later waits return at once
        return (result, seconds)
    }
}
