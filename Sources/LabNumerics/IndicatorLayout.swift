import Dispatch

/// Which design columns are 0/1 indicators that are mostly 0 (the dummies of categorical
/// features), and, row by row, which of them are 1 (compressed sparse rows).
///
/// With it one Newton pass reads only the dense columns of X: for an indicator j,
/// `(Xβ)ᵢ` gains βⱼ where xᵢⱼ = 1, `(XᵀWX)ⱼₖ` over two indicators is Σ wᵢ over rows where both
/// are 1, and over an indicator and a dense column it is Σ wᵢ xᵢₖ over the rows where j is 1.
/// For 45 dummies and 15 dense columns that is ~250 operations per row instead of ~1 800,
/// and a fifth of the memory traffic.
final class IndicatorLayout: @unchecked Sendable {
    /// Columns kept dense (the intercept, numbers, frequent indicators), ascending.
    let dense: [Int]
    /// Indicator columns, ascending; `entries` hold positions in this list.
    let sparse: [Int]
    /// Row i's indicators are `entries[rowStart[i]..<rowStart[i + 1]]`, ascending.
    let rowStart: UnsafeMutablePointer<Int>
    let entries: UnsafeMutablePointer<UInt16>
    let rows: Int

    private init(dense: [Int], sparse: [Int], rows: Int, nonZeros: Int) {
        self.dense = dense
        self.sparse = sparse
        self.rows = rows
        rowStart = .allocate(capacity: rows + 1)
        entries = .allocate(capacity: max(1, nonZeros))
    }

    deinit {
        rowStart.deallocate()
        entries.deallocate()
    }

    /// The layout of `x` (column-major, rows × columns), or nil when it has fewer than
    /// `minimumIndicators` sparse indicator columns or no dense column.
    ///
    /// An indicator column holds only 0 and 1 with at most half of its rows 1; a column of all
    /// ones (the intercept) stays dense.
    static func detect(
        x: UnsafePointer<Double>, rows: Int, columns: Int, workers: Int,
        minimumIndicators: Int = 2
    ) -> IndicatorLayout? {
        guard rows > 0, columns > 1, columns <= Int(UInt16.max) else { return nil }
        // Column classification, one column per task.
        let ones = UnsafeMutablePointer<Int>.allocate(capacity: columns)
        defer { ones.deallocate() }
        let scan = ScanJob(x: x, rows: rows, ones: ones)
        DispatchQueue.concurrentPerform(iterations: columns) { scan.classify($0) }
        var dense: [Int] = []
        var sparse: [Int] = []
        var nonZeros = 0
        for j in 0..<columns {
            if ones[j] >= 0, ones[j] * 2 <= rows {
                sparse.append(j)
                nonZeros += ones[j]
            } else {
                dense.append(j)
            }
        }
        guard sparse.count >= minimumIndicators, !dense.isEmpty else { return nil }
        let layout = IndicatorLayout(dense: dense, sparse: sparse, rows: rows, nonZeros: nonZeros)
        layout.fill(x: x, workers: max(1, min(workers, rows)))
        return layout
    }

    /// Counts per row, prefix sums, then the entries, each over row ranges in parallel.
    private func fill(x: UnsafePointer<Double>, workers: Int) {
        let job = FillJob(x: x, layout: self, workers: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { job.count($0) }
        var total = 0
        for i in 0..<rows {
            let count = rowStart[i]
            rowStart[i] = total
            total += count
        }
        rowStart[rows] = total
        DispatchQueue.concurrentPerform(iterations: workers) { job.place($0) }
    }

    private final class ScanJob: @unchecked Sendable {
        let x: UnsafePointer<Double>
        let rows: Int
        let ones: UnsafeMutablePointer<Int>
        init(x: UnsafePointer<Double>, rows: Int, ones: UnsafeMutablePointer<Int>) {
            self.x = x
            self.rows = rows
            self.ones = ones
        }

        /// ones[j] = number of 1s, or −1 if the column holds anything but 0 and 1.
        func classify(_ j: Int) {
            let column = x + j * rows
            var count = 0
            for i in 0..<rows {
                let v = column[i]
                if v == 1 {
                    count += 1
                } else if v != 0 {
                    ones[j] = -1
                    return
                }
            }
            ones[j] = count
        }
    }

    private final class FillJob: @unchecked Sendable {
        let x: UnsafePointer<Double>
        let layout: IndicatorLayout
        let workers: Int
        init(x: UnsafePointer<Double>, layout: IndicatorLayout, workers: Int) {
            self.x = x
            self.layout = layout
            self.workers = workers
        }

        func range(_ worker: Int) -> Range<Int> {
            (layout.rows * worker / workers)..<(layout.rows * (worker + 1) / workers)
        }

        func count(_ worker: Int) {
            let rows = range(worker)
            let counts = layout.rowStart
            for i in rows { counts[i] = 0 }
            for j in layout.sparse {
                let column = x + j * layout.rows
                for i in rows where column[i] == 1 { counts[i] += 1 }
            }
        }

        func place(_ worker: Int) {
            let rows = range(worker)
            guard !rows.isEmpty else { return }
            // Columns in ascending order, so each row's entries come out ascending.
            let next = UnsafeMutablePointer<Int>.allocate(capacity: rows.count)
            defer { next.deallocate() }
            for i in rows { next[i - rows.lowerBound] = layout.rowStart[i] }
            for (position, j) in layout.sparse.enumerated() {
                let column = x + j * layout.rows
                let tag = UInt16(position)
                for i in rows where column[i] == 1 {
                    layout.entries[next[i - rows.lowerBound]] = tag
                    next[i - rows.lowerBound] += 1
                }
            }
        }
    }
}
