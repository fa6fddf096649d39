import CLinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-worker buffers and partial sums of one Newton pass that reads the dense columns of X
/// and takes the indicators as level codes (``LevelLayout``).
///
/// Per block of rows: A = the dense columns, row-major; η = Aβ_d (`dgemv`) + one table entry
/// per group (β summed over the code's indicators); the IRLS weights; H_dd += BᵀB, B = diag(√w)A
/// (`dsyrk`), g_d += Aᵀr (`dgemv`). Then per row, with v = (wᵢaᵢ, rᵢ, wᵢ): `table_g[code_g] += v`
/// for each group g (SIMD adds), and `cross_gh[code_g, code_h] += wᵢ` for each pair of groups.
/// After the pass the tables are summed back onto the indicators' gradient, dummy × dense and
/// dummy × dummy blocks (``totals(columns:)``): a few thousand additions, whatever n is.
final class LevelPartials: @unchecked Sendable {
    let d: Int
    let blockRows: Int
    let layout: LevelLayout
    /// SIMD2 lanes per table row: wᵢaᵢ (d), rᵢ, wᵢ, padded.
    private let lanes: Int
    private let tableOffset: [Int]     // per group, in table rows
    private let tableRows: Int
    private let pairs: [(g: Int, h: Int, width: Int, offset: Int)]
    private let crossCells: Int
    private let betaOffset: [Int]
    private let betaDense: UnsafeMutablePointer<Double>   // d
    private let betaLevels: UnsafeMutablePointer<Double>  // Σ levels
    private let dense: UnsafeMutablePointer<Double>       // workers × blockRows × d
    private let scaled: UnsafeMutablePointer<Double>      // workers × blockRows × d
    private let eta: UnsafeMutablePointer<Double>         // workers × blockRows
    private let residual: UnsafeMutablePointer<Double>    // workers × blockRows
    private let weight: UnsafeMutablePointer<Double>      // workers × blockRows
    private let vector: UnsafeMutablePointer<Double>      // workers × 2·lanes
    private let tables: UnsafeMutablePointer<Double>      // workers × tableRows × 2·lanes
    private let cross: UnsafeMutablePointer<Double>       // workers × crossCells
    private let hdd: UnsafeMutablePointer<Double>         // workers × d × d
    private let gd: UnsafeMutablePointer<Double>          // workers × d
    private let logLikelihood: UnsafeMutablePointer<Double>
    private let boundary: UnsafeMutablePointer<Int>
    private let workers: Int

    init(layout: LevelLayout, workers: Int, blockRows: Int) {
        self.layout = layout
        d = layout.dense.count
        self.blockRows = blockRows
        self.workers = workers
        lanes = (d + 2 + 1) / 2
        var offsets: [Int] = []
        var total = 0
        for count in layout.levels {
            offsets.append(total)
            total += count
        }
        tableOffset = offsets
        betaOffset = offsets
        tableRows = total
        var pairs: [(g: Int, h: Int, width: Int, offset: Int)] = []
        var cells = 0
        for g in 0..<layout.groups {
            for h in (g + 1)..<max(g + 1, layout.groups) {
                pairs.append((g, h, layout.levels[h], cells))
                cells += layout.levels[g] * layout.levels[h]
            }
        }
        self.pairs = pairs
        crossCells = max(1, cells)
        betaDense = .allocate(capacity: d)
        betaLevels = .allocate(capacity: max(1, total))
        dense = .allocate(capacity: workers * blockRows * d)
        scaled = .allocate(capacity: workers * blockRows * d)
        eta = .allocate(capacity: workers * blockRows)
        residual = .allocate(capacity: workers * blockRows)
        weight = .allocate(capacity: workers * blockRows)
        vector = .allocate(capacity: workers * 2 * lanes)
        tables = .allocate(capacity: workers * max(1, total) * 2 * lanes)
        cross = .allocate(capacity: workers * crossCells)
        hdd = .allocate(capacity: workers * d * d)
        gd = .allocate(capacity: workers * d)
        logLikelihood = .allocate(capacity: workers)
        boundary = .allocate(capacity: workers)
    }

    deinit {
        for buffer in [betaDense, betaLevels, dense, scaled, eta, residual, weight, vector, tables, cross, hdd, gd,
                       logLikelihood] {
            buffer.deallocate()
        }
        boundary.deallocate()
    }

    /// Splits β into its dense part and per-group code tables (β summed over each code's indicators).
    func prepare(beta: UnsafePointer<Double>) {
        for (k, column) in layout.dense.enumerated() { betaDense[k] = beta[column] }
        for g in 0..<layout.groups {
            for (code, columns) in layout.activeColumns[g].enumerated() {
                var sum = 0.0
                for column in columns { sum += beta[column] }
                betaLevels[betaOffset[g] + code] = sum
            }
        }
    }

