import Foundation
import HandoffPersistence
import HandoffPostgres
import HandoffRules
import HandoffSQLite
import HandoffStores
import PostgresTestSupport

/// The backends the store suite runs against: every test that takes a `StoreBackend` argument
/// runs against both SQLite and PostgreSQL.
enum StoreBackend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    /// PostgreSQL joins when a test server is configured, or when CI requires one (then its
    /// tests fail with a message saying how to start it); see `ScratchPostgres`.
    static var allCases: [StoreBackend] { ScratchPostgres.isExpected ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { rawValue }

    /// Opens an empty store, runs `body`, and removes everything the store wrote.
    func withEmptyStore<T>(_ body: (any HandoffStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await withTemporaryDirectory { dir in
                let store = try SQLiteHandoffStore(path: dir.appendingPathComponent("store.sqlite").path)
                defer { try? store.close() }
                return try await body(store)
            }
        case .postgres:
            return try await ScratchPostgres.withEmptyStore(body)
        }
    }
}

/// Runs `body` with a fresh temporary directory and deletes it afterwards, whatever happens.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try await body(dir)
}

/// Fixed, millisecond-aligned instants: 2025-10-06T09:00:00Z plus offsets.
enum T {
    static let base = Date(timeIntervalSince1970: 1_759_741_200)
    static func minutes(_ m: Double) -> Date { base.addingTimeInterval(m * 60) }
    static func ms(_ ms: Int64) -> Date { Date(storeMillis: base.storeMillis + ms) }
}

enum Sample {
    static let model = ModelVersion(sha256: String(repeating: "ab", count: 32), format: "baton.weights/1")

    static func lead(_ id: String, at: Date = T.base, source: String? = "Google") -> LeadRecord {
        LeadRecord(
            id: id, fields: JSONText(trusted: #"{"company_size":250,"country":"DE"}"#), source: source,
            campaign: "q4-webinar", createdAt: at)
    }

    static func rep(_ id: String, status: RepRecord.Status = .active) -> RepRecord {
        RepRecord(
            id: id, name: "Rep \(id)", timeZone: "Europe/Berlin", status: status,
            leftAt: status == .left ? T.base : nil, profile: JSONText(trusted: #"{"capacity":20}"#), updatedAt: T.base)
    }

    static func event(_ id: String, lead: String, at: Date = T.minutes(1), type: String = "pricing_page") -> EngagementEventRecord {
        EngagementEventRecord(
            id: id, leadID: lead, type: type, occurredAt: at, receivedAt: at,
            payload: JSONText(trusted: #"{"url":"/pricing"}"#))
    }

    static func score(lead: String, at: Date = T.minutes(2), probability: Double = 0.42) -> ScoreRecord {
        ScoreRecord(
            leadID: lead, model: model, probability: probability, points: 611.5, fitPoints: 580.25,
            engagementPoints: 31.25, reasons: JSONText(trusted: #"[{"term":"demo_request","points":24}]"#), scoredAt: at)
    }

    static func decision(lead: String, at: Date = T.minutes(2), stage: QualificationStage = .sql) -> QualificationDecisionRecord {
        QualificationDecisionRecord(
            leadID: lead, stage: stage, priority: .high, rule: "demo-request-sql",
            evidence: JSONText(trusted: #"{"demo_request":true,"company_size":250}"#), decidedAt: at)
    }

    static func assignment(lead: String, rep: String, at: Date = T.minutes(3)) -> AssignmentRecord {
        AssignmentRecord(leadID: lead, target: .rep(rep), rule: "territory:DACH", assignedAt: at)
    }

    static func timer(_ id: String, lead: String, due: Date, state: SLATimerState = .running) -> SLATimerRecord {
        SLATimerRecord(id: id, leadID: lead, policy: "high-intent-1h", dueAt: due, state: state, startedAt: T.minutes(3))
    }

    /// The full ingest of one engagement event: event, score, decision, assignment, SLA timer.
    static func ingest(event: String, lead: String, rep: String) -> UnitOfWork {
        UnitOfWork(
            trigger: .appendEvent(Sample.event(event, lead: lead)),
            then: [
                .recordScore(score(lead: lead)),
                .recordDecision(decision(lead: lead)),
                .openAssignment(assignment(lead: lead, rep: rep)),
                .upsertTimer(timer("\(lead)/first-touch", lead: lead, due: T.minutes(63))),
            ])
    }
}
