import CLinearAlgebra
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one pass over the rows at a given β produces: the log-likelihood, the score
/// (gradient of the log-likelihood) and the observed information XᵀWX (upper triangle).
///
/// A pass asked for no information (the Newton iteration's confirming last pass, see
/// ``NewtonIteration``) leaves `information` zero; ℓ, the gradient and the boundary count are
/// the same, bit for bit, as a full pass's at the same β.
struct PassTotals {
    var logLikelihood: Double
    var gradient: [Double]
    var information: SymmetricMatrix
    /// Rows (with positive weight) whose fitted probability is within 1e-10 of 0 or 1.
    var boundaryRows: Int
}

/// The work buffers of the Newton iterations, allocated once per fit.
///
/// The rows are split into one contiguous range per worker; each worker walks its range in
/// blocks of `blockRows` rows that stay in cache: η = X_b β (`dgemv`), the IRLS weights,
/// B = diag(√w) X_b, then XᵀWX += BᵀB (`dsyrk`) and g += X_bᵀ(y − μ) (`dgemv`), all with
/// single-threaded BLAS. OpenBLAS 0.3.21 does not thread `dsyrk` on thin shapes such as
/// 1e6 × 60, so splitting rows over cores here is what uses the machine.
final class NewtonWorkspace: @unchecked Sendable {
    let rows: Int
    let columns: Int
    let blockRows: Int
    let workers: Int
    private let x: UnsafePointer<Double>
    private let y: UnsafePointer<Double>
    private let weights: UnsafePointer<Double>?
    private let beta: UnsafeMutablePointer<Double>
    private let eta: UnsafeMutablePointer<Double>  // workers × blockRows
    private let residual: UnsafeMutablePointer<Double>  // workers × blockRows
    private let scale: UnsafeMutablePointer<Double>  // workers × blockRows
    private let scaled: UnsafeMutablePointer<Double>  // workers × blockRows × columns
    private let information: UnsafeMutablePointer<Double>  // workers × columns²
    private let gradient: UnsafeMutablePointer<Double>  // workers × columns
    private let logLikelihood: UnsafeMutablePointer<Double>  // workers
    private let boundary: UnsafeMutablePointer<Int>  // workers
    /// Set when X has sparse 0/1 indicator columns: passes then run ``SparsePartials/work``.
    let layout: IndicatorLayout?
    let sparse: SparsePartials?
    /// Set when the indicators group into one-hot features with small tables: passes then run
    /// ``LevelPartials/work`` (preferred over ``sparse``).
    let levels: LevelPartials?

    /// - Parameter indicators: exploit sparse 0/1 indicator columns (see ``IndicatorLayout``);
    ///   false always takes the dense `dsyrk` path.
    /// - Parameter levelTables: take the indicators as one-hot level codes (``LevelLayout``) when
    ///   their tables are small; false keeps the compressed rows (``SparsePartials``).
    /// - Parameter oneHot: the one-hot features as the encoder knows them: their level codes are
    ///   taken as they are instead of detecting indicators by scanning X (which remains the
    ///   fallback when they are empty or their tables too large).
    /// - Parameter coded: the level layout already made from the design's one-hot features, when
    ///   `x` holds only the layout's dense columns (a ``CodedDesign``); passes then always run
    ///   ``LevelPartials/work``.
    /// - Precondition: the pointers stay valid for the workspace's lifetime.
    init(
        x: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
        rows: Int, columns: Int, workers requested: Int, blockRows requestedBlock: Int?, indicators: Bool = true,
        levelTables: Bool = true, oneHot: [OneHotFeature] = [], coded: LevelLayout? = nil
    ) {
        self.x = x
        self.y = y
        self.weights = weights
        self.rows = rows
        self.columns = columns
        let given =
            coded
            ?? (indicators && levelTables
                ? LevelLayout.make(oneHot: oneHot, columns: columns, rows: rows, workers: requested) : nil)
        let layout =
            indicators && given == nil
            ? IndicatorLayout.detect(x: x, rows: rows, columns: columns, workers: requested) : nil
        self.layout = layout
        // A block of X_b plus B should sit in L2 (~256–512 KiB): 2 × blockRows × p × 8 bytes
        // (p = the dense columns when indicators are handled sparsely).
        let blockColumns = given?.dense.count ?? layout?.dense.count ?? columns
        let block = requestedBlock ?? max(64, min(4096, 16_384 / max(1, blockColumns)))
        self.blockRows = max(1, min(block, rows))
        let blocks = (rows + blockRows - 1) / blockRows
        self.workers = max(1, min(requested, blocks))
        beta = .allocate(capacity: columns)
        eta = .allocate(capacity: workers * blockRows)
        residual = .allocate(capacity: workers * blockRows)
        scale = .allocate(capacity: workers * blockRows)
        scaled = .allocate(capacity: workers * blockRows * columns)
        information = .allocate(capacity: workers * columns * columns)
        gradient = .allocate(capacity: workers * columns)
        logLikelihood = .allocate(capacity: workers)
        boundary = .allocate(capacity: workers)
        let (workerCount, rowsPerBlock) = (self.workers, self.blockRows)
        let levelLayout = given ?? layout.flatMap { levelTables ? LevelLayout.make(from: $0, workers: requested) : nil }
        // Four parts per core when there is more than one (see ``LevelPartials/parts``).
        let parts = workerCount == 1 ? 1 : min(blocks, 4 * workerCount)
        levels = levelLayout.map {
            LevelPartials(layout: $0, parts: parts, blockRows: rowsPerBlock, x: x, rows: rows, denseOnly: coded != nil)
        }
        sparse = levels == nil ? layout.map { SparsePartials(layout: $0, workers: workerCount, blockRows: rowsPerBlock) } : nil
    }

