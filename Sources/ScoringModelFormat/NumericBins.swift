/// The bins of a numeric `transform: bins` feature, as learned in training and stored in the
/// weight file (`baton.weights/2`): the cut points, the trend the won rate follows, and each
/// bin's training counts, weight of evidence and information value.
///
/// Bin `i` of `k = cuts.count` cuts is `(−∞, c₁)` for i = 0, `[cᵢ, cᵢ₊₁)` between, `[c_k, ∞)`
/// last: a value equal to a cut belongs to the bin above it. The lowest bin is the baseline
/// (no term, 0 points); every other bin has a 0/1 term, and so does `Missing` when the
/// encoding's missing rule is `indicator` (empty cells are a bin of their own).
///
/// WoE (closed-won as the event): `ln((wonᵢ/W) / (lostᵢ/L))`; IV: `Σ (wonᵢ/W − lostᵢ/L) · WoEᵢ`,
/// with W and L the won and lost rows of the whole training window.
public struct NumericBins: Codable, Sendable, Equatable {
    /// Strictly ascending, finite cut points (at least one).
    public var cuts: [Double]
    /// `ascending`, `descending` or `none`: the order the bins' won rates follow.
    public var monotone: MonotoneTrend
    /// Whether the cuts came from the spec's `cuts:` (else the lab chose them).
    public var given: Bool
    /// True when every training value and every cut is a whole number, so bins read as
    /// `3–5` rather than `[3, 6)`.
    public var wholeNumbers: Bool
    /// One per bin, lowest first.
    public var statistics: [BinStatistics]
    /// The empty cells (nil when training had none).
    public var missingStatistics: BinStatistics?
    /// Σ IV over the bins and the empty cells.
    public var informationValue: Double

    public init(
        cuts: [Double], monotone: MonotoneTrend, given: Bool, wholeNumbers: Bool, statistics: [BinStatistics],
        missingStatistics: BinStatistics?, informationValue: Double
    ) {
        self.cuts = cuts
        self.monotone = monotone
        self.given = given
        self.wholeNumbers = wholeNumbers
        self.statistics = statistics
        self.missingStatistics = missingStatistics
        self.informationValue = informationValue
    }

    enum CodingKeys: String, CodingKey {
        case cuts, monotone, given, statistics
        case wholeNumbers = "whole_numbers"
        case missingStatistics = "missing_statistics"
        case informationValue = "information_value"
    }

    /// The bin of a present value: the number of cuts at or below it.
    public func bin(of value: Double) -> Int {
        var low = 0, high = cuts.count
        while low < high {
            let mid = (low + high) / 2
            if value >= cuts[mid] { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// How many bins the present values fall into.
    public var count: Int { cuts.count + 1 }

    /// The readable label of bin `index`: with whole numbers `≤ 2`, `3–5`, `6`, `≥ 6`; otherwise
    /// `< 2.5`, `[2.5, 4)`, `≥ 4`.
    public func label(_ index: Int) -> String {
        precondition(index >= 0 && index < count, "bin index out of range")
        func text(_ x: Double) -> String {
            if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }  // total: whole and below 1e15
            return "\(x)"
        }
        if wholeNumbers {
            if index == 0 { return "≤ \(text(cuts[0] - 1))" }
            if index == cuts.count { return "≥ \(text(cuts[index - 1]))" }
            let low = cuts[index - 1], high = cuts[index] - 1
            return low == high ? text(low) : "\(text(low))–\(text(high))"
        }
        if index == 0 { return "< \(text(cuts[0]))" }
        if index == cuts.count { return "≥ \(text(cuts[index - 1]))" }
        return "[\(text(cuts[index - 1])), \(text(cuts[index])))"
    }

    /// Every bin's label, then `Missing` when `withMissing`.
    public func labels(withMissing: Bool) -> [String] {
        (0..<count).map(label) + (withMissing ? [missingLevel] : [])
    }
}

/// What training saw in one bin.
public struct BinStatistics: Codable, Sendable, Equatable {
    public var rows: Int
    public var won: Int
    /// `ln((won/W) / (lost/L))`.
    public var woe: Double
    /// `(won/W − lost/L) · WoE`.
    public var iv: Double

    public init(rows: Int, won: Int, woe: Double, iv: Double) {
        self.rows = rows
        self.won = won
        self.woe = woe
        self.iv = iv
    }
}
