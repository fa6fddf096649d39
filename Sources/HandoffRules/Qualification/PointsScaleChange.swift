import BatonSupport
import Foundation
import ScoringModelFormat

/// What promoting a weight file on another points scale does to the playbook's point thresholds.
///
/// A playbook threshold such as `{score: points, at_least: 600}` was written for one scale: with the
/// default 600 points at odds 50:1 and 20 points to double the odds (PDO), 600 points is a 98 %
/// chance of closing; under a PDO-40 model at 400 base points the same 600 is another lead
/// altogether. Issue 21: a promoted PDO-40 model scored a lead 401 against thresholds written for
/// 600/50/20 and nothing said so. Probability thresholds do not depend on the scale and are not
/// listed; `fit_points` and `engagement_points` are sums of term points, so only the factor
/// (points per unit of log-odds) changes their meaning.
package struct PointsScaleChange: Sendable, Equatable, CustomStringConvertible {
    /// One point threshold of the playbook, read on both scales.
    package struct Threshold: Sendable, Equatable {
        package var measure: ScoreMeasure
        /// `≥ 600`.
        package var test: String
        package var line: Int
        /// What the threshold means now and after promotion (`p = 0.980` / `1.44 log-odds`).
        package var before: String
        package var after: String
    }

    package var from: PointsScaling
    package var to: PointsScaling
    package var thresholds: [Threshold]

    /// The change, or nil when the scales are the same or the playbook tests no points.
    package static func between(_ current: PointsScale, _ candidate: PointsScale, playbook: QualificationPlaybook) -> PointsScaleChange? {
        guard current.scaling != candidate.scaling else { return nil }
        var thresholds: [Threshold] = []
        for condition in playbook.allConditions {
            guard case .score(let measure) = condition.subject, measure != .probability, let value = condition.test.threshold else { continue }
            func meaning(_ scale: PointsScale) -> String {
                if measure == .points { return "p = \(String(format: "%.3f", scale.probability(points: value)))" }
                return "\(String(format: "%.2f", value / scale.factor)) log-odds"
            }
            thresholds.append(
                Threshold(
                    measure: measure, test: condition.test.description, line: condition.line,
                    before: meaning(current), after: meaning(candidate)))
        }
        guard !thresholds.isEmpty else { return nil }
        return PointsScaleChange(from: current.scaling, to: candidate.scaling, thresholds: thresholds)
    }

    package var description: String {
        func scale(_ s: PointsScaling) -> String { "\(s.basePoints.plainText) points at odds \(s.baseOdds.plainText):1, PDO \(s.pdo.plainText)" }
        let lines = thresholds.map { "\($0.measure.rawValue) \($0.test) (line \($0.line)): \($0.before) now, \($0.after) after" }
        return "the points scale changes from \(scale(from)) to \(scale(to)), so the playbook's point thresholds change meaning: "
            + lines.joined(separator: "; ")
    }
}

extension ConditionTest {
    /// The number a numeric test compares with; nil for text tests.
    var threshold: Double? {
        switch self {
        case .atLeast(let x), .above(let x), .atMost(let x), .below(let x): x
        default: nil
        }
    }
}
