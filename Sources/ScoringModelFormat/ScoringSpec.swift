/// What the user says about their data: which column is the outcome, which columns are
/// features and how to encode them, the ridge penalty, points scaling and thresholds.
///
/// Read from YAML (see ``ScoringSpec/parse(yaml:file:)``); stored verbatim (as JSON) in the
/// weight file so that a model always carries the recipe it was fitted with.
///
/// ```yaml
/// outcome: {column: y, positive: ["yes"]}
/// id: lead_id
/// time: created_at
/// features:
///   - {column: age, type: numeric}
///   - {column: visits, type: numeric, transform: log1p, missing: indicator}
///   - {column: job, type: categorical, baseline: admin., min_count: 100, group: fit}
///   - {column: source, type: categorical, recode: {google: Google}}
/// penalty: 0
/// ```
public struct ScoringSpec: Codable, Sendable, Equatable {
    /// The outcome column and the values in it that mean closed-won.
    public var outcome: OutcomeSpec
    /// Optional lead identifier column (carried through scoring output).
    public var id: String?
    /// Optional creation time column (ISO 8601 date or date-time), for out-of-time checks.
    public var time: String?
    /// Optional case-weight column (non-negative numbers); absent means every row weighs 1.
    public var weight: String?
    /// The features, in the order their terms appear in the model.
    public var features: [FeatureSpec]
    /// λ of the L2 term `λ‖β₋₀‖²/2` (the intercept is not penalised). 0 means maximum likelihood.
    public var penalty: Double
    /// Scorecard scaling of log-odds into points.
    public var points: PointsScaling
    /// MQL / SQL thresholds in points, if the team has agreed them.
    public var thresholds: Thresholds?
    /// How the weights are estimated: maximum likelihood (nil or `ml`, with the ridge `penalty`)
    /// or Firth's penalised likelihood (`firth`).
    public var method: FitMethod?

    public init(
        outcome: OutcomeSpec, id: String? = nil, time: String? = nil, weight: String? = nil,
        features: [FeatureSpec], penalty: Double = 0, points: PointsScaling = .init(),
        thresholds: Thresholds? = nil
    ) {
        self.outcome = outcome
        self.id = id
        self.time = time
        self.weight = weight
        self.features = features
        self.penalty = penalty
        self.points = points
        self.thresholds = thresholds
    }
}

/// The estimation method of a fit.
public enum FitMethod: String, Codable, Sendable, CaseIterable {
    /// Maximum likelihood by Newton/IRLS (with `penalty:` a ridge).
    case ml
    /// Firth's penalised likelihood (Jeffreys prior): finite under separation, profile intervals.
    case firth
}

/// The outcome column and its closed-won values; every other value is closed-lost.
public struct OutcomeSpec: Codable, Sendable, Equatable {
    public var column: String
    /// Cell values (exact, after trimming surrounding spaces) that mean closed-won.
    public var positive: [String]
    public init(column: String, positive: [String]) {
        self.column = column
        self.positive = positive
    }
}

/// How a feature column enters the model.
public enum FeatureType: String, Codable, Sendable, CaseIterable {
    /// A number used as is (or transformed by ``NumericTransform``).
    case numeric
    /// Text levels, one 0/1 dummy term per level except the baseline.
    case categorical
}

/// Transform applied to a numeric value before it enters the model.
public enum NumericTransform: String, Codable, Sendable, CaseIterable {
    case none
    /// `log(1 + x)`; needs `x > -1`.
    case log1p
    /// Intervals of the raw value, one term per bin but the lowest (see ``FeatureSpec/monotone``,
    /// ``FeatureSpec/maxBins``, ``FeatureSpec/minBinShare``, ``FeatureSpec/cuts``); the lab chooses
    /// the cut points that maximise information value unless `cuts:` gives them.
    case bins
}

/// The order a binned feature's won rate must follow from its lowest bin to its highest.
public enum MonotoneTrend: String, Codable, Sendable, CaseIterable {
    /// Each bin converts at least as often as the one below it.
    case ascending
    /// Each bin converts at most as often as the one below it.
    case descending
    /// Whichever of ascending and descending gives the larger information value.
    case auto
    /// No order: the bins that maximise information value.
    case none
}

/// What to do with an empty numeric cell.
public enum MissingRule: String, Codable, Sendable, CaseIterable {
    /// Stop with an error naming the file, row and column.
    case error
    /// Leave the row out of the fit (and count it).
    case dropRow = "drop_row"
    /// Use 0 (before the transform).
    case zero
    /// Use 0 and add a 0/1 term `missing(column)` that is 1 where the cell was empty.
    case indicator
}

