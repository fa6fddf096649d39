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
        codes = .allocate(capacity: max(1, rows * levels.count))
    }

    deinit { codes.deallocate() }

    /// The layout of `layout`'s indicators, or nil when the tables would be too large
    /// (more than `maximumCells` cells over all pairs of groups).
    ///
    /// One-hot features are found greedily in column order: a column joins the current feature
    /// unless some row has it and an earlier column of that feature. Consecutive features are
    /// joined while their combined level count stays at most `maximumJoint`.
    static func make(from layout: IndicatorLayout, workers: Int, maximumJoint: Int = 64,
                     maximumCells: Int = 1 << 18) -> LevelLayout? {
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
        // Joint groups of consecutive features.
        var groupsOfFeatures: [[Range<Int>]] = []
        var levels: [Int] = []
        for feature in features {
            let count = feature.count + 1
            if let last = levels.last, last * count <= maximumJoint {
                groupsOfFeatures[groupsOfFeatures.count - 1].append(feature)
                levels[levels.count - 1] = last * count
            } else {
                groupsOfFeatures.append([feature])
                levels.append(count)
            }
        }
        guard levels.allSatisfy({ $0 <= Int(UInt16.max) }) else { return nil }
        var cells = 0
        for g in levels.indices {
            for h in (g + 1)..<max(g + 1, levels.count) { cells += levels[g] * levels[h] }
        }
        guard cells <= maximumCells else { return nil }

        // Per indicator position: its group, and what it adds to the group's code.
        var groupOf = [Int](repeating: 0, count: s)
        var addend = [Int](repeating: 0, count: s)
        var activeColumns: [[[Int]]] = []
        for (g, members) in groupsOfFeatures.enumerated() {
            var multiplier = 1
            var multipliers: [Int] = []
            for feature in members {
                multipliers.append(multiplier)
                for (offset, j) in feature.enumerated() {
                    groupOf[j] = g
                    addend[j] = (offset + 1) * multiplier
                }
                multiplier *= feature.count + 1
            }
            var active: [[Int]] = []
            for code in 0..<levels[g] {
                var columns: [Int] = []
                for (feature, m) in zip(members, multipliers) {
                    let level = (code / m) % (feature.count + 1)
                    if level > 0 { columns.append(layout.sparse[feature.lowerBound + level - 1]) }
                }
                active.append(columns)
            }
            activeColumns.append(active)
        }
        let result = LevelLayout(dense: layout.dense, levels: levels, activeColumns: activeColumns, rows: rows)
        let job = FillJob(layout: layout, result: result, groupOf: groupOf, addend: addend,
                          workers: max(1, min(workers, rows)))
        DispatchQueue.concurrentPerform(iterations: job.workers) { job.fill($0) }
        return result
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