    deinit {
        beta.deallocate()
        eta.deallocate()
        residual.deallocate()
        scale.deallocate()
        scaled.deallocate()
        information.deallocate()
        gradient.deallocate()
        logLikelihood.deallocate()
        boundary.deallocate()
    }

    /// One pass at `coefficients`; with `information` false, XᵀWX is not accumulated (left zero).
    func evaluate(at coefficients: [Double], information withInformation: Bool = true) -> PassTotals {
        for j in 0..<columns { beta[j] = coefficients[j] }
        if let levels {
            levels.prepare(beta: beta)
        } else if let sparse, let layout {
            sparse.prepare(beta: beta, layout: layout)
        }
        if let levels {
            levels.pass(x: x, y: y, weights: weights, rows: rows, information: withInformation)
        } else if workers == 1 {
            pass(worker: 0, information: withInformation)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                self.pass(worker: worker, information: withInformation)
            }
        }
        if let levels { return levels.totals(columns: columns, information: withInformation) }
        if let sparse, let layout { return sparse.totals(layout: layout, columns: columns) }
        // Reduce the per-worker partial sums in a fixed order, so results do not depend on timing.
        var totals = PassTotals(
            logLikelihood: 0, gradient: [Double](repeating: 0, count: columns),
            information: SymmetricMatrix(order: columns), boundaryRows: 0)
        for worker in 0..<workers {
            totals.logLikelihood += logLikelihood[worker]
            totals.boundaryRows += boundary[worker]
            let g = gradient + worker * columns
            for j in 0..<columns { totals.gradient[j] += g[j] }
            let h = information + worker * columns * columns
            totals.information.values.withUnsafeMutableBufferPointer { out in
                for column in 0..<columns {
                    for row in 0...column { out[row + column * columns] += h[row + column * columns] }
                }
            }
        }
        totals.information.symmetrize()
        return totals
    }

    /// The sparse path always accumulates the information (it is not the one large fits take).
    private func pass(worker: Int, information withInformation: Bool) {
        if let sparse, let layout {
            sparse.work(
                worker: worker, workers: workers, layout: layout, x: x, y: y, weights: weights,
                rows: rows)
        } else {
            work(worker: worker, information: withInformation)
        }
    }

    private func work(worker: Int, information withInformation: Bool) {
        let p = columns
        let n = rows
        let blocks = (n + blockRows - 1) / blockRows
        let firstBlock = blocks * worker / workers
        let endBlock = blocks * (worker + 1) / workers
        let eta = self.eta + worker * blockRows
        let residual = self.residual + worker * blockRows
        let scale = self.scale + worker * blockRows
        let scaled = self.scaled + worker * blockRows * p
        let information = self.information + worker * p * p
        let gradient = self.gradient + worker * p
        information.update(repeating: 0, count: p * p)
        gradient.update(repeating: 0, count: p)
        var logLikelihood = 0.0
        var boundary = 0
        let lda = Int32(n)
        var block = firstBlock
        while block < endBlock {
            let start = block * blockRows
            let m = min(blockRows, n - start)
            let xb = x + start
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(m), Int32(p), 1, xb, lda, beta, 1, 0, eta, 1)
            let yb = y + start
            let wb = weights.map { $0 + start }
            for i in 0..<m {
                let e = eta[i]
                let c = wb?[i] ?? 1
                // t = e^{-|η|} keeps μ, 1 − μ and log(1 + e^η) accurate for either sign of η.
                let t = exp(-abs(e))
                let onePlusT = 1 + t
                let mu = e >= 0 ? 1 / onePlusT : t / onePlusT
                let softplus = max(e, 0) + log1p(t)
                logLikelihood += c * (yb[i] * e - softplus)
                let w = c * t / (onePlusT * onePlusT)
                residual[i] = c * (yb[i] - mu)
                scale[i] = w.squareRoot()
                if c > 0, t < 1e-10 { boundary += 1 }
            }
            if withInformation {
                for j in 0..<p {
                    let source = xb + j * n
                    let target = scaled + j * m
                    for i in 0..<m { target[i] = scale[i] * source[i] }
                }
                cblas_dsyrk(
                    CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(m), 1, scaled, Int32(m), 1,
                    information, Int32(p))
            }
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(p), 1, xb, lda, residual, 1, 1, gradient, 1)
            block += 1
        }
        self.logLikelihood[worker] = logLikelihood
        self.boundary[worker] = boundary
    }
}

/// Runs `body` with OpenBLAS limited to one thread (our own workers parallelise), restoring
/// the previous setting when the last such section still running ends.
///
/// OpenBLAS's thread count is one setting for the whole process. Two sections that each saved
/// and restored it could interleave (A saves 2, B saves A's 1, A restores 2, B restores 1) and
/// leave every later BLAS call of the process on one thread; so the first section in saves it,
/// and the last one out restores it.
func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
    singleThreadedSections.withLock { sections in
        if sections.count == 0 {
            sections.saved = openblas_get_num_threads()
            openblas_set_num_threads(1)
        }
        sections.count += 1
    }
    defer {
        singleThreadedSections.withLock { sections in
            sections.count -= 1
            if sections.count == 0 { BLASThreadPool.setThreads(sections.saved) }
        }
    }
    return try body()
}

/// The ``withSingleThreadedBLAS(_:)`` sections running, and the thread count to restore after them.
private let singleThreadedSections = Mutex<(count: Int, saved: Int32)>((0, 1))
