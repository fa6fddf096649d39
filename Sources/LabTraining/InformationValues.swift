import Foundation
import ScoringModelFormat

/// Information value per feature, for the fit summary: binned features from their learned bins
/// (``NumericBins``), categorical features from the training rows by model level (baseline
/// included). `IV = Σ (wonᵢ/W − lostᵢ/L) · ln((wonᵢ/W) / (lostᵢ/L))`; a level with no won or no
/// lost lead makes it infinite (that level separates). A plain numeric feature's IV is over its
/// fine classing: up to ``fineClasses`` equal-frequency groups of the training rows (equal values
/// never split across groups), missing values a group of their own (the coarse-classing step of
/// Siddiqi, *Credit Risk Scorecards*, ch. 6, before any bins are chosen).
package struct InformationValue: Sendable, Equatable {
    package var feature: String
    /// nil for a numeric feature without bins.
    package var value: Double?
    /// What the IV is over: `5 bins, ascending`, `7 levels`, `not binned`.
    package var basis: String
    /// Binned: `label WoE` per bin, lowest first, then `Missing`.
    package var bins: [(label: String, woe: Double)]

    package static func == (lhs: InformationValue, rhs: InformationValue) -> Bool {
        lhs.feature == rhs.feature && lhs.value == rhs.value && lhs.basis == rhs.basis
            && lhs.bins.map(\.label) == rhs.bins.map(\.label) && lhs.bins.map(\.woe) == rhs.bins.map(\.woe)
    }

    /// The conventional reading of an IV (Siddiqi, *Credit Risk Scorecards*): < 0.02 not useful,
    /// < 0.1 weak, < 0.3 medium, otherwise strong (> 0.5: check for leakage).
    package static func strength(_ iv: Double) -> String {
        if iv < 0.02 { return "not useful" }
        if iv < 0.1 { return "weak" }
        if iv < 0.3 { return "medium" }
        if iv <= 0.5 { return "strong" }
        return "very strong: check for leakage"
    }

    /// One entry per encoding, in spec order. Categorical IVs need the training rows (nil: `training` absent).
    package static func of(encodings: [FeatureEncoding], training: TrainingData?) -> [InformationValue] {
        // Each feature reads its own design columns: the features are counted on all cores.
        let offsets = DesignMatrixBuilder.firstColumns(of: encodings)
        let slots = Slots(count: encodings.count)
        DispatchQueue.concurrentPerform(iterations: encodings.count) { k in
            slots.values[k] = of(encodings[k], offset: offsets[k], training: training)
        }
        return slots.values.compactMap { $0 }
    }

    /// ``of(encodings:training:)`` started on a thread of its own; `wait()` gives its result.
    static func inBackground(encodings: [FeatureEncoding], training: TrainingData) -> Pending {
        let pending = Pending()
        pending.group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            pending.result = of(encodings: encodings, training: training)
            pending.group.leave()
        }
        return pending
    }

    /// The result of ``inBackground(encodings:training:)``, written once before `group` is left.
    final class Pending: @unchecked Sendable {
        let group = DispatchGroup()
        var result: [InformationValue] = []

        func wait() -> [InformationValue] {
            group.wait()
            return result
        }
    }

    /// One result slot per feature, each written by one task only.
    private final class Slots: @unchecked Sendable {
        let values: UnsafeMutableBufferPointer<InformationValue?>
        init(count: Int) {
            values = .allocate(capacity: count)
            values.initialize(repeating: nil)
        }
        deinit {
            values.deinitialize()
            values.deallocate()
        }
    }

    private static func of(_ encoding: FeatureEncoding, offset: Int, training: TrainingData?) -> InformationValue {
        let width = encoding.terms.count
        if let bins = encoding.bins {
            var labels = bins.labels(withMissing: bins.missingStatistics != nil)
            var woes = bins.statistics.map(\.woe)
            if let missing = bins.missingStatistics { woes.append(missing.woe) } else { labels = Array(labels.prefix(bins.count)) }
            return InformationValue(
                feature: encoding.column, value: bins.informationValue,
                basis: "\(bins.count) bins, \(bins.monotone.rawValue)\(bins.given ? ", cuts given" : "")",
                bins: Array(zip(labels, woes)).map { (label: $0.0, woe: $0.1) })
        } else if encoding.type == .categorical, let training {
            return InformationValue(
                feature: encoding.column, value: categoricalIV(training, columns: offset..<(offset + width)),
                basis: "\(encoding.levels.count) levels", bins: [])
        } else if encoding.type == .categorical {
            return InformationValue(feature: encoding.column, value: nil, basis: "levels (streaming fit: not counted)", bins: [])
        } else if let training {
            let (iv, groups) = numericIV(training, column: offset, missingColumn: width > 1 ? offset + 1 : nil)
            return InformationValue(feature: encoding.column, value: iv, basis: "not binned: \(groups) equal-frequency groups", bins: [])
        } else {
            return InformationValue(feature: encoding.column, value: nil, basis: "not binned (streaming fit: not counted)", bins: [])
        }
    }

    /// Equal-frequency groups a plain numeric feature's IV is computed over.
    package static let fineClasses = 10

    /// IV of a plain numeric term over up to ``fineClasses`` equal-frequency groups of its values
    /// (a monotone transform such as `log1p` groups the rows as the raw values would), rows whose
    /// `missingColumn` is 1 in a group of their own; and the number of groups used.
    /// - Parameter distinctLimit: the most distinct values counted in a table before the rows
    ///   are sorted instead (0: always sort; the tests compare the two ways).
    static func numericIV(
        _ training: TrainingData, column: Int, missingColumn: Int?, distinctLimit: Int = DistinctValues.limit
    ) -> (iv: Double, groups: Int) {
        training.design.withColumn(column) { values in
            if let missingColumn {
                training.design.withColumn(missingColumn) { missing in
                    numericIV(training, values: values, missing: missing, distinctLimit: distinctLimit)
                }
            } else {
                numericIV(training, values: values, missing: nil, distinctLimit: distinctLimit)
            }
        }
    }

    private static func numericIV(
        _ training: TrainingData, values: UnsafeBufferPointer<Double>, missing: UnsafeBufferPointer<Double>?,
        distinctLimit: Int
    ) -> (iv: Double, groups: Int) {
        let n = training.design.rows
        var missingWon = 0.0, missingLost = 0.0
        var distinct = DistinctValues(limit: distinctLimit)
        distinct.add(values, outcomes: training.outcome, weights: training.weights, skipping: missing)
        if let missing {
            for i in 0..<n where missing[i] == 1 {
                let weight = training.weights?[i] ?? 1
                if training.outcome[i] == 1 { missingWon += weight } else { missingLost += weight }
            }
        }
        var won: [Double] = [], lost: [Double] = []
        if distinct.isCounting {
            // The same walk as below, one step per distinct value: a group starts only where a
            // new value starts, at the first row of the next tenth (rank = rows before the value).
            let rows = distinct.rows
            var rank = 0, groupEnd = 0
            for slot in distinct.slotsInValueOrder() {
                if rank >= groupEnd {
                    won.append(0)
                    lost.append(0)
                    groupEnd = (won.count * rows + fineClasses - 1) / fineClasses
                }
                won[won.count - 1] += distinct.won(slot)
                lost[lost.count - 1] += distinct.lost(slot)
                rank += distinct.count(slot)
            }
        } else {
            // Many distinct values (or a NaN): rank the present rows by value, all of them (those
            // counted before the table gave up too).
            var present = (0..<n).filter { i in missing.map { $0[i] != 1 } ?? true }
            present.sort { values[$0] < values[$1] }
            var groupEnd = 0
            for (rank, i) in present.enumerated() {
                let value = values[i]
                // A new group starts at the next tenth of the rows, but never between equal values.
                if rank >= groupEnd, rank == 0 || value != values[present[rank - 1]] {
                    won.append(0)
                    lost.append(0)
                    groupEnd = (won.count * present.count + fineClasses - 1) / fineClasses
                }
                let weight = training.weights?[i] ?? 1
                if training.outcome[i] == 1 { won[won.count - 1] += weight } else { lost[lost.count - 1] += weight }
            }
        }
        if missingWon + missingLost > 0 {
            won.append(missingWon)
            lost.append(missingLost)
        }
        return (iv(won: won, lost: lost), won.count)
    }

    /// Rows counted per distinct value in an open-addressing table, while there are at most
    /// ``limit`` values: engagement counts (and their `log1p`) take a few dozen, so the fine
    /// classing needs no sort of a million rows. Gives up (``isCounting`` false) past the limit
    /// or at a NaN, and the caller sorts.
    struct DistinctValues {
        static let limit = 4096
        private static let capacity = 8192  // a power of two, twice the largest limit
        private let limit: Int
        /// One slot per table entry: its value's bit pattern (-0.0 as 0.0), whether it is used,
        /// and the rows, won and lost weight counted for it.
        private struct Slot {
            var key: UInt64 = 0
            var used = false
            var count = 0
            var won = 0.0
            var lost = 0.0
        }
        private var slots = [Slot](repeating: Slot(), count: capacity)
        private(set) var distinct = 0
        private(set) var rows = 0
        private(set) var isCounting: Bool

        init(limit: Int) {
            self.limit = min(limit, Self.limit)
            isCounting = self.limit > 0
        }

        /// Counts every row i of `values` whose `missing[i]` is not 1 (all rows without
        /// `missing`): won when `outcomes[i]` is 1, with weight `weights[i]` (1 without weights).
        /// Stops counting (``isCounting`` false) at a NaN or past the limit.
        mutating func add(
            _ values: UnsafeBufferPointer<Double>, outcomes: [Double], weights: [Double]?,
            skipping missing: UnsafeBufferPointer<Double>?
        ) {
            guard isCounting else { return }
            let mask = Self.capacity - 1
            let limit = self.limit
            var distinct = self.distinct
            var rows = self.rows
            var counting = true
            slots.withUnsafeMutableBufferPointer { slots in
                outcomes.withUnsafeBufferPointer { outcomes in
                    for i in 0..<values.count {
                        if let missing, missing[i] == 1 { continue }
                        let value = values[i]
                        guard !value.isNaN else {
                            counting = false
                            return
                        }
                        // -0.0 and 0.0 are one value, as `==` has them.
                        let key = value == 0 ? 0 : value.bitPattern
                        // Fibonacci hashing of the bit pattern (the high bits, where the mixing ends up).
                        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 51) & mask
                        while slots[slot].used, slots[slot].key != key { slot = (slot &+ 1) & mask }
                        if !slots[slot].used {
                            guard distinct < limit else {
                                counting = false
                                return
                            }
                            slots[slot].used = true
                            slots[slot].key = key
                            distinct += 1
                        }
                        slots[slot].count += 1
                        rows += 1
                        let weight = weights?[i] ?? 1
                        if outcomes[i] == 1 { slots[slot].won += weight } else { slots[slot].lost += weight }
                    }
                }
            }
            self.distinct = distinct
            self.rows = rows
            isCounting = counting
        }

        /// The used slots, lowest value first.
        func slotsInValueOrder() -> [Int] {
            (0..<Self.capacity).filter { slots[$0].used }.sorted { Double(bitPattern: slots[$0].key) < Double(bitPattern: slots[$1].key) }
        }

        /// Rows, won and lost weight counted for a used slot.
        func count(_ slot: Int) -> Int { slots[slot].count }
        func won(_ slot: Int) -> Double { slots[slot].won }
        func lost(_ slot: Int) -> Double { slots[slot].lost }
    }

    /// `Σ (wonᵢ/W − lostᵢ/L) · ln((wonᵢ/W) / (lostᵢ/L))` over groups with any lead; infinite when a
    /// group has leads of one outcome only.
    static func iv(won: [Double], lost: [Double]) -> Double {
        let totalWon = won.reduce(0, +), totalLost = lost.reduce(0, +)
        var iv = 0.0
        for k in won.indices where won[k] + lost[k] > 0 {
            let a = won[k] / totalWon, b = lost[k] / totalLost
            iv += a == b ? 0 : (a - b) * log(a / b)
        }
        return iv
    }

    /// Won and lost rows per level (codes below `levelCount`), unweighted, as whole numbers:
    /// one increment per row at `2·level + won`, with no branch on the outcome, into one of four
    /// interleaved tables so that neighbouring rows of one level do not wait on each other's
    /// increment. The sums are exact, so the IV equals the one from adding 1s row by row.
    static func rowsPerLevel(levels: [UInt16], outcome: [Double], levelCount: Int) -> (won: [Double], lost: [Double]) {
        let stride = 2 * levelCount
        var counts = [Int](repeating: 0, count: 4 * stride)
        counts.withUnsafeMutableBufferPointer { counts in
            levels.withUnsafeBufferPointer { levels in
                outcome.withUnsafeBufferPointer { outcome in
                    for i in 0..<levels.count {
                        let slot = (i & 3) &* stride &+ 2 &* Int(levels[i]) &+ (outcome[i] == 1 ? 1 : 0)
                        counts[slot] &+= 1
                    }
                }
            }
        }
        var won = [Double](repeating: 0, count: levelCount), lost = won
        for level in 0..<levelCount {
            var wonRows = 0, lostRows = 0
            for table in 0..<4 {
                lostRows += counts[table * stride + 2 * level]
                wonRows += counts[table * stride + 2 * level + 1]
            }
            won[level] = Double(wonRows)
            lost[level] = Double(lostRows)
        }
        return (won, lost)
    }

    /// IV over a categorical feature's levels: each row's level is its dummy column set to 1, or the baseline.
    /// The level codes the encoder kept for the fit (``CodedDesign/oneHot``) give it directly;
    /// without them, the dummy columns are read.
    static func categoricalIV(_ training: TrainingData, columns: Range<Int>) -> Double {
        let n = training.design.rows
        var won = [Double](repeating: 0, count: columns.count + 1), lost = won
        let outcome = training.outcome, weights = training.weights
        if let feature = training.design.oneHot.first(where: { $0.columns.first == columns.first && $0.columns.count == columns.count }),
            feature.levels.count == n
        {
            guard let weights else {
                let (wonRows, lostRows) = rowsPerLevel(levels: feature.levels, outcome: outcome, levelCount: won.count)
                return iv(won: wonRows, lost: lostRows)
            }
            for i in 0..<n {
                let level = Int(feature.levels[i])
                let weight = weights[i]
                if outcome[i] == 1 { won[level] += weight } else { lost[level] += weight }
            }
            return iv(won: won, lost: lost)
        }
        var levels = [Int](repeating: 0, count: n)
        for (k, j) in columns.enumerated() {
            training.design.withColumn(j) { values in
                for i in 0..<n where values[i] == 1 { levels[i] = k + 1 }
            }
        }
        for (i, level) in levels.enumerated() {
            let weight = weights?[i] ?? 1
            if outcome[i] == 1 { won[level] += weight } else { lost[level] += weight }
        }
        return iv(won: won, lost: lost)
    }
}
