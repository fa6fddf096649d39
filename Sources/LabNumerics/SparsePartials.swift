import CLinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-worker buffers and partial sums of one Newton pass that reads only the dense columns
/// of X and takes the indicator columns from an ``IndicatorLayout``.
///
/// Per block of rows: A = the block's dense columns, row-major (contiguous per row);
/// η = Aβ_d (`dgemv`) plus β of each row's indicators; the IRLS weights; then
/// H_dd += BᵀB with B = diag(√w)A (`dsyrk`), g_d += Aᵀr (`dgemv`), and row by row for each
/// indicator j of the row: g_j += rᵢ, H_jd += wᵢ aᵢ (a contiguous axpy), H_jk += wᵢ for every
/// indicator k ≥ j of the row.
final class SparsePartials: @unchecked Sendable {
    let d: Int
    let s: Int
    let blockRows: Int
    private let betaDense: UnsafeMutablePointer<Double>  // d
    private let betaSparse: UnsafeMutablePointer<Double>  // s
    private let dense: UnsafeMutablePointer<Double>  // workers × blockRows × d
    private let scaled: UnsafeMutablePointer<Double>  // workers × blockRows × d
    private let eta: UnsafeMutablePointer<Double>  // workers × blockRows
    private let residual: UnsafeMutablePointer<Double>  // workers × blockRows
    private let weight: UnsafeMutablePointer<Double>  // workers × blockRows
    private let hdd: UnsafeMutablePointer<Double>  // workers × d × d
    private let hsd: UnsafeMutablePointer<Double>  // workers × s × d
    private let hss: UnsafeMutablePointer<Double>  // workers × s × s
    private let gd: UnsafeMutablePointer<Double>  // workers × d
    private let gs: UnsafeMutablePointer<Double>  // workers × s
    private let logLikelihood: UnsafeMutablePointer<Double>
    private let boundary: UnsafeMutablePointer<Int>
    private let workers: Int

    init(layout: IndicatorLayout, workers: Int, blockRows: Int) {
        d = layout.dense.count
        s = layout.sparse.count
        self.blockRows = blockRows
        self.workers = workers
        betaDense = .allocate(capacity: d)
        betaSparse = .allocate(capacity: s)
        dense = .allocate(capacity: workers * blockRows * d)
        scaled = .allocate(capacity: workers * blockRows * d)
        eta = .allocate(capacity: workers * blockRows)
        residual = .allocate(capacity: workers * blockRows)
        weight = .allocate(capacity: workers * blockRows)
        hdd = .allocate(capacity: workers * d * d)
        hsd = .allocate(capacity: workers * s * d)
        hss = .allocate(capacity: workers * s * s)
        gd = .allocate(capacity: workers * d)
        gs = .allocate(capacity: workers * s)
        logLikelihood = .allocate(capacity: workers)
        boundary = .allocate(capacity: workers)
    }

    deinit {
        for buffer in [betaDense, betaSparse, dense, scaled, eta, residual, weight, hdd, hsd, hss, gd, gs, logLikelihood] {
            buffer.deallocate()
        }
        boundary.deallocate()
    }

