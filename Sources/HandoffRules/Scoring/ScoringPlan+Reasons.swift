import BatonSupport
import Foundation
import ScoringModelFormat

extension ScoringPlan {
    /// Categorical: the signed impact of level `l` (see ``ReasonCode``).
    func levelImpact(feature f: Int, level l: Int) -> Double {
        let feature = features[f]
        let actual = feature.levelPoints[l]
        let best = feature.levelPoints[feature.bestLevel]
        return actual < best ? actual - best : actual - feature.levelPoints[feature.worstLevel]
    }

    /// Numeric: points of the feature's terms for term value `term` (and the indicator when `missing`).
    /// The same expression serves single and batch scoring, so both agree bit for bit.
    @inline(__always)
    func numericPoints(feature f: Int, term: Double, missing: Bool) -> Double {
        let feature = features[f]
        return feature.valuePoints * term + (missing ? feature.indicatorPoints : 0)
    }

    /// The reason for a categorical feature at level `l` (or a binned one in bin `l`), nil when the impact is 0.
    func levelReason(feature f: Int, level l: Int) -> ReasonCode? {
        let impact = levelImpact(feature: f, level: l)
        guard impact != 0 else { return nil }
        let feature = features[f]
        let level = feature.levelNames[l]
        let other = feature.levelNames[impact < 0 ? feature.bestLevel : feature.worstLevel]
        let text = "\(feature.label) '\(level)' \(impact < 0 ? "costs" : "adds") \(Self.pointsText(impact)) against '\(other)'"
        return ReasonCode(column: feature.encoding.column, value: level, comparedWith: other, points: impact, text: text)
    }

    /// The reason for a categorical value the model never saw in training, when the feature has no
    /// `Other` level so the value is scored as level `l` (the baseline): the text names the value
    /// the lead has and says it was scored as the baseline, instead of naming the baseline as if
    /// the lead had it. Nil when the impact is 0 (as for ``levelReason(feature:level:)``).
    func unseenLevelReason(feature f: Int, value: String, level l: Int) -> ReasonCode? {
        let impact = levelImpact(feature: f, level: l)
        guard impact != 0 else { return nil }
        let feature = features[f]
        let level = feature.levelNames[l]
        let other = feature.levelNames[impact < 0 ? feature.bestLevel : feature.worstLevel]
        let text =
            "\(feature.label) '\(value)' not seen in training: scored as baseline '\(level)' (\(impact < 0 ? "costs" : "adds") \(Self.pointsText(impact)) against '\(other)')"
        return ReasonCode(column: feature.encoding.column, value: value, comparedWith: other, points: impact, text: text)
    }

    /// Whether an unseen value of categorical feature `f` is scored as its baseline (no `Other` level),
    /// so that its reason must say so (see ``unseenLevelReason(feature:value:level:)``).
    func scoresUnseenAsBaseline(feature f: Int) -> Bool {
        !features[f].encoding.levels.contains(otherLevel)
    }

    /// The reason for a numeric feature with raw value `value` (nil = missing), nil when the impact is 0.
    func numericReason(feature f: Int, value: Double?, decayed: Bool, impact: Double) -> ReasonCode? {
        guard impact != 0 else { return nil }
        let feature = features[f]
        let verb = impact < 0 ? "cost" : "add"
        let shown: String, text: String
        if let value {
            shown = Self.valueText(value, decayed: decayed)
            text = "\(shown) \(feature.spokenColumn)\(decayed ? " (decayed)" : "") \(verb) \(Self.pointsText(impact))"
        } else {
            shown = "missing"
            text = "\(feature.label) missing \(verb)s \(Self.pointsText(impact))"
        }
        return ReasonCode(column: feature.encoding.column, value: shown, comparedWith: "0", points: impact, text: text)
    }

    /// `34 points` / `1 point`, the magnitude rounded to a whole number (total: a magnitude
    /// beyond `Int` prints as written).
    static func pointsText(_ impact: Double) -> String {
        guard let whole = abs(impact).roundedInt() else { return "\(abs(impact)) points" }
        return whole == 1 ? "1 point" : "\(whole) points"
    }

    /// A whole number as an integer, a decayed value with two decimals, anything else as written.
    static func valueText(_ value: Double, decayed: Bool) -> String {
        if value == value.rounded() { return value.plainText }
        if decayed { return String(format: "%.2f", value) }
        return "\(value)"
    }
}

/// Keeps the three largest `|impact|` entries, earliest feature first on ties.
struct TopReasons {
    var features: (Int, Int, Int) = (-1, -1, -1)
    var impacts: (Double, Double, Double) = (0, 0, 0)

    @inline(__always)
    mutating func offer(feature: Int, impact: Double) {
        let size = abs(impact)
        guard size > 0 else { return }
        if size > abs(impacts.0) {
            features = (feature, features.0, features.1)
            impacts = (impact, impacts.0, impacts.1)
        } else if size > abs(impacts.1) {
            features = (features.0, feature, features.1)
            impacts = (impacts.0, impact, impacts.1)
        } else if size > abs(impacts.2) {
            features.2 = feature
            impacts.2 = impact
        }
    }

    var ranked: [Int] { [features.0, features.1, features.2].filter { $0 >= 0 } }
}