/// Which half of the score a term belongs to: who the lead is, or what the lead did.
public enum FeatureGroup: String, Codable, Sendable, CaseIterable {
    /// Demographic / firmographic fit (company size, industry, role).
    case fit
    /// Behaviour (downloads, webinars, visits), usually time-decayed.
    case engagement
}

/// One feature of the spec.
public struct FeatureSpec: Codable, Sendable, Equatable {
    public var column: String
    public var type: FeatureType
    /// Numeric only. Default `none`.
    public var transform: NumericTransform
    /// Numeric only. Default `error`. (An empty categorical cell is always the level `Missing`.)
    public var missing: MissingRule
    /// Categorical only: the reference level; default the first level in byte order.
    public var baseline: String?
    /// Categorical only: levels with fewer rows than this merge into `Other`. Default 0 (no merging).
    public var minCount: Int
    /// Default: `fit` for categorical features, `engagement` for numeric ones.
    public var group: FeatureGroup
    /// Categorical only: spelling merges applied before counting (`google` → `Google`).
    public var recode: [String: String]
    /// Numeric only: half-life in days (> 0) of the events behind this count. When a lead is
    /// scored from its events, the value is `Σ 0.5^(age_days / half_life_days)` over its events
    /// of this type (before the transform). Nil: no decay (the value is taken as given).
    public var halfLifeDays: Double?
    /// `transform: bins` only: the won-rate order across bins. Default `auto`.
    public var monotone: MonotoneTrend?
    /// `transform: bins` only: the most bins for the non-empty cells (2–50). Default 5.
    public var maxBins: Int?
    /// `transform: bins` only: the least share of all rows in a bin (0–0.5). Default 0.05.
    public var minBinShare: Double?
    /// `transform: bins` only: cut points chosen by hand, strictly ascending; a value `x` lies in
    /// the bin `[cᵢ, cᵢ₊₁)`. Nil: the lab chooses them.
    public var cuts: [Double]?

    /// Defaults of the binning options.
    public static let defaultMonotone = MonotoneTrend.auto
    public static let defaultMaxBins = 5
    public static let defaultMinBinShare = 0.05

    public init(
        column: String, type: FeatureType, transform: NumericTransform = .none,
        missing: MissingRule = .error, baseline: String? = nil, minCount: Int = 0,
        group: FeatureGroup? = nil, recode: [String: String] = [:], halfLifeDays: Double? = nil
    ) {
        self.column = column
        self.type = type
        self.transform = transform
        self.missing = missing
        self.baseline = baseline
        self.minCount = minCount
        self.group = group ?? (type == .categorical ? .fit : .engagement)
        self.recode = recode
        self.halfLifeDays = halfLifeDays
    }

    enum CodingKeys: String, CodingKey {
        case column, type, transform, missing, baseline, group, recode
        case minCount = "min_count"
        case halfLifeDays = "half_life_days"
        case monotone
        case maxBins = "max_bins"
        case minBinShare = "min_bin_share"
        case cuts
    }
}

/// Scorecard scaling (GLOSSARY): `factor = pdo / ln 2`, `offset = basePoints − factor · ln(baseOdds)`,
/// `score = offset + factor · η`.
public struct PointsScaling: Codable, Sendable, Equatable {
    /// Points at the base odds. Default 600.
    public var basePoints: Double
    /// Odds (won:lost) that score `basePoints`. Default 50 (50:1).
    public var baseOdds: Double
    /// Points to double the odds. Default 20.
    public var pdo: Double

    public init(basePoints: Double = 600, baseOdds: Double = 50, pdo: Double = 20) {
        self.basePoints = basePoints
        self.baseOdds = baseOdds
        self.pdo = pdo
    }

    enum CodingKeys: String, CodingKey {
        case basePoints = "base_points"
        case baseOdds = "base_odds"
        case pdo
    }
}

/// Hand-off thresholds in points.
public struct Thresholds: Codable, Sendable, Equatable {
    /// Score at or above which a lead is marketing-qualified.
    public var mql: Double?
    /// Score at or above which a lead is sales-qualified (fit criteria live in the playbook).
    public var sql: Double?
    public init(mql: Double? = nil, sql: Double? = nil) {
        self.mql = mql
        self.sql = sql
    }
}