    func work(
        worker: Int, workers: Int, layout: IndicatorLayout, x: UnsafePointer<Double>, y: UnsafePointer<Double>,
        weights: UnsafePointer<Double>?, rows n: Int
    ) {
        // β was split by ``prepare(beta:layout:)`` on the calling thread before the pass.
        let d = self.d, s = self.s
        let blocks = (n + blockRows - 1) / blockRows
        let firstBlock = blocks * worker / workers
        let endBlock = blocks * (worker + 1) / workers
        let a = dense + worker * blockRows * d
        let b = scaled + worker * blockRows * d
        let eta = self.eta + worker * blockRows
        let residual = self.residual + worker * blockRows
        let weight = self.weight + worker * blockRows
        let hdd = self.hdd + worker * d * d
        let hsd = self.hsd + worker * s * d
        let hss = self.hss + worker * s * s
        let gd = self.gd + worker * d
        let gs = self.gs + worker * s
        hdd.update(repeating: 0, count: d * d)
        hsd.update(repeating: 0, count: s * d)
        hss.update(repeating: 0, count: s * s)
        gd.update(repeating: 0, count: d)
        gs.update(repeating: 0, count: s)
        var logLikelihood = 0.0
        var boundary = 0
        let rowStart = layout.rowStart
        let entries = layout.entries
        var block = firstBlock
        while block < endBlock {
            let start = block * blockRows
            let m = min(blockRows, n - start)
            for (k, column) in layout.dense.enumerated() {
                let source = x + column * n + start
                for i in 0..<m { a[i * d + k] = source[i] }
            }
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(d), Int32(m), 1, a, Int32(d), betaDense, 1, 0, eta, 1)
            for i in 0..<m {
                var sum = eta[i]
                for e in rowStart[start + i]..<rowStart[start + i + 1] { sum += betaSparse[Int(entries[e])] }
                eta[i] = sum
            }
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
                weight[i] = w
                let root = w.squareRoot()
                let row = a + i * d
                let target = b + i * d
                for k in 0..<d { target[k] = root * row[k] }
                if c > 0, t < 1e-10 { boundary += 1 }
            }
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, Int32(d), Int32(m), 1, b, Int32(d), 1, hdd, Int32(d))
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(d), Int32(m), 1, a, Int32(d), residual, 1, 1, gd, 1)
            for i in 0..<m {
                let lo = rowStart[start + i], hi = rowStart[start + i + 1]
                guard lo < hi else { continue }
                let r = residual[i], w = weight[i]
                // wᵢ aᵢ = √wᵢ · (√wᵢ aᵢ): the scaled row already in B, scaled once more in place
                // (dsyrk has consumed B).
                let root = w.squareRoot()
                let row = b + i * d
                for k in 0..<d { row[k] *= root }
                for e in lo..<hi {
                    let j = Int(entries[e])
                    gs[j] += r
                    let cross = hsd + j * d
                    for k in 0..<d { cross[k] += row[k] }
                    let pairs = hss + j * s
                    for f in e..<hi { pairs[Int(entries[f])] += w }
                }
            }
            block += 1
        }
        self.logLikelihood[worker] = logLikelihood
        self.boundary[worker] = boundary
    }

    /// Splits β into its dense and indicator parts before a pass.
    func prepare(beta: UnsafePointer<Double>, layout: IndicatorLayout) {
        for (k, column) in layout.dense.enumerated() { betaDense[k] = beta[column] }
        for (j, column) in layout.sparse.enumerated() { betaSparse[j] = beta[column] }
    }

    /// The per-worker partial sums reduced in worker order and put back in design order.
    func totals(layout: IndicatorLayout, columns p: Int) -> PassTotals {
        var totals = PassTotals(
            logLikelihood: 0, gradient: [Double](repeating: 0, count: p),
            information: SymmetricMatrix(order: p), boundaryRows: 0)
        let dense = layout.dense, sparse = layout.sparse
        totals.information.values.withUnsafeMutableBufferPointer { out in
            // Adds into the upper triangle at design columns (u, v).
            func add(_ u: Int, _ v: Int, _ value: Double) {
                if u <= v { out[u + v * p] += value } else { out[v + u * p] += value }
            }
            for worker in 0..<workers {
                totals.logLikelihood += logLikelihood[worker]
                totals.boundaryRows += boundary[worker]
                let gd = self.gd + worker * d, gs = self.gs + worker * s
                for k in 0..<d { totals.gradient[dense[k]] += gd[k] }
                for j in 0..<s { totals.gradient[sparse[j]] += gs[j] }
                let hdd = self.hdd + worker * d * d
                for column in 0..<d {
                    for row in 0...column { add(dense[row], dense[column], hdd[row + column * d]) }
                }
                let hsd = self.hsd + worker * s * d
                for j in 0..<s {
                    for k in 0..<d { add(sparse[j], dense[k], hsd[j * d + k]) }
                }
                let hss = self.hss + worker * s * s
                for j in 0..<s {
                    for k in j..<s { add(sparse[j], sparse[k], hss[j * s + k]) }
                }
            }
        }
        totals.information.symmetrize()
        return totals
    }
}
