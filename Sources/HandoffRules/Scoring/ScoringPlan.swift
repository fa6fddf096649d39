import Foundation
import ScoringModelFormat

/// The weight file rearranged for fast scoring: per feature its coefficients (β for log-odds,
/// points per unit for points), and the model's term order as a list of steps, so that η is
/// summed in exactly the order the lab sums it (model order, one product per term).
struct ScoringPlan: Sendable {
    struct Feature: Sendable {
        let encoding: FeatureEncoding
        let halfLifeDays: Double?
        /// Numeric: β and points per unit of the value term and of the missing indicator (0 if absent).
        var valueBeta = 0.0, valuePoints = 0.0
        var indicatorBeta = 0.0, indicatorPoints = 0.0
        /// Categorical: per level of `encoding.levels`, β and points (0 for the baseline); binned
        /// numeric: the same per bin (lowest bin the baseline), then `Missing`.
        var levelBeta: [Double] = []
        var levelPoints: [Double] = []
        /// The names of ``levelBeta``'s entries: the categorical levels, or the bins' labels.
        var levelNames: [String] = []
        /// A numeric feature with bins: scored like a categorical one, one level per bin.
        var isLevelled: Bool { !levelNames.isEmpty }
        /// Categorical: the level with the most / fewest points (first in byte order on ties).
        var bestLevel = 0, worstLevel = 0
        /// The label used in reasons: `budget_authority` → `Budget authority`.
        let label: String
        /// The column as numeric reasons spell it: `days_since_last_activity` → `days since last
        /// activity` (rendered once: reasons are rendered per distinct value, many times per file).
        let spokenColumn: String

        var isEngagement: Bool { encoding.group == .engagement }
    }

    /// One step of the η sum: a numeric value term, an indicator term, or a run of adjacent level
    /// terms of one categorical feature (a level outside the run contributes 0 in that step).
    enum Step: Sendable {
        case value(feature: Int)
        case indicator(feature: Int)
        case levels(feature: Int, beta: [Double], points: [Double])
    }

    let features: [Feature]
    let steps: [Step]
    let intercept: Double
    let basePoints: Double
    let scale: PointsScale

    init(weights: WeightFile) {
        var features: [Feature] = weights.encodings.map { encoding in
            let spec = weights.spec.features.first { $0.column == encoding.column }
            var feature = Feature(
                encoding: encoding, halfLifeDays: encoding.type == .numeric ? spec?.halfLifeDays : nil,
                label: ScoringPlan.label(encoding.column), spokenColumn: encoding.column.replacingOccurrences(of: "_", with: " "))
            if encoding.type == .categorical {
                feature.levelNames = encoding.levels
            } else if let bins = encoding.bins {
                feature.levelNames = bins.labels(withMissing: encoding.missing == .indicator)
            }
            feature.levelBeta = Array(repeating: 0, count: feature.levelNames.count)
            feature.levelPoints = feature.levelBeta
            return feature
        }
        let featureIndex = Dictionary(weights.encodings.enumerated().map { ($1.column, $0) }, uniquingKeysWith: { a, _ in a })
        var steps: [Step] = []
        for term in weights.model {
            // `validate` guarantees a column with an encoding of the right type for every non-intercept term.
            guard term.kind != .intercept, let column = term.column, let f = featureIndex[column] else { continue }
            switch term.kind {
            case .intercept:
                continue
            case .numeric:
                features[f].valueBeta = term.estimate
                features[f].valuePoints = term.pointsPerUnit
                steps.append(.value(feature: f))
            case .missingIndicator:
                features[f].indicatorBeta = term.estimate
                features[f].indicatorPoints = term.pointsPerUnit
                steps.append(.indicator(feature: f))
            case .level, .bin:
                guard let level = term.level, let l = features[f].levelNames.firstIndex(of: level) else { continue }
                features[f].levelBeta[l] = term.estimate
                features[f].levelPoints[l] = term.pointsPerUnit
                let count = features[f].levelBeta.count
                if case .levels(let previous, var beta, var points)? = steps.last, previous == f {
                    beta[l] = term.estimate
                    points[l] = term.pointsPerUnit
                    steps[steps.count - 1] = .levels(feature: f, beta: beta, points: points)
                } else {
                    var beta = [Double](repeating: 0, count: count), points = beta
                    beta[l] = term.estimate
                    points[l] = term.pointsPerUnit
                    steps.append(.levels(feature: f, beta: beta, points: points))
                }
            }
        }
        for f in features.indices where !features[f].levelPoints.isEmpty {
            let points = features[f].levelPoints
            var best = 0, worst = 0
            for l in points.indices {
                if points[l] > points[best] { best = l }
                if points[l] < points[worst] { worst = l }
            }
            features[f].bestLevel = best
            features[f].worstLevel = worst
        }
        self.features = features
        self.steps = steps
        self.intercept = weights.intercept
        self.basePoints = weights.baseScore
        self.scale = weights.points
    }

    /// Binned numeric: the level (bin) index of a value, nil = an empty cell: the bin the value
    /// falls in; an empty cell goes to `Missing` under `indicator`, to the bin of 0 under `zero`.
    /// - Throws: the cell error for a non-finite or too large value, or an empty cell under `error`/`drop_row`.
    static func binLevel(_ encoding: FeatureEncoding, value: Double?) throws(CellEncodingError) -> Int {
        guard let bins = encoding.bins else { preconditionFailure("binLevel(_:value:) is for binned features") }
        guard let value else {
            switch encoding.missing {
            case .error, .dropRow: throw .missingValue(column: encoding.column, rule: encoding.missing)
            case .indicator: return bins.count
            case .zero: return bins.bin(of: 0)
            }
        }
        return bins.bin(of: try encoding.numericTermValue(value))
    }

    /// `1 / (1 + e^(−η))`, the same branches as the lab's `logistic` so results agree bit for bit.
    static func logistic(_ eta: Double) -> Double {
        if eta >= 0 { return 1 / (1 + exp(-eta)) }
        let t = exp(eta)
        return t / (1 + t)
    }

    static func label(_ column: String) -> String {
        let spaced = column.replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
