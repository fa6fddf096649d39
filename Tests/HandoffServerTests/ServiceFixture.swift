import Foundation
import HandoffPersistence
import HandoffRules
import HandoffServer
import Hummingbird
import HummingbirdTesting
import ScoringModelFormat

/// A small model and a playbook with every flow section, written to a temporary folder, and a
/// service over a fresh SQLite store with one token per role.
///
/// Model (points = offset + factor · log-odds, 600 at 50:1, PDO 20): intercept −3,
/// company_size 1000+ +1.2, budget_authority yes +0.9, email_opens +0.05 per open.
/// Playbook: SQL when company_size is 1000+ and budget_authority yes; high intent when
/// demo_requests ≥ 1; region na → ana, emea → kai, otherwise the sales-triage queue.
/// SLA: every hour of every day is business time (UTC), high 1 h, standard 4 h;
/// escalation: manager after 0.5 h, reassign after 2 h.
enum ServiceFixture {
    static let spec = ScoringSpec(
        outcome: OutcomeSpec(column: "won", positive: ["1"]), id: "lead_id",
        features: [
            FeatureSpec(column: "company_size", type: .categorical, group: .fit),
            FeatureSpec(column: "budget_authority", type: .categorical, group: .fit),
            FeatureSpec(column: "email_opens", type: .numeric, missing: .zero, group: .engagement),
        ],
        points: PointsScaling(basePoints: 600, baseOdds: 50, pdo: 20), thresholds: Thresholds(mql: 560))

    static let encodings: [FeatureEncoding] = [
        FeatureEncoding(column: "company_size", type: .categorical, group: .fit, levels: ["1-10", "1000+"], baseline: "1-10"),
        FeatureEncoding(column: "budget_authority", type: .categorical, group: .fit, levels: ["no", "yes"], baseline: "no"),
        FeatureEncoding(column: "email_opens", type: .numeric, group: .engagement, missing: .zero),
    ]

    static func weights(estimates: [Double] = [-3.0, 1.2, 0.9, 0.05], label: String = "2026-01-01T00:00:00Z") -> WeightFile {
        let terms = FeatureEncoding.terms(of: encodings)
        let training = TrainingMetadata(
            rows: 1000, positives: 120, rowsDropped: 0, inputFile: "fixture.csv", inputSHA256: String(repeating: "0", count: 64),
            createdAt: label, toolVersion: "test", penalty: 0, converged: true, iterations: 6)
        let metrics = ModelMetrics(
            auc: 0.8, logLoss: 0.3, brier: 0.1, logLikelihood: -300, nullLogLikelihood: -400,
            aic: 618, bic: 660, mcfaddenR2: 0.25)
        return WeightFile(
            terms: terms, estimates: estimates, standardErrors: nil, encodings: encodings, spec: spec,
            training: training, metrics: metrics)
    }

    static let playbook = """
        qualification:
          rules:
            - name: fit_and_budget
              stage: sql
              match: all
              when:
                - {field: company_size, in: ["1000+"]}
                - {field: budget_authority, equals: "yes"}
          high_intent:
            - {field: demo_requests, at_least: 1}
        routing:
          fallback_queue: sales-triage
          rules:
            - {match: territory, field: region, map: {na: na, emea: emea}}
        sla:
          working_hours: {days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "23:59"}
          policies:
            high:
              first_touch_hours: 1
              escalation: {notify_manager_after_hours: 0.5, reassign_after_hours: 2}
            standard:
              first_touch_hours: 4
              escalation: {notify_manager_after_hours: 0.5, reassign_after_hours: 2}
        reps:
          - {id: ana, name: Ana, email: ana@example.com, manager: lee@example.com, territories: [na], time_zone: UTC}
          - {id: kai, name: Kai, email: kai@example.com, territories: [emea], time_zone: UTC}
        """

    /// A temporary folder with `playbook.yaml` and `model.json`.
    struct Files {
        let folder: URL
        var db: String { folder.appendingPathComponent("baton.sqlite").path }
        var playbook: String { folder.appendingPathComponent("playbook.yaml").path }
        var model: String { folder.appendingPathComponent("model.json").path }
        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func files() throws -> Files {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = Files(folder: folder)
        try playbook.write(toFile: files.playbook, atomically: true, encoding: .utf8)
        try weights().write(to: URL(fileURLWithPath: files.model))
        return files
    }

    static func configuration(_ files: Files) -> ServiceConfiguration {
        var c = ServiceConfiguration()
        c.db = files.db
        c.playbook = files.playbook
        c.model = files.model
        c.knownFields = ["region", "demo_requests"]
        c.port = 0
        return c
    }

    /// A service with tokens for every role (`tokens[.admin]` is the first-start token).
    struct Running {
        let service: HandoffService
        let tokens: [Role: String]
        let files: Files
    }

    static func service(clock: TestClock? = nil, _ configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> Running {
        let files = try files()
        var c = configuration(files)
        configure(&c)
        let (service, admin): (HandoffService, String?)
        if let clock {
            // A fixed clock and no jitter: retry times are exact.
            (service, admin) = try await HandoffService.open(c, now: { clock.now }, deliveryJitter: { 0 })
        } else {
            (service, admin) = try await HandoffService.open(c)
        }
        var tokens: [Role: String] = [.admin: try require(admin, "first start issues an admin token")]
        for role in [Role.marketing, .sales, .ingest] { tokens[role] = try await service.tokens.issue(name: role.rawValue, role: role) }
        return Running(service: service, tokens: tokens, files: files)
    }

    /// Serves `service` on a free loopback port, for clients outside the process (Chromium,
    /// schemathesis): the port, and the server's task (cancel it to stop).
    static func listen(_ service: HandoffService) async -> (port: Int, server: Task<Void, any Error>) {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: service.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await p in stream {
            port = p
            break
        }
        return (port, server)
    }

    static func event(_ id: String, _ type: String, lead: String, at: String, _ extra: [String: Any] = [:]) -> [String: Any] {
        var e: [String: Any] = ["event_id": id, "type": type, "lead_id": lead, "occurred_at": at]
        for (k, v) in extra { e[k] = v }
        return e
    }

    static func body(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] ?? [:]
    }

    static func auth(_ token: String?) -> HTTPFields {
        var h: HTTPFields = [.contentType: "application/json"]
        if let token { h[.authorization] = "Bearer \(token)" }
        return h
    }
}

/// `try #require` outside a test function body.
func require<T>(_ value: T?, _ message: String = "missing value") throws -> T {
    guard let value else { throw FixtureError(message) }
    return value
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A settable clock for the service.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    init(_ iso: String) { instant = ISO8601DateFormatter().date(from: iso) ?? .distantPast }
    var now: Date { lock.withLock { instant } }
    func set(_ iso: String) { lock.withLock { instant = ISO8601DateFormatter().date(from: iso) ?? instant } }
}
