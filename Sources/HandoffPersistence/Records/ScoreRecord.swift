import Foundation

/// The version of a scoring model: the weight file's sha256 plus its format tag.
package struct ModelVersion: Sendable, Hashable, Codable {
    /// Lower-case hex sha256 of the weight file's bytes (64 characters).
    package var sha256: String
    /// The file's format tag, e.g. "baton.weights/1".
    package var format: String

    package init(sha256: String, format: String) {
        self.sha256 = sha256
        self.format = format
    }
}

/// A score given to a lead by one model version.
package struct ScoreRecord: Sendable, Hashable, Codable {
    /// Store-assigned row id; nil before it is stored.
    package var rowID: Int64?
    /// The scored lead; must be stored.
    package var leadID: String
    /// Which weight file produced it.
    package var model: ModelVersion
    /// Probability of closed-won, in [0, 1].
    package var probability: Double
    /// Total points on the model's PDO scale.
    package var points: Double
    /// Points from fit terms (firmographics).
    package var fitPoints: Double
    /// Points from engagement terms (after decay).
    package var engagementPoints: Double
    /// Reason codes as JSON (the top terms and their point effects, in plain words).
    package var reasons: JSONText
    /// When the score was computed (UTC, millisecond precision).
    package var scoredAt: Date
    /// The event that triggered the rescoring, if any.
    package var triggerEventID: String?

    package init(
        rowID: Int64? = nil, leadID: String, model: ModelVersion, probability: Double, points: Double,
        fitPoints: Double, engagementPoints: Double, reasons: JSONText = .emptyArray, scoredAt: Date,
        triggerEventID: String? = nil
    ) {
        self.rowID = rowID
        self.leadID = leadID
        self.model = model
        self.probability = probability
        self.points = points
        self.fitPoints = fitPoints
        self.engagementPoints = engagementPoints
        self.reasons = reasons
        self.scoredAt = scoredAt
        self.triggerEventID = triggerEventID
    }
}
