/// The exported model: what `baton fit` writes and a production scorer loads, and all it needs.
///
/// On disk it is pretty-printed canonical JSON (sorted keys, 2-space indent) with a `sha256`
/// member holding the hex SHA-256 of the canonical form of everything else; see
/// ``encoded()`` and ``decode(data:file:)``. Doubles read back bit-exact.
///
/// ```json
/// {"format": "baton.weights/1", "model": [{"name": "(intercept)", "kind": "intercept", "estimate": -3.1, …}, …],
///  "encodings": […], "spec": {…}, "points": {"base_points": 600, "factor": 28.85…, "offset": 487.1…, …},
///  "thresholds": {"mql": 560}, "training": {…}, "metrics": {…}, "sha256": "…"}
/// ```
public struct WeightFile: Codable, Sendable, Equatable {
    /// The format tag this build writes and reads.
    public static let formatTag = "baton.weights"
    /// The newest format version this build reads. It writes version 2 only for a model with
    /// binned features (``Term/Kind/bin`` terms and ``NumericBins``, which an older reader cannot
    /// score) and version 1 otherwise, so files without bins still load in older builds.
    public static let formatVersion = 2
    /// `"baton.weights/2"`, the newest format.
    public static var currentFormat: String { "\(formatTag)/\(formatVersion)" }
    /// The format a model with these encodings is written in: `/2` with bins, else `/1`.
    public static func format(for encodings: [FeatureEncoding]) -> String {
        "\(formatTag)/\(encodings.contains { $0.bins != nil } ? 2 : 1)"
    }

    /// Format tag and version, `"baton.weights/1"` (or `/2` with bins).
    public var format: String
    /// The model's terms in design order, `(intercept)` first, with their estimates and points.
    public var model: [WeightedTerm]
    /// How each spec feature turns a raw lead into terms, in spec order.
    public var encodings: [FeatureEncoding]
    /// The spec the model was fitted with, verbatim.
    public var spec: ScoringSpec
    /// Points scaling and its derived factor and offset.
    public var points: PointsScale
    /// MQL/SQL thresholds in points, if agreed.
    public var thresholds: Thresholds?
    /// Where the model came from.
    public var training: TrainingMetadata
    /// How well it did.
    public var metrics: ModelMetrics

    public init(
        model: [WeightedTerm], encodings: [FeatureEncoding], spec: ScoringSpec, points: PointsScale,
        thresholds: Thresholds?, training: TrainingMetadata, metrics: ModelMetrics
    ) {
        self.format = Self.format(for: encodings)
        self.model = model
        self.encodings = encodings
        self.spec = spec
        self.points = points
        self.thresholds = thresholds
        self.training = training
        self.metrics = metrics
    }

    /// Builds the file from a fit: terms and their estimates (and standard errors) in the same order;
    /// the points scaling and thresholds come from the spec, and `points_per_unit = factor · β`.
    /// - Precondition: `terms`, `estimates` (and `standardErrors` when given) have equal counts.
    public init(
        terms: [Term], estimates: [Double], standardErrors: [Double]?, encodings: [FeatureEncoding],
        spec: ScoringSpec, training: TrainingMetadata, metrics: ModelMetrics
    ) {
        precondition(terms.count == estimates.count, "one estimate per term")
        precondition(standardErrors.map { $0.count == terms.count } ?? true, "one standard error per term")
        let scale = PointsScale(spec.points)
        let weighted = terms.indices.map { index in
            WeightedTerm(term: terms[index], estimate: estimates[index], stdError: standardErrors?[index], factor: scale.factor)
        }
        self.init(
            model: weighted, encodings: encodings, spec: spec, points: scale,
            thresholds: spec.thresholds, training: training, metrics: metrics)
    }

    /// The intercept's estimate β₀ (0 if the model has no intercept term).
    public var intercept: Double { model.first { $0.kind == .intercept }?.estimate ?? 0 }

    /// The score of a lead whose other terms are all 0: `offset + factor · β₀`. Add each term's
    /// `points_per_unit · x` to it to get the score.
    public var baseScore: Double { points.offset + points.factor * intercept }

    /// The encoding of a source column, if the model has one.
    public func encoding(for column: String) -> FeatureEncoding? {
        encodings.first { $0.column == column }
    }

    enum CodingKeys: String, CodingKey {
        case format, model, encodings, spec, points, thresholds, training, metrics
    }
}

/// One model term with its fitted coefficient: the fields of ``Term`` plus the estimate,
/// its standard error and the points one unit of the term is worth.
public struct WeightedTerm: Codable, Sendable, Equatable {
    /// `(intercept)`, `column`, `log1p(column)`, `missing(column)`, `column=level` or `column=bin`.
    public var name: String
    public var kind: Term.Kind
    /// The source column (nil for the intercept).
    public var column: String?
    /// The level, for `.level` terms.
    public var level: String?
    /// Fit or engagement (nil for the intercept).
    public var group: FeatureGroup?
    /// β, in log-odds per unit of the term.
    public var estimate: Double
    /// Standard error of β, `sqrt(diag(H⁻¹))`; nil when the Hessian could not be inverted.
    public var stdError: Double?
    /// `factor · β`: points added per unit of the term (for the intercept, its share of the base score).
    public var pointsPerUnit: Double

    public init(term: Term, estimate: Double, stdError: Double?, factor: Double) {
        self.init(term: term, estimate: estimate, stdError: stdError, pointsPerUnit: factor * estimate)
    }

    public init(term: Term, estimate: Double, stdError: Double?, pointsPerUnit: Double) {
        name = term.name
        kind = term.kind
        column = term.column
        level = term.level
        group = term.group
        self.estimate = estimate
        self.stdError = stdError
        self.pointsPerUnit = pointsPerUnit
    }

    /// The term without its coefficient.
    public var term: Term { Term(name: name, kind: kind, column: column, level: level, group: group) }

    enum CodingKeys: String, CodingKey {
        case name, kind, column, level, group, estimate
        case stdError = "std_error"
        case pointsPerUnit = "points_per_unit"
    }
}
