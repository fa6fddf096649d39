import BatonSupport
import Dispatch

/// The sparse indicator columns of an ``IndicatorLayout`` grouped into one-hot features
/// (columns of which a row has at most one 1), and features joined in small groups whose
/// combined level is one code per row.
///
/// A row's indicators are then a handful of small integers: for a joint group of features
/// with L₁ + 1, L₂ + 1, … levels (0 = the baseline, no dummy set), the code is
/// `ℓ₁ + (L₁ + 1)·ℓ₂ + …`. A Newton pass adds per row one short vector into one table row per
/// group, and wᵢ into one cell per pair of groups (``LevelPartials``): no branches and no
/// per-dummy loop.
final class LevelLayout: @unchecked Sendable {
    /// Dense design columns, as in the ``IndicatorLayout``.
    let dense: [Int]
    /// Joint groups.
    let groups: Int
    /// Codes per joint group (the product of its features' level counts).
    let levels: [Int]
    /// `activeColumns[g][code]`: the design columns that are 1 in a row with that code.
    let activeColumns: [[[Int]]]
    /// Row i's codes are `codes[i * groups ..< (i + 1) * groups]`.
    let codes: UnsafeMutablePointer<UInt16>
    let rows: Int

    private init(dense: [Int], levels: [Int], activeColumns: [[[Int]]], rows: Int) {
        self.dense = dense
        self.groups = levels.count
        self.levels = levels
        self.activeColumns = activeColumns
        self.rows = rows
        codes = HugePages.allocate(capacity: max(1, rows * levels.count))
    }

    deinit { codes.deallocate() }

    /// The largest combined level count of a joint group. Each group costs every row a table
    /// update as long as the dense part, so fewer, larger groups win while a part's tables stay
    /// in L2: on the 1e6-lead benchmark (10 categorical features, 45 dummies) 128 joins the last
    /// two features (24 × 3 levels) that 64 kept apart — 4 groups instead of 5 — and one Newton
    /// pass went from 50 to 34 ms (p50, 2 cores). The pair tables stay under 20,000 cells.
    static let defaultMaximumJoint = 128

    /// The layout of `layout`'s indicators, or nil when the tables would be too large
    /// (more than `maximumCells` cells over all pairs of groups).
    ///
    /// One-hot features are found greedily in column order: a column joins the current feature
    /// unless some row has it and an earlier column of that feature. Consecutive features are
    /// joined while their combined level count stays at most `maximumJoint`.
    static func make(
        from layout: IndicatorLayout, workers: Int, maximumJoint: Int = LevelLayout.defaultMaximumJoint,
        maximumCells: Int = 1 << 18
    ) -> LevelLayout? {
        let s = layout.sparse.count
        let rows = layout.rows
        guard s > 0 else { return nil }
        // latestPrevious[j]: the largest indicator listed just before j in any row (−1: none).
        var latestPrevious = [Int](repeating: -1, count: s)
        for i in 0..<rows {
            let lo = layout.rowStart[i], hi = layout.rowStart[i + 1]
            guard hi - lo > 1 else { continue }
            for e in (lo + 1)..<hi {
                let j = Int(layout.entries[e])
                latestPrevious[j] = max(latestPrevious[j], Int(layout.entries[e - 1]))
            }
        }
        // One-hot features: [first, end) ranges of indicator positions.
        var features: [Range<Int>] = []
        var start = 0
        for j in 1..<max(1, s) where latestPrevious[j] >= start {
            features.append(start..<j)
            start = j
        }
        features.append(start..<s)
        guard
            let grouping = Grouping(
                features: features.map { $0.map { layout.sparse[$0] } },
                maximumJoint: maximumJoint, maximumCells: maximumCells)
        else { return nil }
        // Per indicator position: its group, and what it adds to the group's code.
        var groupOf = [Int](repeating: 0, count: s)
        var addend = [Int](repeating: 0, count: s)
        for (f, feature) in features.enumerated() {
            for (offset, j) in feature.enumerated() {
                groupOf[j] = grouping.groupOf[f]
                addend[j] = (offset + 1) * grouping.multiplier[f]
            }
        }
        let result = LevelLayout(
            dense: layout.dense, levels: grouping.levels, activeColumns: grouping.activeColumns,
            rows: rows)
        let job = FillJob(
            layout: layout, result: result, groupOf: groupOf, addend: addend,
            workers: max(1, min(workers, rows)))
        DispatchQueue.concurrentPerform(iterations: job.workers) { job.fill($0) }
        return result
    }

