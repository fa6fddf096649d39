#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cut points for a numeric feature that maximise information value (IV) under a monotone
/// event-rate constraint, for a scorecard whose bins a person can read.
///
/// **Algorithm.** (1) Pre-bins: the non-missing values are sorted and cut at the
/// `q/maxPrebins` quantiles (q = 1 … maxPrebins − 1); a cut is a data value `c`, and a value
/// `x` lies right of it when `x ≥ c`, so bins are `(−∞, c₁)`, `[c₁, c₂)`, …, `[c_k, ∞)`, as in
/// `optbinning` (`np.digitize(x, splits, right=False)`); repeated quantiles collapse.
/// (2) An exact dynamic programme over runs of consecutive pre-bins: `best[k][a][b]` is the
/// largest total IV of pre-bins `0…b` cut into `k` bins whose last bin is pre-bins `a…b`, and
/// it extends only from a previous bin whose won rate is ≤ (ascending) or ≥ (descending) that
/// of `a…b`. A bin is allowed when it holds at least `⌈minBinShare · N⌉` rows (N counts every
/// row, empty cells included, as `optbinning`'s `min_bin_size` does) and at least one won and
/// one lost row (a bin without one of them has an infinite WoE and separates in the fit).
/// The answer is the best over `k ≤ maxBins`. This is the optimum over the pre-bin cut points,
/// the problem `optbinning` solves with a constraint-programming solver; it costs
/// O(maxBins · P³) for P pre-bins. `auto` solves ascending and descending and keeps the larger
/// IV (`optbinning`'s `auto_asc_desc`); `none` drops the order constraint. optbinning's CP model
/// also pre-solves away cuts next to a pre-bin whose rate drops against its neighbour, which can
/// exclude the optimum; this search does not (the tests compare both).
///
/// **WoE and IV** (the event is closed-won): for bin i with wᵢ won and lᵢ lost of W and L,
/// `WoEᵢ = ln((wᵢ/W) / (lᵢ/L))` (positive: more likely to close than average) and
/// `IVᵢ = (wᵢ/W − lᵢ/L) · WoEᵢ`; `optbinning` reports `ln((lᵢ/L)/(wᵢ/W))`, the same number with
/// the opposite sign, and the same IV. The optimisation uses the totals of the non-missing rows
/// (as `optbinning`'s solver does); the reported table (``BinTable``) uses the totals of all
/// rows, the `Missing` bin included.
package enum MonotoneBinning {
    /// The order the won rate must follow from the lowest bin to the highest.
    package enum Trend: String, Sendable, Equatable, CaseIterable {
        case ascending, descending, auto, none
    }

    package struct Options: Sendable, Equatable {
        package var trend: Trend
        /// Most bins for the non-missing values (≥ 1).
        package var maxBins: Int
        /// Least share of all rows in a bin, in [0, 0.5].
        package var minBinShare: Double
        /// Pre-bins (quantile cuts) the search chooses from.
        package var maxPrebins: Int

        package init(trend: Trend = .auto, maxBins: Int = 5, minBinShare: Double = 0.05, maxPrebins: Int = 20) {
            self.trend = trend
            self.maxBins = maxBins
            self.minBinShare = minBinShare
            self.maxPrebins = maxPrebins
        }
    }

    /// The chosen bins.
    package struct Result: Sendable, Equatable {
        /// Ascending cut points (bins = cuts.count + 1).
        package var cuts: [Double]
        /// The trend the bins follow (`ascending`, `descending`, or `none`); `auto` is resolved.
        package var trend: Trend
        /// Counts, WoE and IV per bin and for the missing rows.
        package var table: BinTable
    }

    /// Chooses cut points for `values` (nil = an empty cell) with 0/1 `outcomes`.
    /// - Throws: ``BinningError`` when no split satisfies the constraints, or the data cannot be binned.
    package static func choose(values: [Double?], outcomes: [Double], options: Options) throws(BinningError) -> Result {
        try validate(options)
        let data = try Observations(values: values, outcomes: outcomes)
        let prebinCuts = quantileCuts(data.sortedValues, prebins: options.maxPrebins)
        let prebins = data.counts(cuts: prebinCuts)
        let minRows = minimumRows(options.minBinShare, total: data.totalRows)
        let trends: [Trend] = options.trend == .auto ? [.ascending, .descending] : [options.trend]
        var best: (iv: Double, groups: [Range<Int>], trend: Trend)?
        for trend in trends {
            guard let found = search(prebins, maxBins: options.maxBins, minRows: minRows, trend: trend, totals: data.presentTotals)
            else { continue }
            if best.map({ found.iv > $0.iv }) ?? true { best = (found.iv, found.groups, trend) }
        }
        guard let best else {
            throw .infeasible(
                trend: options.trend, maxBins: options.maxBins, minBinShare: options.minBinShare, rows: data.totalRows,
                won: data.presentTotals.won, lost: data.presentTotals.lost)
        }
        let cuts = best.groups.dropFirst().map { prebinCuts[$0.lowerBound - 1] }
        return Result(cuts: cuts, trend: best.trend, table: data.table(cuts: cuts))
    }

    /// Checks user-given cut points: ascending, and every bin within the constraints.
    /// - Throws: ``BinningError`` naming the bin that breaks a constraint.
    package static func check(cuts: [Double], values: [Double?], outcomes: [Double], options: Options) throws(BinningError) -> Result {
        try validate(options)
        guard !cuts.isEmpty else { throw .noCuts }
        for (a, b) in zip(cuts, cuts.dropFirst()) where !(a < b) { throw .cutsNotAscending(a, b) }
        guard cuts.allSatisfy(\.isFinite) else { throw .cutsNotAscending(cuts[0], cuts[0]) }
        guard cuts.count + 1 <= options.maxBins else { throw .tooManyCuts(cuts: cuts.count, maxBins: options.maxBins) }
        let data = try Observations(values: values, outcomes: outcomes)
        let table = data.table(cuts: cuts)
        let minRows = minimumRows(options.minBinShare, total: data.totalRows)
        for (i, bin) in table.bins.enumerated() {
            if bin.rows < minRows || bin.won == 0 || bin.lost == 0 {
                throw .binOutsideConstraints(
                    bin: i, label: BinTable.interval(i, cuts: cuts), rows: bin.rows, won: bin.won, lost: bin.lost, minRows: minRows)
            }
        }
        let rates = table.bins.map { $0.won / ($0.won + $0.lost) }
        let ascending = zip(rates, rates.dropFirst()).allSatisfy { $0 <= $1 }
        let descending = zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }
        let trend: Trend
        switch options.trend {
        case .ascending:
            guard ascending else { throw .cutsBreakTrend(.ascending, rates: rates) }
            trend = .ascending
        case .descending:
            guard descending else { throw .cutsBreakTrend(.descending, rates: rates) }
            trend = .descending
        case .auto:
            guard ascending || descending else { throw .cutsBreakTrend(.auto, rates: rates) }
            trend = ascending ? .ascending : .descending
        case .none:
            trend = .none
        }
        return Result(cuts: cuts, trend: trend, table: table)
    }

    static func validate(_ options: Options) throws(BinningError) {
        guard options.maxBins >= 2, options.maxBins <= 50 else {
            throw .badOption(name: "max_bins", value: Double(options.maxBins), requirement: "a whole number from 2 to 50")
        }
        guard options.minBinShare >= 0, options.minBinShare <= 0.5 else {
            throw .badOption(name: "min_bin_share", value: options.minBinShare, requirement: "a share from 0 to 0.5 (e.g. 0.05 for 5 % of the rows)")
        }
        guard options.maxPrebins >= 2, options.maxPrebins <= 200 else {
            throw .badOption(name: "max_prebins", value: Double(options.maxPrebins), requirement: "from 2 to 200")
        }
    }

    /// `⌈share · total⌉`, at least 1.
    static func minimumRows(_ share: Double, total: Double) -> Double { max(1, (share * total).rounded(.up)) }

    /// Distinct quantile cuts of sorted values: `sorted[⌊q·n/P⌋]` for q = 1 … P − 1, above the minimum.
    static func quantileCuts(_ sorted: [Double], prebins: Int) -> [Double] {
        guard let first = sorted.first else { return [] }
        var cuts: [Double] = []
        for q in 1..<prebins {
            let index = q * sorted.count / prebins
            let cut = sorted[min(index, sorted.count - 1)]
            if cut > first, cut != cuts.last { cuts.append(cut) }
        }
        return cuts
    }

    /// The exact search: the partition of pre-bins into at most `maxBins` runs with the largest
    /// IV, each run allowed and the runs' won rates ordered by `trend`.
    static func search(
        _ prebins: [BinCount], maxBins: Int, minRows: Double, trend: Trend, totals: (won: Double, lost: Double)
    ) -> (iv: Double, groups: [Range<Int>])? {
        let p = prebins.count
        guard p > 0 else { return nil }
        // Prefix sums for O(1) run counts.
        var rowsPrefix = [0.0], wonPrefix = [0.0], lostPrefix = [0.0]
        for bin in prebins {
            rowsPrefix.append(rowsPrefix[rowsPrefix.count - 1] + bin.rows)
            wonPrefix.append(wonPrefix[wonPrefix.count - 1] + bin.won)
            lostPrefix.append(lostPrefix[lostPrefix.count - 1] + bin.lost)
        }
        // Run a…b (inclusive): allowed?, IV, won rate.
        var allowed = [Bool](repeating: false, count: p * p)
        var value = [Double](repeating: 0, count: p * p)
        var rate = [Double](repeating: 0, count: p * p)
        for a in 0..<p {
            for b in a..<p {
                let rows = rowsPrefix[b + 1] - rowsPrefix[a]
                let won = wonPrefix[b + 1] - wonPrefix[a], lost = lostPrefix[b + 1] - lostPrefix[a]
                guard rows >= minRows, won > 0, lost > 0 else { continue }
                allowed[a * p + b] = true
                let share = (won: won / totals.won, lost: lost / totals.lost)
                value[a * p + b] = (share.won - share.lost) * log(share.won / share.lost)
                rate[a * p + b] = won / (won + lost)
            }
        }
        func ordered(_ previous: Double, _ next: Double) -> Bool {
            switch trend {
            case .ascending: return previous <= next
            case .descending: return previous >= next
            case .auto, .none: return true
            }
        }
        // best[k][a*p+b]: the largest IV of pre-bins 0…b in k+1 runs, the last a…b; from[k][a*p+b]: the previous run's start.
        let unset = -Double.infinity
        var best = [[Double]](repeating: [Double](repeating: unset, count: p * p), count: maxBins)
        var from = [[Int]](repeating: [Int](repeating: -1, count: p * p), count: maxBins)
        for b in 0..<p where allowed[b] { best[0][b] = value[b] }
        for k in 1..<maxBins {
            for a in 1..<p {
                for b in a..<p where allowed[a * p + b] {
                    var top = unset, arg = -1
                    for start in 0..<a {
                        let previous = start * p + (a - 1)
                        let total = best[k - 1][previous]
                        guard total > unset, ordered(rate[previous], rate[a * p + b]) else { continue }
                        if total > top {
                            top = total
                            arg = start
                        }
                    }
                    if arg >= 0 {
                        best[k][a * p + b] = top + value[a * p + b]
                        from[k][a * p + b] = arg
                    }
                }
            }
        }
        // At least two bins: one bin is no split (and a feature that is all baseline).
        var top = unset, end: (k: Int, a: Int) = (-1, -1)
        for k in 1..<maxBins {
            // Strictly larger only: on a tie the fewer bins (smaller k), then the earlier last cut, win.
            for a in 0..<p where best[k][a * p + p - 1] > top {
                top = best[k][a * p + p - 1]
                end = (k, a)
            }
        }
        guard end.k >= 0 else { return nil }
        var groups: [Range<Int>] = []
        var (k, a, b) = (end.k, end.a, p - 1)
        while true {
            groups.append(a..<(b + 1))
            if k == 0 { break }
            let start = from[k][a * p + b]
            (k, a, b) = (k - 1, start, a - 1)
        }
        return (top, groups.reversed())
    }
}

