import BatonSupport
import CLinearAlgebra
import Synchronization

/// OpenBLAS's own worker threads, stopped until a BLAS call wants them.
///
/// OpenBLAS (pthreads build) starts one worker per extra core when the library is loaded, and
/// each spins on `sched_yield` for a while before it sleeps: 0.1–0.15 s of CPU at the start of
/// every `baton` process, taken from the parse on a 2-core machine (perf on `baton fit`, 1e6
/// leads; `OPENBLAS_NUM_THREADS=1` saves the same). Most commands never call BLAS with more than
/// one thread (the fit's passes run it inside their own per-core blocks,
/// ``withSingleThreadedBLAS(_:)``); a call that does (Firth's method on a large design) starts
/// the pool again, as OpenBLAS does after a `fork`.
package enum BLASThreadPool {
    /// Stops OpenBLAS's idle workers. Call first thing in `main`. `blas_thread_shutdown_` (what
    /// OpenBLAS runs before a `fork`) is looked up at run time: it is not in OpenBLAS's headers,
    /// and another build (OpenMP, serial) may not have it, in which case nothing changes.
    package static func release() {
        released.withLock { $0 = true }
        shutDown()
    }

    /// Sets OpenBLAS's thread count. Raising it makes OpenBLAS start its pool at once; after
    /// ``release()`` the pool is stopped again, to start when a call wants it.
    static func setThreads(_ count: Int32) {
        openblas_set_num_threads(count)
        if count > 1, released.withLock({ $0 }) { shutDown() }
    }

    private static let released = Mutex(false)

    private static let shutdown = runtimeFunction(named: "blas_thread_shutdown_", as: (@convention(c) () -> Int32).self)

    private static func shutDown() { _ = shutdown?() }

    /// The threads OpenBLAS may use for one call (unchanged by ``release()``).
    package static var threads: Int { Int(openblas_get_num_threads()) }
}
