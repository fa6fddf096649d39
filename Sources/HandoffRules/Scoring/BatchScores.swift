import BatonSupport
import ScoringModelFormat

/// The scores of a table of leads, one entry per row in every array (see ``LeadScore`` for the
/// meaning and the points split).
public struct BatchScores: Sendable {
    /// Categorical values the model never saw: value → rows, and the level they were scored as.
    public struct UnseenCount: Sendable, Equatable {
        public var column: String
        public var counts: [String: Int]
        public var scoredAs: String
    }

    public let rowCount: Int
    public let probability: [Double]
    public let logOdds: [Double]
    public let points: [Double]
    public let fitPoints: [Double]
    public let engagementPoints: [Double]
    public let unseenLevels: [UnseenCount]

    let plan: ScoringPlan
    /// Three slots per row: feature index (−1 empty) and signed impact, largest |impact| first.
    let topFeature: [Int32]
    let topImpact: [Double]
    let rawValues: [ColumnStorage<Double>]
    let missing: [ColumnStorage<Bool>]
    let levelOfCode: [[Int32]]
    let codes: [ColumnStorage<Int32>]
    /// Categorical features without `Other`: per code, the unseen value scored as the baseline
    /// (nil for a known level); empty when the feature has no such value.
    let unseenAsBaseline: [[String?]]

    /// The up-to-three reasons of `row`, equal to ``LeadScorer``'s for the same lead.
    public func reasons(row: Int) -> [ReasonCode] {
        (0..<3).compactMap { reason(row: row, rank: $0) }
    }

    /// Reason `rank` (0, 1, 2) of `row`, nil when the row has fewer reasons.
    public func reason(row: Int, rank: Int) -> ReasonCode? {
        let f = Int(topFeature[3 * row + rank])  // total: an Int32 feature index
        guard f >= 0 else { return nil }
        if plan.features[f].isLevelled {
            let code = Int(codes[f][row]), level = Int(levelOfCode[f][code])
            if !unseenAsBaseline[f].isEmpty, let value = unseenAsBaseline[f][code] {
                return plan.unseenLevelReason(feature: f, value: value, level: level)
            }
            return plan.levelReason(feature: f, level: level)
        }
        let value: Double? = missing[f][row] ? nil : rawValues[f][row]
        return plan.numericReason(feature: f, value: value, decayed: false, impact: topImpact[3 * row + rank])
    }

    /// The stage by the weight file's thresholds alone: `mql` at or above the MQL threshold, else
    /// `nurture`; nil when the weight file has no MQL threshold.
    public func thresholdStage(row: Int, thresholds: Thresholds?) -> QualificationStage? {
        guard let mql = thresholds?.mql else { return nil }
        return points[row] >= mql ? .mql : .nurture
    }
}