/// Rows, won and lost (weighted) in one bin.
package struct BinCount: Sendable, Equatable {
    package var rows: Double
    package var won: Double
    package var lost: Double
    package init(rows: Double = 0, won: Double = 0, lost: Double = 0) {
        self.rows = rows
        self.won = won
        self.lost = lost
    }
}

/// Per bin (and for the empty cells): counts, weight of evidence and information value.
package struct BinTable: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        package var rows: Double
        package var won: Double
        package var lost: Double
        /// `ln((won/W) / (lost/L))` with the totals of all rows; ±∞ when a side is 0.
        package var woe: Double
        /// `(won/W − lost/L) · WoE`; 0 for an empty bin, +∞ when exactly one side is 0.
        package var iv: Double
    }
    /// One per bin, lowest values first.
    package var bins: [Row]
    /// The empty cells (rows 0 when there were none).
    package var missing: Row
    /// Σ IV over the bins and the missing row.
    package var informationValue: Double { bins.reduce(missing.iv) { $0 + $1.iv } }

    static func row(_ count: BinCount, totalWon: Double, totalLost: Double) -> Row {
        guard count.rows > 0 else { return Row(rows: 0, won: 0, lost: 0, woe: 0, iv: 0) }
        let share = (won: count.won / totalWon, lost: count.lost / totalLost)
        let woe = log(share.won / share.lost)
        return Row(rows: count.rows, won: count.won, lost: count.lost, woe: woe, iv: (share.won - share.lost) * woe)
    }

    /// `(−∞, c₁)`, `[c₁, c₂)`, …, `[c_k, ∞)` for bin `index`.
    package static func interval(_ index: Int, cuts: [Double]) -> String {
        let low = index == 0 ? "(-inf" : "[\(cuts[index - 1])"
        let high = index == cuts.count ? "inf)" : "\(cuts[index]))"
        return "\(low), \(high)"
    }
}

