import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import ScoringModelFormat

/// A small model, playbook and roster whose SLA instants can be worked out by hand.
///
/// Reps: `ana` (EMEA, Berlin, UTC+1 in early March 2026), `bob` (North America, New York,
/// UTC−5 before 2026-03-08) and `cy` (a generalist `*` in New York). Working hours Mon–Fri
/// 09:00–17:00 local; the high policy promises a first touch within 1 business hour, the
/// manager after 1 more, reassignment after 2 more. 2026-03-02 is a Monday.
package enum EngineFixture {
    package static let spec = ScoringSpec(
        outcome: OutcomeSpec(column: "won", positive: ["1"]), id: "lead_id",
        features: [
            FeatureSpec(column: "company_size", type: .categorical, group: .fit),
            FeatureSpec(column: "budget_authority", type: .categorical, group: .fit),
            FeatureSpec(column: "demo_requests", type: .numeric, transform: .log1p, group: .engagement),
            FeatureSpec(column: "email_opens", type: .numeric, missing: .zero, group: .engagement),
        ],
        points: PointsScaling(basePoints: 600, baseOdds: 50, pdo: 20))

    package static let encodings: [FeatureEncoding] = [
        FeatureEncoding(column: "company_size", type: .categorical, group: .fit, levels: ["1-10", "1000+"], baseline: "1-10"),
        FeatureEncoding(column: "budget_authority", type: .categorical, group: .fit, levels: ["no", "yes"], baseline: "no"),
        FeatureEncoding(column: "demo_requests", type: .numeric, group: .engagement, transform: .log1p),
        FeatureEncoding(column: "email_opens", type: .numeric, group: .engagement, missing: .zero),
    ]

    /// β: intercept, size 1000+, budget yes, log1p(demo), opens.
    package static let estimates: [Double] = [-3.0, 1.2, 0.9, 1.1, 0.05]

    package static func weights() -> WeightFile {
        let terms = FeatureEncoding.terms(of: encodings)
        let training = TrainingMetadata(
            rows: 1000, positives: 120, rowsDropped: 0, inputFile: "fixture.csv", inputSHA256: String(repeating: "0", count: 64),
            createdAt: "2026-01-01T00:00:00Z", toolVersion: "test", penalty: 0, converged: true, iterations: 6)
        let metrics = ModelMetrics(
            auc: 0.8, logLoss: 0.3, brier: 0.1, logLikelihood: -300, nullLogLikelihood: -400,
            aic: 618, bic: 660, mcfaddenR2: 0.25)
        return WeightFile(
            terms: terms, estimates: estimates, standardErrors: nil, encodings: encodings, spec: spec,
            training: training, metrics: metrics)
    }

    package static let playbookYAML = """
        qualification:
          rules:
            - name: demo_with_budget
              stage: sql
              match: all
              when:
                - {field: demo_requests, at_least: 1}
                - {field: budget_authority, equals: "yes"}
            - name: engaged
              stage: mql
              when:
                - {score: engagement_points, at_least: 1000}
          high_intent:
            - {field: demo_requests, at_least: 1}
        routing:
          fallback_queue: sales-triage
          rules:
            - {match: territory, field: region, map: {emea: emea, north_america: na}}
        reps:
          - {id: ana, name: Ana, manager: lee@example.com, territories: [emea], time_zone: Europe/Berlin}
          - {id: bob, name: Bob, manager: lee@example.com, territories: [na], time_zone: America/New_York}
          - {id: cy, name: Cy, territories: ["*"], time_zone: America/New_York}
        """

    package static func playbook(_ yaml: String = playbookYAML) throws -> Playbook {
        try Playbook.parse(yaml: yaml, file: "playbook.yaml")
    }

    /// A fresh engine over a new SQLite store in a temporary folder.
    package static func engine(yaml: String = playbookYAML) async throws -> (HandoffEngine, SQLiteHandoffStore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteHandoffStore(path: dir.appendingPathComponent("store.sqlite").path)
        let engine = try HandoffEngine(
            store: store, playbook: try playbook(yaml), scorer: try LeadScorer(weights: weights()),
            knownFields: ["region"])
        try await engine.prepare(at: utc(2026, 3, 1, 0, 0))
        return (engine, store)
    }

    /// The error `engine` refuses `event` with, or nil when it applies it.
    package static func refused(_ engine: HandoffEngine, _ event: InboundEvent) async -> EngineError? {
        do {
            _ = try await engine.apply(event)
            return nil
        } catch { return error }
    }

    package static func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        return calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min)) ?? .distantPast
    }

    /// Monday 2026-03-02 at `h:min` UTC.
    package static func monday(_ h: Int, _ min: Int = 0) -> Date { utc(2026, 3, 2, h, min) }

    package static func created(_ id: String, lead: String, at: Date, fields: [String: String]) -> InboundEvent {
        InboundEvent(eventID: id, kind: .leadCreated, occurredAt: at, leadID: lead, body: .lead(.init(fields: fields)))
    }

    package static func engagement(_ id: String, lead: String, at: Date, type: String) -> InboundEvent {
        InboundEvent(eventID: id, kind: .engagement, occurredAt: at, leadID: lead, body: .engagement(.init(eventType: type)))
    }

    package static func attempt(_ id: String, lead: String, at: Date, rep: String, outcome: String = "voicemail") -> InboundEvent {
        InboundEvent(
            eventID: id, kind: .contactAttempt, occurredAt: at, leadID: lead,
            body: .contactAttempt(.init(repID: rep, channel: "call", outcome: outcome)))
    }

    package static func disposition(_ id: String, lead: String, at: Date, rep: String, code: String) -> InboundEvent {
        InboundEvent(eventID: id, kind: .disposition, occurredAt: at, leadID: lead, body: .disposition(.init(repID: rep, code: code)))
    }

    package static let fitLead = ["company_size": "1000+", "budget_authority": "yes", "demo_requests": "0", "email_opens": "3", "region": "emea"]
}
