import Foundation
import ScoringModelFormat

/// A qualification decision with its evidence: which rule decided, every rule tried with each
/// condition's actual value and pass/fail, the scores and thresholds used. This is the documented
/// qualification evidence the marketing SLA promises for each hand-off.
package struct QualificationDecision: Sendable, Codable, Equatable {
    package var leadID: String
    package var stage: QualificationStage
    package var priority: HandoffPriority
    /// The rule that decided; nil for `nurture`.
    package var decidingRule: String?
    /// Every rule, in evaluation order (SQL rules, then MQL rules).
    package var rules: [RuleEvidence]
    /// The high-intent signals and whether each held.
    package var highIntent: [ConditionEvidence]
    /// The score's numbers the rules could test.
    package var points: Double
    package var fitPoints: Double
    package var engagementPoints: Double
    package var probability: Double
    /// Every score threshold the playbook applies (`"engagement_points ≥ 40 (line 12)"`), in rule order.
    package var thresholdsUsed: [String]
    /// The points scale the thresholds were read on (base points, base odds, PDO of the weight
    /// file); nil in evidence stored before it was recorded.
    package var pointsScale: PointsScaling? = nil
    /// The account rule that raised the stage, or the first one tried, with each contact's verdict.
    package var account: AccountRuleEvidence? = nil
    /// The weight file's checksum and the playbook's file name.
    package var modelChecksum: String
    package var playbook: String
    /// The time the lead was scored and qualified at.
    package var decidedAt: Date

    enum CodingKeys: String, CodingKey {
        case stage, priority, rules, points, probability, playbook
        case leadID = "lead_id"
        case decidingRule = "deciding_rule"
        case highIntent = "high_intent"
        case fitPoints = "fit_points"
        case engagementPoints = "engagement_points"
        case thresholdsUsed = "thresholds_used"
        case modelChecksum = "model_sha256"
        case pointsScale = "points_scale"
        case account
        case decidedAt = "decided_at"
    }
}

/// One rule as evaluated for one lead.
package struct RuleEvidence: Sendable, Codable, Equatable {
    package var name: String
    package var stage: QualificationStage
    /// `all` or `any`.
    package var match: String
    package var passed: Bool
    /// Playbook line of the rule.
    package var line: Int
    package var conditions: [ConditionEvidence]
}

/// One condition as evaluated for one lead.
package struct ConditionEvidence: Sendable, Codable, Equatable {
    /// `field company_size` / `score engagement_points`.
    package var subject: String
    /// `in [201-1000, 1000+]`, `≥ 40`.
    package var test: String
    /// The value the test saw (`missing` when there was none).
    package var actual: String
    package var passed: Bool
    /// Playbook line of the condition.
    package var line: Int
    /// For a field that events feed: which number `actual` is (`decayed, half-life 7 days`,
    /// `count of events`, `field`); nil for other conditions.
    package var value: String? = nil
}
