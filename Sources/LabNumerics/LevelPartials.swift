import BatonSupport
import CLinearAlgebra
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-part buffers and partial sums of one Newton pass that reads the dense columns of X
/// and takes the indicators as level codes (``LevelLayout``).
///
/// Where A (a block's dense columns) comes from:
/// - a ``CodedDesign``'s dense block (`denseOnly`): read in place, column-major with the whole
///   column count as leading dimension; BLAS takes the block as a submatrix, so nothing is
///   copied (the row-major copy this replaced cost 128 MB of fresh pages on 1e6 × 16);
/// - a whole design whose dense columns are at most half of it: copied once into a row-major
///   array, so that passes read them contiguously instead of gathering them every pass;
/// - otherwise each block gathers them.
///
/// Per block of rows: η = Aβ_d (`dgemv`) + one table entry per group (β summed over the code's
/// indicators); the IRLS weights; H_dd += BᵀB, B = diag(√w)A (`dsyrk`), g_d += Aᵀr (`dgemv`).
/// Then per row, with v = (wᵢaᵢ, rᵢ, wᵢ): `table_g[code_g] += v` for each group g (SIMD adds),
/// and `cross_gh[code_g, code_h] += wᵢ` for each pair of groups.
/// After the pass the tables are summed back onto the indicators' gradient, dummy × dense and
/// dummy × dummy blocks (``totals(columns:)``): a few thousand additions, whatever n is.
final class LevelPartials: @unchecked Sendable {
    let d: Int
    let blockRows: Int
    let layout: LevelLayout
    /// SIMD2 lanes per table row: wᵢaᵢ (d), rᵢ, wᵢ, padded.
    private let lanes: Int
    private let tableOffset: [Int]  // per group, in table rows
    private let tableRows: Int
    private let pairs: [(g: Int, h: Int, width: Int, offset: Int)]
    private let crossCells: Int
    private let betaOffset: [Int]
    private let betaDense: UnsafeMutablePointer<Double>  // d
    private let betaLevels: UnsafeMutablePointer<Double>  // Σ levels
    private let dense: UnsafeMutablePointer<Double>  // parts × blockRows × d (gather buffer; 1 when not gathering)
    /// All rows' dense columns, row-major (n × d), when copied once.
    private let denseRows: UnsafeMutablePointer<Double>?
    /// The passes read `x` in place: it holds just the d dense columns, column-major.
    private let inPlace: Bool
    /// Each block gathers its dense rows (neither in place nor from the row-major copy).
    private var gathers: Bool { !inPlace && denseRows == nil }
    private let roots: UnsafeMutablePointer<Double>  // parts × blockRows: √wᵢ
    private let scaled: UnsafeMutablePointer<Double>  // parts × blockRows × d
    private let eta: UnsafeMutablePointer<Double>  // parts × blockRows
    private let residual: UnsafeMutablePointer<Double>  // parts × blockRows
    private let weight: UnsafeMutablePointer<Double>  // parts × blockRows
    private let vector: UnsafeMutablePointer<Double>  // parts × 2·lanes
    private let tables: UnsafeMutablePointer<Double>  // parts × tableRows × 2·lanes
    private let cross: UnsafeMutablePointer<Double>  // parts × crossCells
    private let hdd: UnsafeMutablePointer<Double>  // parts × d × d
    private let gd: UnsafeMutablePointer<Double>  // parts × d
    private let logLikelihood: UnsafeMutablePointer<Double>
    private let boundary: UnsafeMutablePointer<Int>
    /// Row ranges (runs of whole blocks) summed separately and reduced in a fixed order. There
    /// are several per core so that a core slowed by other work (the input's hash) takes fewer
    /// of them: dispatch hands the parts out as cores come free, while the result does not
    /// depend on which core summed which part.
    let parts: Int

    /// Per dense column k: its column in the `x` the passes are given (``LevelLayout/dense``
    /// for a whole design; k itself when `x` holds only the dense columns).
    private let sourceColumns: [Int]

