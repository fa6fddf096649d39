import Foundation
import HandoffRules
import ScoringModelFormat

/// A small model over B2B lead fields whose points can be worked out by hand:
/// two categorical fit features (one with `Other`, one without), a decayed log1p engagement count,
/// a plain count with `missing: zero` and one with `missing: indicator`.
enum Fixture {
    static let spec = ScoringSpec(
        outcome: OutcomeSpec(column: "won", positive: ["1"]), id: "lead_id",
        features: [
            FeatureSpec(column: "company_size", type: .categorical, group: .fit),
            FeatureSpec(column: "budget_authority", type: .categorical, group: .fit, recode: ["y": "yes"]),
            FeatureSpec(column: "demo_requests", type: .numeric, transform: .log1p, group: .engagement, halfLifeDays: 14),
            FeatureSpec(column: "email_opens", type: .numeric, missing: .zero, group: .engagement),
            FeatureSpec(column: "page_views", type: .numeric, missing: .indicator, group: .engagement),
        ],
        points: PointsScaling(basePoints: 600, baseOdds: 50, pdo: 20), thresholds: Thresholds(mql: 560))

    static let encodings: [FeatureEncoding] = [
        FeatureEncoding(
            column: "company_size", type: .categorical, group: .fit,
            levels: ["1-10", "1000+", "11-200", "Other"], baseline: "1-10", mergedIntoOther: ["201-999": 3]),
        FeatureEncoding(
            column: "budget_authority", type: .categorical, group: .fit, recode: ["y": "yes"],
            levels: ["no", "yes"], baseline: "no"),
        FeatureEncoding(column: "demo_requests", type: .numeric, group: .engagement, transform: .log1p),
        FeatureEncoding(column: "email_opens", type: .numeric, group: .engagement, missing: .zero),
        FeatureEncoding(column: "page_views", type: .numeric, group: .engagement, missing: .indicator),
    ]

    /// β: intercept, size 1000+, size 11-200, size Other, budget yes, log1p(demo), opens, page_views, missing(page_views).
    static let estimates: [Double] = [-3.0, 1.2, 0.4, -0.5, 0.9, 1.1, 0.05, 0.02, -0.3]

    static func weights(estimates: [Double] = estimates) -> WeightFile {
        let terms = FeatureEncoding.terms(of: encodings)
        precondition(terms.count == estimates.count)
        let training = TrainingMetadata(
            rows: 1000, positives: 120, rowsDropped: 0, inputFile: "fixture.csv", inputSHA256: String(repeating: "0", count: 64),
            createdAt: "2025-01-01T00:00:00Z", toolVersion: "test", penalty: 0, converged: true, iterations: 6)
        let metrics = ModelMetrics(
            auc: 0.8, logLoss: 0.3, brier: 0.1, logLikelihood: -300, nullLogLikelihood: -400,
            aic: 618, bic: 660, mcfaddenR2: 0.25)
        return WeightFile(
            terms: terms, estimates: estimates, standardErrors: nil, encodings: encodings, spec: spec,
            training: training, metrics: metrics)
    }

    /// The fixture written to a temporary file, as `baton fit` would.
    static func weightFileURL() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("handoff-fixture-\(UUID().uuidString).json")
        try weights().write(to: url)
        return url
    }

    static let factor = 20 / log(2.0)
    static let offset = 600 - factor * log(50.0)

    static func scorer() throws -> LeadScorer { try LeadScorer(weights: weights()) }

    static let day = 86_400.0
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
}
