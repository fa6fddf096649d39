import Foundation
import HandoffRules

/// A qualification decision with the evidence the marketing SLA promises for each hand-off.
package struct QualificationDecisionRecord: Sendable, Hashable, Codable {
    /// Store-assigned row id; nil before it is stored.
    package var rowID: Int64?
    /// The lead; must be stored.
    package var leadID: String
    /// Stage decided (the domain's own enum: a stored value that is not one fails the read).
    package var stage: QualificationStage
    /// Priority the SLA policy keys on.
    package var priority: HandoffPriority
    /// Name of the playbook rule that fired.
    package var rule: String
    /// Which values met which conditions, as JSON.
    package var evidence: JSONText
    /// When the decision was made (UTC, millisecond precision).
    package var decidedAt: Date
    /// The score the decision used, if any (row id of a stored ``ScoreRecord``).
    package var scoreRowID: Int64?

    package init(
        rowID: Int64? = nil, leadID: String, stage: QualificationStage, priority: HandoffPriority, rule: String,
        evidence: JSONText = .emptyObject, decidedAt: Date, scoreRowID: Int64? = nil
    ) {
        self.rowID = rowID
        self.leadID = leadID
        self.stage = stage
        self.priority = priority
        self.rule = rule
        self.evidence = evidence
        self.decidedAt = decidedAt
        self.scoreRowID = scoreRowID
    }
}
