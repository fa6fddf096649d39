import LabNumerics
import LabStatistics
import ScoringModelFormat

/// One model's coefficient for a term, with its 95 % Wald interval.
package struct TermEstimate: Sendable, Equatable {
    /// β, log-odds per unit of the term.
    package let estimate: Double
    package let standardError: Double?
    /// β ± 1.96 SE; nil without a standard error.
    package var interval: ConfidenceInterval? {
        standardError.map { ConfidenceInterval(estimate: estimate, standardError: $0) }
    }
    /// Points per unit of the term.
    package let points: Double
}

/// How a term's weight moved from the champion to the challenger.
///
/// `z = (β_challenger − β_champion) / √(SE₁² + SE₂²)` treats the two fits as independent; their
/// training windows usually overlap, which makes the true SE smaller, so |z| here is conservative.
package struct WeightChange: Sendable, Equatable {
    package let term: String
    /// nil when the champion has no such term (new level, new feature).
    package let champion: TermEstimate?
    /// nil when the challenger has no such term (level merged or gone).
    package let challenger: TermEstimate?

    /// β_challenger − β_champion, when both have the term.
    package var difference: Double? {
        guard let a = champion, let b = challenger else { return nil }
        return b.estimate - a.estimate
    }

    package var z: Double? {
        guard let d = difference, let s1 = champion?.standardError, let s2 = challenger?.standardError,
            s1 * s1 + s2 * s2 > 0
        else { return nil }
        return d / (s1 * s1 + s2 * s2).squareRoot()
    }

    /// Whether the 95 % intervals of the two estimates do not overlap.
    package var intervalsDisjoint: Bool {
        guard let a = champion?.interval, let b = challenger?.interval else { return false }
        return a.upper < b.lower || b.upper < a.lower
    }

    /// Every term of either model: the challenger's in its order, then the champion's terms it lacks.
    package static func compare(champion: [WeightedTerm], challenger: [WeightedTerm]) -> [WeightChange] {
        func estimate(_ t: WeightedTerm) -> TermEstimate {
            TermEstimate(estimate: t.estimate, standardError: t.stdError, points: t.pointsPerUnit)
        }
        let old = Dictionary(champion.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newNames = Set(challenger.map(\.name))
        return challenger.map { WeightChange(term: $0.name, champion: old[$0.name].map(estimate), challenger: estimate($0)) }
            + champion.filter { !newNames.contains($0.name) }.map { WeightChange(term: $0.name, champion: estimate($0), challenger: nil) }
    }
}