    /// - Parameter denseOnly: `x` holds only the layout's dense columns, in order (a
    ///   ``CodedDesign``'s dense block), instead of every design column.
    /// - Precondition: `x` (column-major, `rows` rows) outlives the partials.
    init(layout: LevelLayout, parts: Int, blockRows: Int, x: UnsafePointer<Double>, rows: Int, denseOnly: Bool = false) {
        self.layout = layout
        d = layout.dense.count
        sourceColumns = denseOnly ? Array(0..<layout.dense.count) : layout.dense
        let designColumns = d + layout.activeColumns.reduce(0) { $0 + Set($1.joined()).count }
        // In place needs the row count as a BLAS leading dimension (32-bit).
        inPlace = denseOnly && rows <= Int(Int32.max)
        denseRows = !inPlace && 2 * d <= designColumns ? HugePages.allocate(capacity: max(1, rows * d)) : nil
        self.blockRows = blockRows
        self.parts = parts
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
        // Only a pass that gathers fills it; in place or from the row-major copy it is a placeholder.
        dense = .allocate(capacity: !inPlace && denseRows == nil ? parts * blockRows * d : 1)
        scaled = .allocate(capacity: parts * blockRows * d)
        eta = .allocate(capacity: parts * blockRows)
        residual = .allocate(capacity: parts * blockRows)
        weight = .allocate(capacity: parts * blockRows)
        roots = .allocate(capacity: parts * blockRows)
        vector = .allocate(capacity: parts * 2 * lanes)
        tables = .allocate(capacity: parts * max(1, total) * 2 * lanes)
        cross = .allocate(capacity: parts * crossCells)
        hdd = .allocate(capacity: parts * d * d)
        gd = .allocate(capacity: parts * d)
        logLikelihood = .allocate(capacity: parts)
        boundary = .allocate(capacity: parts)
        if let denseRows { copyDenseRows(x: x, rows: rows, into: denseRows) }
    }

    /// Row-major copy of the dense columns, each part copying the row blocks it will read.
    private func copyDenseRows(x: UnsafePointer<Double>, rows n: Int, into target: UnsafeMutablePointer<Double>) {
        let (d, blockRows, parts, columns) = (self.d, self.blockRows, self.parts, sourceColumns)
        let blocks = (n + blockRows - 1) / blockRows
        let pointers = RowPointers(x: x, y: x, weights: nil, target: target)
        let copy = { @Sendable (part: Int) in
            let (x, target) = (pointers.x, pointers.target!)
            let first = blocks * part / parts * blockRows
            let end = min(n, blocks * (part + 1) / parts * blockRows)
            // Strips of rows keep the d source streams and the target in cache.
            var start = first
            while start < end {
                let m = min(blockRows, end - start)
                for (k, column) in columns.enumerated() {
                    let source = x + column * n + start
                    let rowBase = target + start * d + k
                    for i in 0..<m { rowBase[i * d] = source[i] }
                }
                start += m
            }
        }
        if parts == 1 { copy(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: copy) }
    }

