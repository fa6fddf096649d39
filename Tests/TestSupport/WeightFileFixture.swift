import Foundation
import ScoringModelFormat

/// A small but complete model over raw columns, covering every encoding rule:
/// numeric as-is with `zero`, log1p with `indicator`, numeric with `drop_row`,
/// categorical with recode, merged rare levels, `Other` and `Missing`, and a categorical
/// without `Other` (unseen levels fall to the baseline).
package enum WeightFileFixture {
    package static let spec = ScoringSpec(
        outcome: OutcomeSpec(column: "won", positive: ["1"]), id: "lead_id", time: "created_at",
        features: [
            FeatureSpec(column: "age", type: .numeric, missing: .zero),
            FeatureSpec(column: "visits", type: .numeric, transform: .log1p, missing: .indicator),
            FeatureSpec(column: "pages", type: .numeric, missing: .dropRow),
            FeatureSpec(column: "lead \"source\"", type: .categorical, minCount: 5, recode: ["google": "Google", "ad's": "Ads"]),
            FeatureSpec(column: "size", type: .categorical, baseline: "small"),
        ],
        penalty: 0.5, points: PointsScaling(basePoints: 600, baseOdds: 50, pdo: 20),
        thresholds: Thresholds(mql: 560, sql: nil))

    package static let encodings: [FeatureEncoding] = [
        FeatureEncoding(column: "age", type: .numeric, group: .engagement, missing: .zero),
        FeatureEncoding(column: "visits", type: .numeric, group: .engagement, transform: .log1p, missing: .indicator),
        FeatureEncoding(column: "pages", type: .numeric, group: .engagement, missing: .dropRow),
        FeatureEncoding(
            column: "lead \"source\"", type: .categorical, group: .fit, recode: ["google": "Google", "ad's": "Ads"],
            levels: ["Ads", "Google", "Missing", "O'Reilly", "Other"], baseline: "Ads",
            mergedIntoOther: ["fax": 2, "telex": 1], minCount: 5),
        FeatureEncoding(
            column: "size", type: .categorical, group: .fit, levels: ["large", "medium", "small"], baseline: "small"),
    ]

    package static let terms: [Term] = [
        .intercept,
        Term(name: "age", kind: .numeric, column: "age", group: .engagement),
        Term(name: "log1p(visits)", kind: .numeric, column: "visits", group: .engagement),
        Term(name: "missing(visits)", kind: .missingIndicator, column: "visits", group: .engagement),
        Term(name: "pages", kind: .numeric, column: "pages", group: .engagement),
        Term(name: "lead \"source\"=Google", kind: .level, column: "lead \"source\"", level: "Google", group: .fit),
        Term(name: "lead \"source\"=Missing", kind: .level, column: "lead \"source\"", level: "Missing", group: .fit),
        Term(name: "lead \"source\"=O'Reilly", kind: .level, column: "lead \"source\"", level: "O'Reilly", group: .fit),
        Term(name: "lead \"source\"=Other", kind: .level, column: "lead \"source\"", level: "Other", group: .fit),
        Term(name: "size=large", kind: .level, column: "size", level: "large", group: .fit),
        Term(name: "size=medium", kind: .level, column: "size", level: "medium", group: .fit),
    ]

    package static let estimates: [Double] = [-2.25, 0.013, 0.41, -0.7, 1e-7, 0.55, -0.3, 1.25, -0.125, 0.8, 0.1]

    package static func training() -> TrainingMetadata {
        TrainingMetadata(
            rows: 9000, positives: 3500, rowsDropped: 240, timeFrom: "2023-01-01T00:00:00Z", timeTo: "2024-12-31T23:59:59Z",
            inputFile: "Leads.csv", inputSHA256: "1426dffd94246b8c7f08d1080d9c04115a0c4b67eadcba1ed9d2fa10d3762802",
            createdAt: "2024-06-11T09:30:00Z", toolVersion: "0.1.0", penalty: 0.5, converged: true, iterations: 7)
    }

    package static func metrics() -> ModelMetrics {
        ModelMetrics(
            auc: 0.8123, aucCILow: 0.80, aucCIHigh: 0.825, logLoss: 0.45, brier: 0.15, ece: 0.012,
            calibrationSlope: 0.98, calibrationIntercept: 0.01,
            hosmerLemeshow: HosmerLemeshow(statistic: 8.5, df: 8, pValue: 0.386),
            bands: [
                ScoreBand(
                    band: "1", n: 900, positives: 720, meanPredicted: 0.79, observedRate: 0.8,
                    ciLow: 0.77, ciHigh: 0.83, lift: 2.06, cumulativeGain: 0.206)
            ],
            logLikelihood: -4000.5, nullLogLikelihood: -6000.25, aic: 8023, bic: 8101.7, mcfaddenR2: 0.3333)
    }

    /// The same model with `age` binned (cuts 25, 40.5, 60; empty cells a `Missing` bin) and
    /// `visits` binned (cuts 0.5, 3.25; `missing: zero`, so an empty cell is in the bin of 0):
    /// a `baton.weights/2` file covering both rules for bins.
    package static func binnedFile() -> WeightFile {
        func bins(_ cuts: [Double], missing: Bool) -> NumericBins {
            let statistics = (0...cuts.count).map { BinStatistics(rows: 100 + $0, won: 20 + $0, woe: 0.1 * Double($0) - 0.2, iv: 0.01) }
            return NumericBins(
                cuts: cuts, monotone: .ascending, given: false, wholeNumbers: false, statistics: statistics,
                missingStatistics: missing ? BinStatistics(rows: 50, won: 9, woe: -0.3, iv: 0.004) : nil, informationValue: 0.08)
        }
        var spec = self.spec
        spec.features[0] = FeatureSpec(column: "age", type: .numeric, transform: .bins, missing: .indicator)
        spec.features[1] = FeatureSpec(column: "visits", type: .numeric, transform: .bins, missing: .zero)
        var encodings = self.encodings
        encodings[0] = FeatureEncoding(column: "age", type: .numeric, group: .engagement, transform: .bins, missing: .indicator)
        encodings[0].bins = bins([25, 40.5, 60], missing: true)
        encodings[1] = FeatureEncoding(column: "visits", type: .numeric, group: .engagement, transform: .bins, missing: .zero)
        encodings[1].bins = bins([0.5, 3.25], missing: false)
        let binTerms = encodings[0].terms + encodings[1].terms
        let terms = [Term.intercept] + binTerms + Array(self.terms.dropFirst(4))
        let binEstimates: [Double] = [0.3, 0.55, 0.9, -0.4, 0.25, 0.7]
        precondition(binTerms.count == binEstimates.count)
        let estimates = [self.estimates[0]] + binEstimates + Array(self.estimates.dropFirst(4))
        return WeightFile(
            terms: terms, estimates: estimates, standardErrors: estimates.map { abs($0) / 10 + 0.01 },
            encodings: encodings, spec: spec, training: training(), metrics: metrics())
    }

    package static func file(estimates: [Double] = estimates) -> WeightFile {
        WeightFile(
            terms: terms, estimates: estimates, standardErrors: estimates.map { abs($0) / 10 + 0.01 },
            encodings: encodings, spec: spec, training: training(), metrics: metrics())
    }
}