    /// The layout of one-hot features the encoder reports (no scan of X), or nil when there is
    /// no such feature, no column outside them, or the tables would be too large.
    /// - Precondition: the features' columns are distinct, below `columns`, and each feature's
    ///   `levels` has `rows` entries.
    static func make(
        oneHot: [OneHotFeature], columns: Int, rows: Int, workers: Int, maximumJoint: Int = LevelLayout.defaultMaximumJoint,
        maximumCells: Int = 1 << 18
    ) -> LevelLayout? {
        let features = oneHot.filter { !$0.columns.isEmpty }
        guard !features.isEmpty, rows > 0 else { return nil }
        var isDummy = [Bool](repeating: false, count: columns)
        for feature in features {
            precondition(feature.levels.count == rows, "OneHotFeature: \(feature.levels.count) levels for \(rows) rows")
            for column in feature.columns {
                precondition(
                    column >= 0 && column < columns && !isDummy[column],
                    "OneHotFeature: column \(column) out of range or in two features")
                isDummy[column] = true
            }
        }
        let dense = (0..<columns).filter { !isDummy[$0] }
        guard !dense.isEmpty,
            let grouping = Grouping(
                features: features.map(\.columns), maximumJoint: maximumJoint,
                maximumCells: maximumCells)
        else { return nil }
        let result = LevelLayout(
            dense: dense, levels: grouping.levels, activeColumns: grouping.activeColumns,
            rows: rows)
        let job = CodeJob(
            features: features, result: result, groupOf: grouping.groupOf,
            multiplier: grouping.multiplier, workers: max(1, min(workers, rows)))
        DispatchQueue.concurrentPerform(iterations: job.workers) { job.fill($0) }
        return result
    }

    /// Consecutive features joined into groups while the product of their level counts stays
    /// at most `maximumJoint`; a row's code in a group is Σ level_f · multiplier_f.
    private struct Grouping {
        var levels: [Int] = []
        var groupOf: [Int] = []
        var multiplier: [Int] = []
        var activeColumns: [[[Int]]] = []

        /// - Parameter features: per feature, the design columns of its levels 1, 2, ….
        init?(features: [[Int]], maximumJoint: Int, maximumCells: Int) {
            var members: [[Int]] = []
            for (f, feature) in features.enumerated() {
                let count = feature.count + 1
                if let last = levels.last, last * count <= maximumJoint {
                    multiplier.append(last)
                    members[members.count - 1].append(f)
                    levels[levels.count - 1] = last * count
                } else {
                    multiplier.append(1)
                    members.append([f])
                    levels.append(count)
                }
                groupOf.append(levels.count - 1)
            }
            guard levels.allSatisfy({ $0 <= Int(UInt16.max) }) else { return nil }
            var cells = 0
            for g in levels.indices {
                for h in (g + 1)..<max(g + 1, levels.count) { cells += levels[g] * levels[h] }
            }
            guard cells <= maximumCells else { return nil }
            for (g, group) in members.enumerated() {
                var active: [[Int]] = []
                for code in 0..<levels[g] {
                    var columns: [Int] = []
                    for f in group {
                        let level = (code / multiplier[f]) % (features[f].count + 1)
                        if level > 0 { columns.append(features[f][level - 1]) }
                    }
                    active.append(columns)
                }
                activeColumns.append(active)
            }
        }
    }

    /// Fills the codes from the features' levels, over row ranges in parallel.
    private final class CodeJob: @unchecked Sendable {
        let features: [OneHotFeature]
        let result: LevelLayout
        let groupOf: [Int]
        let multiplier: [Int]
        let workers: Int
        init(features: [OneHotFeature], result: LevelLayout, groupOf: [Int], multiplier: [Int], workers: Int) {
            self.features = features
            self.result = result
            self.groupOf = groupOf
            self.multiplier = multiplier
            self.workers = workers
        }

        func fill(_ worker: Int) {
            let rows = (result.rows * worker / workers)..<(result.rows * (worker + 1) / workers)
            let g = result.groups
            for i in rows {
                for k in 0..<g { result.codes[i * g + k] = 0 }
            }
            for (f, feature) in features.enumerated() {
                let group = groupOf[f], m = multiplier[f], limit = feature.columns.count
                feature.levels.withUnsafeBufferPointer { levels in
                    for i in rows {
                        let level = Int(levels[i])
                        precondition(level <= limit, "OneHotFeature: level \(level) of \(limit) dummies in row \(i)")
                        result.codes[i * g + group] &+= UInt16(truncatingIfNeeded: level * m)
                    }
                }
            }
        }
    }

    private final class FillJob: @unchecked Sendable {
        let layout: IndicatorLayout
        let result: LevelLayout
        let groupOf: [Int]
        let addend: [Int]
        let workers: Int
        init(layout: IndicatorLayout, result: LevelLayout, groupOf: [Int], addend: [Int], workers: Int) {
            self.layout = layout
            self.result = result
            self.groupOf = groupOf
            self.addend = addend
            self.workers = workers
        }

        func fill(_ worker: Int) {
            let rows = (layout.rows * worker / workers)..<(layout.rows * (worker + 1) / workers)
            let g = result.groups
            for i in rows {
                let row = result.codes + i * g
                for k in 0..<g { row[k] = 0 }
                for e in layout.rowStart[i]..<layout.rowStart[i + 1] {
                    let j = Int(layout.entries[e])
                    row[groupOf[j]] &+= UInt16(truncatingIfNeeded: addend[j])
                }
            }
        }
    }
}