/// The rows to bin, checked and sorted once.
struct Observations {
    let values: [Double?]
    let outcomes: [Double]
    let sortedValues: [Double]
    let order: [Int]
    let totalRows: Double
    let presentTotals: (won: Double, lost: Double)
    let missing: BinCount

    init(values: [Double?], outcomes: [Double]) throws(BinningError) {
        guard values.count == outcomes.count else { throw .lengthMismatch(values: values.count, outcomes: outcomes.count) }
        var missing = BinCount(), won = 0.0, lost = 0.0
        var present: [Int] = []
        for (i, value) in values.enumerated() {
            let y = outcomes[i]
            guard y == 0 || y == 1 else { throw .nonBinaryOutcome(row: i, value: y) }
            guard let value else {
                missing.rows += 1
                if y == 1 { missing.won += 1 } else { missing.lost += 1 }
                continue
            }
            guard value.isFinite else { throw .nonFiniteValue(row: i, value: value) }
            present.append(i)
            if y == 1 { won += 1 } else { lost += 1 }
        }
        guard won > 0, lost > 0 else { throw .singleClass(won: won, lost: lost) }
        present.sort { (values[$0] ?? 0) < (values[$1] ?? 0) }
        self.values = values
        self.outcomes = outcomes
        order = present
        sortedValues = present.map { values[$0] ?? 0 }
        totalRows = Double(values.count)
        presentTotals = (won, lost)
        self.missing = missing
    }

