/// The score of one lead under one weight file.
///
/// Points split: `points = offset + factor · η` (the weight file's scale); `basePoints =
/// offset + factor · β₀` is the intercept's share; `fitPoints` and `engagementPoints` sum
/// `points_per_unit · x` over the terms of each feature group. `basePoints + fitPoints +
/// engagementPoints` equals `points` up to rounding (≈1e-12 relative).
public struct LeadScore: Sendable, Codable, Equatable {
    /// The lead's id.
    public var leadID: String
    /// Probability of closed-won, `1 / (1 + e^(−η))`, in [0, 1]; equal to the lab's fitted value bit for bit.
    public var probability: Double
    /// Log-odds η = β₀ + Σ βⱼ xⱼ, summed in model term order.
    public var logOdds: Double
    /// Total points, `offset + factor · η`.
    public var points: Double
    /// The intercept's share, `offset + factor · β₀`.
    public var basePoints: Double
    /// Points from `fit` features (who the lead is).
    public var fitPoints: Double
    /// Points from `engagement` features (what the lead did).
    public var engagementPoints: Double
    /// Up to three reasons, largest impact first.
    public var reasons: [ReasonCode]
    /// Every feature's value and points, in spec order.
    public var contributions: [FeatureContribution]
    /// Categorical values the model never saw, and the level they were scored as.
    public var unseenLevels: [UnseenLevel]
    /// The weight file's checksum (its version identity).
    public var modelChecksum: String

    enum CodingKeys: String, CodingKey {
        case probability, points, reasons, contributions
        case leadID = "lead_id"
        case logOdds = "log_odds"
        case basePoints = "base_points"
        case fitPoints = "fit_points"
        case engagementPoints = "engagement_points"
        case unseenLevels = "unseen_levels"
        case modelChecksum = "model_sha256"
    }
}

/// One feature's part in a score.
public struct FeatureContribution: Sendable, Codable, Equatable {
    public var column: String
    /// `fit` or `engagement`.
    public var group: String
    /// The model level, or the number before the transform (`"missing"` when empty).
    public var value: String
    /// Whether the value is a decayed sum over events (see ``EngagementDecay``).
    public var decayed: Bool
    /// Points of the feature's terms, `Σ points_per_unit · x`.
    public var points: Double
    /// Signed impact used to rank reasons (see ``ReasonCode``).
    public var impact: Double
}

/// A categorical value the model never saw in training.
public struct UnseenLevel: Sendable, Codable, Equatable {
    public var column: String
    /// The value (after trimming and recoding).
    public var value: String
    /// Where it was scored: `Other` when the model has that level, else the baseline.
    public var scoredAs: String

    enum CodingKeys: String, CodingKey {
        case column, value
        case scoredAs = "scored_as"
    }
}
