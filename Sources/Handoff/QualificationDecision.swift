import Foundation

/// A qualification decision with its evidence: which rule decided, every rule tried with each
/// condition's actual value and pass/fail, the scores and thresholds used. This is the documented
/// qualification evidence the marketing SLA promises for each hand-off.
public struct QualificationDecision: Sendable, Codable, Equatable {
    public var leadID: String
    public var stage: QualificationStage
    public var priority: HandoffPriority
    /// The rule that decided; nil for `nurture`.
    public var decidingRule: String?
    /// Every rule, in evaluation order (SQL rules, then MQL rules).
    public var rules: [RuleEvidence]
    /// The high-intent signals and whether each held.
    public var highIntent: [ConditionEvidence]
    /// The score's numbers the rules could test.
    public var points: Double
    public var fitPoints: Double
    public var engagementPoints: Double
    public var probability: Double
    /// Every score threshold the playbook applies (`"engagement_points ≥ 40 (line 12)"`), in rule order.
    public var thresholdsUsed: [String]
    /// The weight file's checksum and the playbook's file name.
    public var modelChecksum: String
    public var playbook: String
    /// The time the lead was scored and qualified at.
    public var decidedAt: Date

    enum CodingKeys: String, CodingKey {
        case stage, priority, rules, points, probability, playbook
        case leadID = "lead_id"
        case decidingRule = "deciding_rule"
        case highIntent = "high_intent"
        case fitPoints = "fit_points"
        case engagementPoints = "engagement_points"
        case thresholdsUsed = "thresholds_used"
        case modelChecksum = "model_sha256"
        case decidedAt = "decided_at"
    }
}

/// One rule as evaluated for one lead.
public struct RuleEvidence: Sendable, Codable, Equatable {
    public var name: String
    public var stage: QualificationStage
    /// `all` or `any`.
    public var match: String
    public var passed: Bool
    /// Playbook line of the rule.
    public var line: Int
    public var conditions: [ConditionEvidence]
}

/// One condition as evaluated for one lead.
public struct ConditionEvidence: Sendable, Codable, Equatable {
    /// `field company_size` / `score engagement_points`.
    public var subject: String
    /// `in [201-1000, 1000+]`, `≥ 40`.
    public var test: String
    /// The value the test saw (`missing` when there was none).
    public var actual: String
    public var passed: Bool
    /// Playbook line of the condition.
    public var line: Int
}