    /// Counts per bin of `cuts` (non-missing rows).
    func counts(cuts: [Double]) -> [BinCount] {
        var bins = [BinCount](repeating: BinCount(), count: cuts.count + 1)
        var bin = 0
        for (position, row) in order.enumerated() {
            let x = sortedValues[position]
            while bin < cuts.count, x >= cuts[bin] { bin += 1 }
            bins[bin].rows += 1
            if outcomes[row] == 1 { bins[bin].won += 1 } else { bins[bin].lost += 1 }
        }
        return bins
    }

    func table(cuts: [Double]) -> BinTable {
        let totalWon = presentTotals.won + missing.won, totalLost = presentTotals.lost + missing.lost
        return BinTable(
            bins: counts(cuts: cuts).map { BinTable.row($0, totalWon: totalWon, totalLost: totalLost) },
            missing: BinTable.row(missing, totalWon: totalWon, totalLost: totalLost))
    }
}

/// Why a feature could not be binned; ``description`` says what to change.
package enum BinningError: Error, Sendable, Equatable, CustomStringConvertible {
    case lengthMismatch(values: Int, outcomes: Int)
    case nonBinaryOutcome(row: Int, value: Double)
    case nonFiniteValue(row: Int, value: Double)
    /// The non-missing rows hold no won or no lost lead.
    case singleClass(won: Double, lost: Double)
    case badOption(name: String, value: Double, requirement: String)
    /// No split into at most `maxBins` bins meets the trend, the share and one won and one lost per bin.
    case infeasible(trend: MonotoneBinning.Trend, maxBins: Int, minBinShare: Double, rows: Double, won: Double, lost: Double)
    case noCuts
    case cutsNotAscending(Double, Double)
    case tooManyCuts(cuts: Int, maxBins: Int)
    case binOutsideConstraints(bin: Int, label: String, rows: Double, won: Double, lost: Double, minRows: Double)
    case cutsBreakTrend(MonotoneBinning.Trend, rates: [Double])
    /// The empty cells (their own bin) are all won or all lost: that bin would separate.
    case missingBinOneClass(rows: Double, won: Double)

    package var description: String {
        func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? "\(Int64(x))" : "\(x)" }  // total: checked < 1e15
        switch self {
        case let .lengthMismatch(values, outcomes):
            return "\(values) values but \(outcomes) outcomes; they must match"
        case let .nonBinaryOutcome(row, value):
            return "row \(row): outcome \(value) is not 0 or 1"
        case let .nonFiniteValue(row, value):
            return "row \(row): value \(value) is not finite; fix the cell"
        case let .singleClass(won, lost):
            return
                "the non-empty cells hold \(n(won)) won and \(n(lost)) lost leads: bins need both; drop `transform: bins` for this feature or use more data"
        case let .badOption(name, value, requirement):
            return "\(name) \(n(value)) is out of range: use \(requirement)"
        case let .infeasible(trend, maxBins, share, rows, won, lost):
            let trendText = trend == .none ? "" : " with a \(trend.rawValue) won rate"
            return
                "no split into 2 to \(maxBins) bins\(trendText) gives every bin \(n((share * rows).rounded(.up))) rows (min_bin_share \(share) of \(n(rows))) and at least one won and one lost lead (\(n(won)) won, \(n(lost)) lost in all): lower min_bin_share, set `monotone: none` or `auto`, give `cuts:` yourself, or enter the feature without bins"
        case .noCuts:
            return "`cuts:` is empty: list at least one cut point, or leave `cuts:` out to let the lab choose them"
        case let .cutsNotAscending(a, b):
            return "`cuts:` must be finite and strictly ascending, but \(a) is followed by \(b): sort them and remove duplicates"
        case let .tooManyCuts(cuts, maxBins):
            return "`cuts:` makes \(cuts + 1) bins but max_bins is \(maxBins): raise max_bins or give fewer cuts"
        case let .binOutsideConstraints(bin, label, rows, won, lost, minRows):
            return
                "bin \(bin + 1) \(label) of the given `cuts:` holds \(n(rows)) rows (\(n(won)) won, \(n(lost)) lost); every bin needs at least \(n(minRows)) rows (min_bin_share) and one won and one lost lead: move or remove a cut next to it"
        case let .missingBinOneClass(rows, won):
            return
                "its \(n(rows)) empty cells are \(won == 0 ? "all lost" : "all won"), so a bin of their own would separate won from lost in the fit: use `missing: zero` (they join the bin of 0) or `missing: drop_row`"
        case let .cutsBreakTrend(trend, rates):
            let shown = rates.map { "\(($0 * 1000).rounded() / 10) %" }.joined(separator: ", ")
            let wanted = trend == .auto ? "ascending or descending" : trend.rawValue
            return
                "the given `cuts:` give won rates \(shown) by bin, which are not \(wanted) as `monotone:` asks: move the cuts, or set `monotone: none`"
        }
    }
}
