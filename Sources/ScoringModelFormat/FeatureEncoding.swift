/// How one spec feature was turned into model terms, learned from the training rows and
/// stored in the weight file so a scorer can rebuild the terms from a raw lead.
public struct FeatureEncoding: Codable, Sendable, Equatable {
    public var column: String
    public var type: FeatureType
    public var group: FeatureGroup
    /// Numeric: the transform applied after the missing rule.
    public var transform: NumericTransform
    /// Numeric: the missing rule.
    public var missing: MissingRule
    /// Categorical: spelling merges applied first.
    public var recode: [String: String]
    /// Categorical: every level the model knows, in byte order (including `Other` and
    /// `Missing` when they occurred in training), the baseline among them.
    public var levels: [String]
    /// Categorical: the reference level (no term of its own).
    public var baseline: String?
    /// Categorical: raw levels (after recoding) merged into `Other`, with their training counts.
    public var mergedIntoOther: [String: Int]
    /// Categorical: the `min_count` the merge used.
    public var minCount: Int
    /// Numeric: true when the spec asked for `missing: indicator` but no training row had an
    /// empty cell, so `missing(column)` was dropped (it would be a constant 0 term) and
    /// ``missing`` became `zero`: an empty cell met at scoring time counts as 0, as under
    /// `missing: zero`, since the training window held no empty cell to learn a weight from.
    /// Absent (nil) otherwise, and in files written before it existed.
    public var missingIndicatorDropped: Bool?
    /// Numeric `transform: bins`: the cut points and what training saw in each bin.
    public var bins: NumericBins?

    public init(
        column: String, type: FeatureType, group: FeatureGroup, transform: NumericTransform = .none,
        missing: MissingRule = .error, recode: [String: String] = [:], levels: [String] = [],
        baseline: String? = nil, mergedIntoOther: [String: Int] = [:], minCount: Int = 0
    ) {
        self.column = column
        self.type = type
        self.group = group
        self.transform = transform
        self.missing = missing
        self.recode = recode
        self.levels = levels
        self.baseline = baseline
        self.mergedIntoOther = mergedIntoOther
        self.minCount = minCount
    }

    /// Drops the `missing(column)` term of a numeric `missing: indicator` feature whose
    /// training rows had no empty cell: the rule becomes `zero` and ``missingIndicatorDropped``
    /// records why (see there for the scoring-time rule).
    public mutating func dropMissingIndicator() {
        precondition(type == .numeric && missing == .indicator, "dropMissingIndicator() is for numeric `missing: indicator` encodings")
        missing = .zero
        missingIndicatorDropped = true
    }

    /// The note a fit summary and report show for a dropped indicator (nil when none was dropped).
    public var droppedIndicatorNote: String? {
        guard missingIndicatorDropped == true else { return nil }
        if let bins {
            return
                "the Missing bin of \(column) dropped: no training row has an empty \"\(column)\" cell; an empty cell at scoring time counts as 0 (bin \(bins.label(bins.bin(of: 0))), as `missing: zero`)"
        }
        return
            "missing(\(column)) dropped: no training row has an empty \"\(column)\" cell, so the indicator would be a constant 0; an empty cell at scoring time counts as 0 (as `missing: zero`)"
    }

    enum CodingKeys: String, CodingKey {
        case column, type, group, transform, missing, recode, levels, baseline
        case mergedIntoOther = "merged_into_other"
        case minCount = "min_count"
        case missingIndicatorDropped = "missing_indicator_dropped"
        case bins
    }
}

/// The level name rare levels merge into.
public let otherLevel = "Other"
/// The level name an empty categorical cell becomes.
public let missingLevel = "Missing"

/// One column of the design matrix / one coefficient of the model.
public struct Term: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The constant 1; named `(intercept)`.
        case intercept
        /// A numeric column (possibly transformed); named `column` or `log1p(column)`.
        case numeric
        /// 1 where a numeric cell was empty; named `missing(column)`.
        case missingIndicator = "missing_indicator"
        /// 1 where a categorical cell has `level`; named `column=level`.
        case level
        /// 1 where a binned numeric cell falls in the bin `level` (an interval's label, or
        /// `Missing`); named `column=level`. Weight files with these are `baton.weights/2`.
        case bin
    }
    /// The name used everywhere: output, weight file, SQL.
    public var name: String
    public var kind: Kind
    /// The source column (nil for the intercept).
    public var column: String?
    /// The level, for `.level` terms; the bin's label for `.bin` terms.
    public var level: String?
    /// Fit or engagement (nil for the intercept).
    public var group: FeatureGroup?

    public init(name: String, kind: Kind, column: String? = nil, level: String? = nil, group: FeatureGroup? = nil) {
        self.name = name
        self.kind = kind
        self.column = column
        self.level = level
        self.group = group
    }

    /// The intercept term, always first.
    public static let intercept = Term(name: "(intercept)", kind: .intercept)
}