    deinit {
        for buffer in [
            betaDense, betaLevels, dense, scaled, eta, residual, weight, roots, vector, tables, cross, hdd, gd,
            logLikelihood,
        ] {
            buffer.deallocate()
        }
        denseRows?.deallocate()
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

    /// One pass: every part on the cores available, then ``totals(columns:information:)``.
    /// - Parameter information: accumulate XᵀWX; when false only ℓ, the gradient and the
    ///   boundary count are summed (no `dsyrk`, no weighted rows, one lane per table row, no
    ///   cross tables), in the same order, so they equal a full pass's bit for bit.
    func pass(
        x: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
        rows n: Int, information: Bool = true
    ) {
        if parts == 1 {
            work(part: 0, x: x, y: y, weights: weights, rows: n, information: information)
        } else {
            let pointers = RowPointers(x: x, y: y, weights: weights, target: nil)
            DispatchQueue.concurrentPerform(iterations: parts) {
                self.work(part: $0, x: pointers.x, y: pointers.y, weights: pointers.weights, rows: n, information: information)
            }
        }
    }

    /// The caller's buffers, read (or, for `target`, written in disjoint ranges) by the parts.
    private struct RowPointers: @unchecked Sendable {
        let x: UnsafePointer<Double>
        let y: UnsafePointer<Double>
        let weights: UnsafePointer<Double>?
        let target: UnsafeMutablePointer<Double>?
    }

    func work(
        part: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
        rows n: Int, information withInformation: Bool = true
    ) {
        let d = self.d, lanes = self.lanes, groups = layout.groups
        let blocks = (n + blockRows - 1) / blockRows
        let firstBlock = blocks * part / parts
        let endBlock = blocks * (part + 1) / parts
        let gatherBuffer = gathers ? dense + part * blockRows * d : dense
        let b = scaled + part * blockRows * d
        let eta = self.eta + part * blockRows
        let residual = self.residual + part * blockRows
        let weight = self.weight + part * blockRows
        let roots = self.roots + part * blockRows
        let inPlace = self.inPlace
        let stride = 2 * lanes
        let scalars = vector + part * stride
        let v = UnsafeRawPointer(scalars)
        let tables = self.tables + part * max(1, tableRows) * stride
        let cross = self.cross + part * crossCells
        let hdd = self.hdd + part * d * d
        let gd = self.gd + part * d
        hdd.update(repeating: 0, count: d * d)
        gd.update(repeating: 0, count: d)
        tables.update(repeating: 0, count: max(1, tableRows) * stride)
        cross.update(repeating: 0, count: crossCells)
        scalars.update(repeating: 0, count: stride)
        // Offsets as raw pointers and wrapping arithmetic: no bounds or overflow checks in the row loops.
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: max(1, groups + 4 * pairs.count))
        defer { offsets.deallocate() }
        for g in 0..<groups { offsets[g] = tableOffset[g] * stride }
        let pairCount = pairs.count
        let pairFields = offsets + groups
        for (k, pair) in pairs.enumerated() {
            pairFields[4 * k] = pair.g
            pairFields[4 * k + 1] = pair.h
            pairFields[4 * k + 2] = pair.width
            pairFields[4 * k + 3] = pair.offset
        }
        let betaOffset = self.betaOffset
        var logLikelihood = 0.0
        var boundary = 0
        let codes = layout.codes
        let betaLevels = self.betaLevels
        var block = firstBlock
        while block < endBlock {
            let start = block * blockRows
            let m = min(blockRows, n - start)
            // Row-major A (row i at a + i·d), or, in place, the panel of x (column k at panel + k·n).
            let a: UnsafeMutablePointer<Double>
            let panel = x + start
            if inPlace {
                a = gatherBuffer  // a placeholder: in place, rows are read from `panel`
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(m), Int32(d), 1, panel, Int32(n), betaDense, 1, 0, eta, 1)
            } else {
                if let denseRows {
                    a = denseRows + start * d
                } else {
                    a = gatherBuffer
                    for (k, column) in sourceColumns.enumerated() {
                        let source = x + column * n + start
                        for i in 0..<m { a[i * d + k] = source[i] }
                    }
                }
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(d), Int32(m), 1, a, Int32(d), betaDense, 1, 0, eta, 1)
            }
            for i in 0..<m {
                let row = codes + (start + i) * groups
                var sum = eta[i]
                for g in 0..<groups { sum += betaLevels[betaOffset[g] + Int(row[g])] }
                eta[i] = sum
            }
            let yb = y + start
            let wb = weights.map { $0 + start }
            // Unweighted rows: Σ log(1 + tᵢ) one log per 512 rows (``RunningLogProduct``)
            // instead of one per row, which was 15 % of a pass.
            var logs = RunningLogProduct()
            for i in 0..<m {
                let e = eta[i]
                let c = wb?[i] ?? 1
                // t = e^{-|η|} keeps μ, 1 − μ and log(1 + e^η) accurate for either sign of η.
                let t = exp(-abs(e))
                let onePlusT = 1 + t
                let mu = e >= 0 ? 1 / onePlusT : t / onePlusT
                if wb == nil {
                    logLikelihood += yb[i] * e - max(e, 0)
                    if let folded = logs.multiply(by: onePlusT) { logLikelihood -= folded }
                } else {
                    // log(1 + t) rather than log1p(t): for t ≤ 1 its absolute error is below 2⁻⁵²,
                    // far inside the tolerance of a sum of n terms, and glibc's log is several times faster.
                    logLikelihood += c * (yb[i] * e - max(e, 0) - log(onePlusT))
                }
                let w = c * t / (onePlusT * onePlusT)
                residual[i] = c * (yb[i] - mu)
                weight[i] = w
                if c > 0, t < 1e-10 { boundary += 1 }
                guard withInformation else { continue }
                let root = w.squareRoot()
                if inPlace {
                    roots[i] = root
                } else {
                    let row = a + i * d
                    let target = b + i * d
                    for k in 0..<d { target[k] = root * row[k] }
                }
            }
            logLikelihood -= logs.flush()
            guard withInformation else {
                // The gradient only: g_d += Aᵀr, and each group's table row takes rᵢ in its lane d.
                if inPlace {
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(d), 1, panel, Int32(n), residual, 1, 1, gd, 1)
                } else {
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(d), Int32(m), 1, a, Int32(d), residual, 1, 1, gd, 1)
                }
                for i in 0..<m {
                    let r = residual[i]
                    let code = codes + (start + i) &* groups
                    for g in 0..<groups { tables[offsets[g] &+ Int(code[g]) &* stride &+ d] += r }
                }
                block += 1
                continue
            }
            if inPlace {
                // B column-major (m × d): one scaled copy per column, the same products as the rows'.
                for k in 0..<d {
                    let source = panel + k * n
                    let target = b + k * m
                    for i in 0..<m { target[i] = roots[i] * source[i] }
                }
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(d), Int32(m), 1, b, Int32(m), 1, hdd, Int32(d))
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(d), 1, panel, Int32(n), residual, 1, 1, gd, 1)
            } else {
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, Int32(d), Int32(m), 1, b, Int32(d), 1, hdd, Int32(d))
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(d), Int32(m), 1, a, Int32(d), residual, 1, 1, gd, 1)
            }
            for i in 0..<m {
                let w = weight[i]
                if inPlace {
                    for k in 0..<d { scalars[k] = w * panel[k &* n &+ i] }
                } else {
                    let row = a + i * d
                    for k in 0..<d { scalars[k] = w * row[k] }
                }
                scalars[d] = residual[i]
                scalars[d + 1] = w
                let code = codes + (start + i) &* groups
                // Two doubles per SIMD add (SSE2 on baseline x86-64; wider units take two at a time).
                for g in 0..<groups {
                    let target = UnsafeMutableRawPointer(tables + (offsets[g] &+ Int(code[g]) &* stride))
                    var byte = 0
                    for _ in 0..<lanes {
                        let sum =
                            target.loadUnaligned(fromByteOffset: byte, as: SIMD2<Double>.self)
                            + v.loadUnaligned(fromByteOffset: byte, as: SIMD2<Double>.self)
                        target.storeBytes(of: sum, toByteOffset: byte, as: SIMD2<Double>.self)
                        byte &+= 16
                    }
                }
                for k in 0..<pairCount {
                    let pair = pairFields + 4 &* k
                    cross[pair[3] &+ Int(code[pair[0]]) &* pair[2] &+ Int(code[pair[1]])] += w
                }
            }
            block += 1
        }
        self.logLikelihood[part] = logLikelihood
        self.boundary[part] = boundary
    }

    /// The per-part partial sums reduced in part order and put back in design order (with
    /// `information` false, after a pass that summed none: only ℓ, the gradient and the boundary count).
    func totals(columns p: Int, information withInformation: Bool = true) -> PassTotals {
        var totals = PassTotals(
            logLikelihood: 0, gradient: [Double](repeating: 0, count: p),
            information: SymmetricMatrix(order: p), boundaryRows: 0)
        let dense = layout.dense, active = layout.activeColumns
        let lanes = self.lanes
        totals.information.values.withUnsafeMutableBufferPointer { out in
            // Adds into the upper triangle at design columns (u, v).
            func add(_ u: Int, _ v: Int, _ value: Double) {
                if u <= v { out[u + v * p] += value } else { out[v + u * p] += value }
            }
            for part in 0..<parts {
                totals.logLikelihood += logLikelihood[part]
                totals.boundaryRows += boundary[part]
                let gd = self.gd + part * d
                for k in 0..<d { totals.gradient[dense[k]] += gd[k] }
                guard withInformation else {
                    let tables = self.tables + part * max(1, tableRows) * 2 * lanes
                    for g in 0..<layout.groups {
                        for (code, columns) in active[g].enumerated() where !columns.isEmpty {
                            let t = tables + (tableOffset[g] + code) * 2 * lanes
                            for column in columns { totals.gradient[column] += t[d] }
                        }
                    }
                    continue
                }
                let hdd = self.hdd + part * d * d
                for column in 0..<d {
                    for row in 0...column { add(dense[row], dense[column], hdd[row + column * d]) }
                }
                let tables = self.tables + part * max(1, tableRows) * 2 * lanes
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
                let cross = self.cross + part * crossCells
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
