import BatonSupport
import Foundation

/// A read that did not finish in time: its connection stopped answering (the server closed it
/// without the client noticing, or the pool never handed one out). Treated as a lost connection:
/// the read is retried on another.
struct ReadDeadline: Error {
    let seconds: Double

    /// Runs `body` in a task of its own and returns what it returns or throws, unless `seconds`
    /// pass first: then `body` is cancelled and ``ReadDeadline`` is thrown at once, without
    /// waiting for `body` to end. A task group cannot do this: it waits for every child, and a
    /// child awaiting a reply that never comes does not end when cancelled. Cancelling the
    /// caller cancels `body`.
    static func run<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = DeadlineRace<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let work = Task {
                    do { race.settle(.success(try await body())) } catch { race.settle(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(nanoseconds: UInt64((seconds * 1e9).clampedInt(in: 0...Int.max)))
                    race.settle(.failure(ReadDeadline(seconds: seconds)))
                }
                race.install(continuation, work: work, timer: timer)
            }
        } onCancel: {
            race.cancelWork()
        }
    }
}

/// The first of a body's outcome and its deadline, handed to the waiting caller once; the loser
/// is cancelled and its outcome dropped.
private final class DeadlineRace<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    /// The winner, kept when it came before the continuation was installed.
    private var early: Result<T, any Error>?
    private var settled = false
    private var work: Task<Void, Never>?
    private var timer: Task<Void, Never>?
    private var cancelled = false

    func install(_ continuation: CheckedContinuation<T, any Error>, work: Task<Void, Never>, timer: Task<Void, Never>) {
        let (ready, cancel) = lock.withLock { () -> (Result<T, any Error>?, Bool) in
            self.work = work
            self.timer = timer
            if let early { return (early, false) }
            self.continuation = continuation
            return (nil, cancelled)
        }
        if cancel { work.cancel() }
        if let ready {
            work.cancel()
            timer.cancel()
            continuation.resume(with: ready)
        }
    }

    func settle(_ outcome: Result<T, any Error>) {
        let (waiting, work, timer) = lock.withLock { () -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?, Task<Void, Never>?) in
            guard !settled else { return (nil, nil, nil) }
            settled = true
            guard let continuation else {
                early = outcome
                return (nil, nil, nil)
            }
            self.continuation = nil
            return (continuation, self.work, self.timer)
        }
        work?.cancel()
        timer?.cancel()
        waiting?.resume(with: outcome)
    }

    func cancelWork() {
        let work = lock.withLock { () -> Task<Void, Never>? in
            cancelled = true
            return self.work
        }
        work?.cancel()
    }
}
