#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scorecard scaling of log-odds into points, with its derived constants (GLOSSARY):
/// `factor = pdo / ln 2`, `offset = basePoints − factor · ln(baseOdds)`, `score = offset + factor · η`.
///
/// With the defaults (600 points at odds 50:1, 20 points to double the odds) a lead with
/// η = ln 50 scores 600 and one with η = ln 100 scores 620. Per-term points are `factor · βⱼ xⱼ`;
/// the intercept's share, `factor · β₀`, is added to `offset` to give the model's base score.
public struct PointsScale: Codable, Sendable, Equatable {
    /// Points at the base odds.
    public var basePoints: Double
    /// Odds (won:lost) that score `basePoints`; > 0.
    public var baseOdds: Double
    /// Points to double the odds; > 0.
    public var pdo: Double
    /// Points per unit of log-odds: `pdo / ln 2`.
    public var factor: Double
    /// Points at log-odds 0 (probability ½): `basePoints − factor · ln(baseOdds)`.
    public var offset: Double

    /// Derives `factor` and `offset` from a spec's scaling.
    /// - Precondition: `pdo > 0`, `baseOdds > 0`, all finite (the spec reader checks user input).
    public init(_ scaling: PointsScaling) {
        precondition(scaling.pdo > 0 && scaling.pdo.isFinite, "pdo must be a positive finite number")
        precondition(scaling.baseOdds > 0 && scaling.baseOdds.isFinite, "baseOdds must be a positive finite number")
        precondition(scaling.basePoints.isFinite, "basePoints must be finite")
        basePoints = scaling.basePoints
        baseOdds = scaling.baseOdds
        pdo = scaling.pdo
        factor = scaling.pdo / log(2.0)
        offset = scaling.basePoints - factor * log(scaling.baseOdds)
    }

    /// The scaling this was derived from.
    public var scaling: PointsScaling { PointsScaling(basePoints: basePoints, baseOdds: baseOdds, pdo: pdo) }

    /// Points for log-odds `eta`: `offset + factor · eta`.
    public func points(logOdds eta: Double) -> Double { offset + factor * eta }

    /// Log-odds for a score: `(points − offset) / factor`.
    public func logOdds(points: Double) -> Double { (points - offset) / factor }

    /// Probability of closed-won for a score: `1 / (1 + e^(−η))` with η = ``logOdds(points:)``,
    /// computed without overflow for very high or very low scores. Result in [0, 1].
    public func probability(points: Double) -> Double {
        let eta = logOdds(points: points)
        if eta >= 0 { return 1 / (1 + exp(-eta)) }
        let odds = exp(eta)
        return odds / (1 + odds)
    }

    /// Points for a probability in (0, 1): `offset + factor · ln(p / (1 − p))`.
    public func points(probability p: Double) -> Double {
        precondition(p > 0 && p < 1, "probability must lie strictly between 0 and 1")
        return points(logOdds: log(p) - log1p(-p))
    }

    enum CodingKeys: String, CodingKey {
        case basePoints = "base_points"
        case baseOdds = "base_odds"
        case pdo, factor, offset
    }
}
