import Foundation

/// Blocking work in an async test: a child process to wait for, a pipe to read to its end.
package enum BlockingWork {
    /// Runs blocking work (a child process, pipe reads) on a thread of its own, never on the two
    /// threads of Swift's cooperative pool: blocking them starves every in-process server of the
    /// suite (their requests time out while pip or a tool runs). Not on Dispatch's global queue
    /// either: with a dozen such waits at once on two cores, its Linux thread pool stopped running
    /// new blocks (the suite hung with every thread idle and the blocks never started).
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
