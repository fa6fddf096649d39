import Foundation
import Testing

@testable import HandoffPostgres

/// ``ReadDeadline/run(seconds:_:)`` without a server: a body that never answers is given up at
/// the deadline (not waited for, as a task group would), and a body that answers in time is
/// unchanged, value or error.
@Suite struct ReadDeadlineTests {
    /// Holds a continuation nobody resumes until the test ends: a reply that never comes, and a
    /// waiter that ignores cancellation (as a query on a connection closed under it did once).
    private final class NeverAnswered: @unchecked Sendable {
        private let lock = NSLock()
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func wait() async { await withCheckedContinuation { continuation in lock.withLock { waiting.append(continuation) } } }

        func releaseAll() {
            let all = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                defer { waiting.removeAll() }
                return waiting
            }
            for continuation in all { continuation.resume() }
        }
    }

    @Test func aBodyThatNeverAnswersIsGivenUpAtTheDeadline() async throws {
        let stuck = NeverAnswered()
        defer { stuck.releaseAll() }
        let error = await #expect(throws: ReadDeadline.self) {
            try await ReadDeadline.run(seconds: 0.2) { () async throws -> Int in
                await stuck.wait()
                return 1
            }
        }
        #expect(error?.seconds == 0.2)
        #expect(PostgresErrors.isConnectionLoss(ReadDeadline(seconds: 0.2)), "retried as a lost connection")
        #expect(PostgresErrors.connectionReason(ReadDeadline(seconds: 0.2)) == "the read got no answer within 0.2 s")
    }

    @Test func aBodyThatAnswersInTimeKeepsItsValueOrError() async throws {
        struct Refused: Error {}
        for _ in 0..<200 {  // both orders of the race between the body and the installed continuation
            #expect(try await ReadDeadline.run(seconds: 30) { 42 } == 42)
            await #expect(throws: Refused.self) { try await ReadDeadline.run(seconds: 30) { () async throws -> Int in throw Refused() } }
        }
    }

    @Test func cancellingTheCallerCancelsTheBody() async throws {
        let task = Task {
            try await ReadDeadline.run(seconds: 30) { () async throws -> Int in
                try await Task.sleep(nanoseconds: 30_000_000_000)
                return 1
            }
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
