import Foundation

/// The version of a scoring model: the weight file's sha256 plus its format tag.
public struct ModelVersion: Sendable, Hashable, Codable {
    /// Lower-case hex sha256 of the weight file's bytes (64 characters).
    public var sha256: String
    /// The file's format tag, e.g. "baton.weights/1".
    public var format: String

    public init(sha256: String, format: String) {
        self.sha256 = sha256
        self.format = format
    }
}

/// A score given to a lead by one model version.
public struct ScoreRecord: Sendable, Hashable, Codable {
    /// Store-assigned row id; nil before it is stored.
    public var rowID: Int64?
    /// The scored lead; must be stored.
    public var leadID: String
    /// Which weight file produced it.
    public var model: ModelVersion
    /// Probability of closed-won, in [0, 1].
    public var probability: Double
    /// Total points on the model's PDO scale.
    public var points: Double
    /// Points from fit terms (firmographics).
    public var fitPoints: Double
    /// Points from engagement terms (after decay).
    public var engagementPoints: Double
    /// Reason codes as JSON (the top terms and their point effects, in plain words).
    public var reasons: JSONText
    /// When the score was computed (UTC, millisecond precision).
    public var scoredAt: Date
    /// The event that triggered the rescoring, if any.
    public var triggerEventID: String?

    public init(rowID: Int64? = nil, leadID: String, model: ModelVersion, probability: Double, points: Double,
                fitPoints: Double, engagementPoints: Double, reasons: JSONText = .emptyArray, scoredAt: Date,
                triggerEventID: String? = nil) {
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
