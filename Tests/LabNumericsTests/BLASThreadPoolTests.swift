import Foundation
import Testing

@testable import LabNumerics

/// `baton` stops OpenBLAS's worker pool first thing (``BLASThreadPool/release()``): the thread
/// count is unchanged, a call that wants the pool (Firth's method) starts it again, and every
/// fit gives the same numbers as before, bit for bit.
///
/// Both run in a child process of their own (an exit test). OpenBLAS's pool and thread count are
/// one per process: in the test runner, other suites fitting at the same moment change the thread
/// count under a fit (and with it the order of its sums), and a released pool would be stopped
/// again after their fits while another suite's Firth fit might be using it.
@Suite struct BLASThreadPoolTests {
    @Test func aReleasedPoolKeepsTheThreadCountAndTheFits() async {
        await #expect(processExitsWith: .success) {
            let (x, coded, y, c) = CodedDesignTests.designs(rows: 20_000, seed: 21)
            let before = try LogisticRegression.fit(coded, outcomes: y, weights: c)
            let firthBefore = try FirthRegression.fit(x, outcomes: y, profile: false)
            let threads = BLASThreadPool.threads
            BLASThreadPool.release()
            guard BLASThreadPool.threads == threads else { exit(2) }
            BLASThreadPool.release()  // again: nothing left to stop
            let after = try LogisticRegression.fit(coded, outcomes: y, weights: c)
            guard after.coefficients == before.coefficients, after.standardErrors == before.standardErrors else { exit(3) }
            guard try FirthRegression.fit(x, outcomes: y, profile: false).coefficients == firthBefore.coefficients else { exit(4) }
            guard BLASThreadPool.threads == threads else { exit(5) }
        }
    }

    /// Single-threaded sections that overlap, in any order, leave the thread count as it was
    /// before the first (they used to leave it at one when they ended out of order).
    @Test func overlappingSingleThreadedSectionsRestoreTheThreadCount() async {
        await #expect(processExitsWith: .success) {
            BLASThreadPool.setThreads(2)  // whatever the machine's core count
            let threads = BLASThreadPool.threads
            guard threads == 2 else { exit(1) }
            let entered = DispatchSemaphore(value: 0)
            let leave = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            let inner = Thread {
                withSingleThreadedBLAS {
                    entered.signal()
                    leave.wait()
                }
                done.signal()
            }
            withSingleThreadedBLAS {
                inner.start()
                entered.wait()
                guard BLASThreadPool.threads == 1 else { exit(2) }
            }
            // The first section has ended, the second still runs: still one thread.
            guard BLASThreadPool.threads == 1 else { exit(3) }
            leave.signal()
            done.wait()
            guard BLASThreadPool.threads == threads else { exit(4) }
        }
    }
}