    func work(worker: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
              rows n: Int) {
        let d = self.d, lanes = self.lanes, groups = layout.groups
        let blocks = (n + blockRows - 1) / blockRows
        let firstBlock = blocks * worker / workers
        let endBlock = blocks * (worker + 1) / workers
        let a = dense + worker * blockRows * d
        let b = scaled + worker * blockRows * d
        let eta = self.eta + worker * blockRows
        let residual = self.residual + worker * blockRows
        let weight = self.weight + worker * blockRows
        let stride = 2 * lanes
        let scalars = vector + worker * stride
        let v = UnsafeRawPointer(scalars)
        let tables = self.tables + worker * max(1, tableRows) * stride
        let cross = self.cross + worker * crossCells
        let hdd = self.hdd + worker * d * d
        let gd = self.gd + worker * d
        hdd.update(repeating: 0, count: d * d)
        gd.update(repeating: 0, count: d)
        tables.update(repeating: 0, count: max(1, tableRows) * stride)
        cross.update(repeating: 0, count: crossCells)
        scalars.update(repeating: 0, count: stride)
        let tableOffset = self.tableOffset, betaOffset = self.betaOffset, pairs = self.pairs
        var logLikelihood = 0.0
        var boundary = 0
        let codes = layout.codes
        let betaLevels = self.betaLevels
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
                let row = codes + (start + i) * groups
                var sum = eta[i]
                for g in 0..<groups { sum += betaLevels[betaOffset[g] + Int(row[g])] }
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
                let w = weight[i]
                let row = a + i * d
                for k in 0..<d { scalars[k] = w * row[k] }
                scalars[d] = residual[i]
                scalars[d + 1] = w
                let code = codes + (start + i) * groups
                // Two doubles per SIMD add (SSE2 on baseline x86-64; wider units take two at a time).
                for g in 0..<groups {
                    let target = UnsafeMutableRawPointer(tables + (tableOffset[g] + Int(code[g])) * stride)
                    for k in 0..<lanes {
                        let sum = target.loadUnaligned(fromByteOffset: 16 * k, as: SIMD2<Double>.self)
                            + v.loadUnaligned(fromByteOffset: 16 * k, as: SIMD2<Double>.self)
                        target.storeBytes(of: sum, toByteOffset: 16 * k, as: SIMD2<Double>.self)
                    }
                }
                for pair in pairs {
                    cross[pair.offset + Int(code[pair.g]) * pair.width + Int(code[pair.h])] += w
                }
            }
            block += 1
        }
        self.logLikelihood[worker] = logLikelihood
        self.boundary[worker] = boundary
    }

    /// The per-worker partial sums reduced in worker order and put back in design order.
    func totals(columns p: Int) -> PassTotals {
        var totals = PassTotals(logLikelihood: 0, gradient: [Double](repeating: 0, count: p),
                                information: SymmetricMatrix(order: p), boundaryRows: 0)
        let dense = layout.dense, active = layout.activeColumns
        let lanes = self.lanes
        totals.information.values.withUnsafeMutableBufferPointer { out in
            // Adds into the upper triangle at design columns (u, v).
            func add(_ u: Int, _ v: Int, _ value: Double) {
                if u <= v { out[u + v * p] += value } else { out[v + u * p] += value }
            }
            for worker in 0..<workers {
                totals.logLikelihood += logLikelihood[worker]
                totals.boundaryRows += boundary[worker]
                let gd = self.gd + worker * d
                for k in 0..<d { totals.gradient[dense[k]] += gd[k] }
                let hdd = self.hdd + worker * d * d
                for column in 0..<d {
                    for row in 0...column { add(dense[row], dense[column], hdd[row + column * d]) }
                }
                let tables = self.tables + worker * max(1, tableRows) * 2 * lanes
                for g in 0..<layout.groups {
                    for (code, columns) in active[g].enumerated() where !columns.isEmpty {
                        let t = tables + (tableOffset[g] + code) * 2 * lanes
                        for (position, column) in columns.enumerated() {
                            totals.gradient[column] += t[d]
                            for k in 0..<d { add(column, dense[k], t[k]) }
                            for other in columns[position...] { add(column, other, t[d + 1]) }
                        }
                    }
                }
                let cross = self.cross + worker * crossCells
                for pair in pairs {
                    for (cg, first) in active[pair.g].enumerated() where !first.isEmpty {
                        for (ch, second) in active[pair.h].enumerated() where !second.isEmpty {
                            let value = cross[pair.offset + cg * pair.width + ch]
                            for u in first {
                                for v in second { add(u, v, value) }
                            }
                        }
                    }
                }
            }
        }
        totals.information.symmetrize()
        return totals
    }
}
