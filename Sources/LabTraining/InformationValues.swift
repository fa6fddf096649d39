import Foundation
import ScoringModelFormat

/// Information value per feature, for the fit summary: binned features from their learned bins
/// (``NumericBins``), categorical features from the training rows by model level (baseline
/// included). `IV = Σ (wonᵢ/W − lostᵢ/L) · ln((wonᵢ/W) / (lostᵢ/L))`; a level with no won or no
/// lost lead makes it infinite (that level separates). Plain numeric features have no IV.
package struct InformationValue: Sendable, Equatable {
    package var feature: String
    /// nil for a numeric feature without bins.
    package var value: Double?
    /// What the IV is over: `5 bins, ascending`, `7 levels`, `not binned`.
    package var basis: String
    /// Binned: `label WoE` per bin, lowest first, then `Missing`.
    package var bins: [(label: String, woe: Double)]

    package static func == (lhs: InformationValue, rhs: InformationValue) -> Bool {
        lhs.feature == rhs.feature && lhs.value == rhs.value && lhs.basis == rhs.basis
            && lhs.bins.map(\.label) == rhs.bins.map(\.label) && lhs.bins.map(\.woe) == rhs.bins.map(\.woe)
    }

    /// The conventional reading of an IV (Siddiqi, *Credit Risk Scorecards*): < 0.02 not useful,
    /// < 0.1 weak, < 0.3 medium, otherwise strong (> 0.5: check for leakage).
    package static func strength(_ iv: Double) -> String {
        if iv < 0.02 { return "not useful" }
        if iv < 0.1 { return "weak" }
        if iv < 0.3 { return "medium" }
        if iv <= 0.5 { return "strong" }
        return "very strong: check for leakage"
    }

    /// One entry per encoding, in spec order. Categorical IVs need the training rows (nil: `training` absent).
    package static func of(encodings: [FeatureEncoding], training: TrainingData?) -> [InformationValue] {
        var offset = 1
        var result: [InformationValue] = []
        for encoding in encodings {
            let width = encoding.terms.count
            defer { offset += width }
            if let bins = encoding.bins {
                var labels = bins.labels(withMissing: bins.missingStatistics != nil)
                var woes = bins.statistics.map(\.woe)
                if let missing = bins.missingStatistics { woes.append(missing.woe) } else { labels = Array(labels.prefix(bins.count)) }
                result.append(
                    InformationValue(
                        feature: encoding.column, value: bins.informationValue,
                        basis: "\(bins.count) bins, \(bins.monotone.rawValue)\(bins.given ? ", cuts given" : "")",
                        bins: Array(zip(labels, woes)).map { (label: $0.0, woe: $0.1) }))
            } else if encoding.type == .categorical, let training {
                result.append(
                    InformationValue(
                        feature: encoding.column, value: categoricalIV(training, columns: offset..<(offset + width)),
                        basis: "\(encoding.levels.count) levels", bins: []))
            } else if encoding.type == .categorical {
                result.append(InformationValue(feature: encoding.column, value: nil, basis: "levels (streaming fit: not counted)", bins: []))
            } else {
                result.append(InformationValue(feature: encoding.column, value: nil, basis: "not binned", bins: []))
            }
        }
        return result
    }

    /// IV over a categorical feature's levels: each row's level is its dummy column set to 1, or the baseline.
    static func categoricalIV(_ training: TrainingData, columns: Range<Int>) -> Double {
        let n = training.design.rows
        var won = [Double](repeating: 0, count: columns.count + 1), lost = won
        for i in 0..<n {
            var level = 0
            for (k, j) in columns.enumerated() where training.design.values[j * n + i] == 1 { level = k + 1 }
            let weight = training.weights?[i] ?? 1
            if training.outcome[i] == 1 { won[level] += weight } else { lost[level] += weight }
        }
        let totalWon = won.reduce(0, +), totalLost = lost.reduce(0, +)
        var iv = 0.0
        for k in won.indices where won[k] + lost[k] > 0 {
            let a = won[k] / totalWon, b = lost[k] / totalLost
            iv += a == b ? 0 : (a - b) * log(a / b)
        }
        return iv
    }
}
