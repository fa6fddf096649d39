import Foundation
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Collects every log line (message and metadata) at trace level.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    static let lines = LockedLines()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        Self.lines.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite struct LogPrivacyTests {
    @Test func leadFieldsNeverReachTheLog() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let logger = Logger(label: "privacy-test") { _ in RecordingLogHandler() }
        let (service, admin) = try await HandoffService.open(ServiceFixture.configuration(files), logger: logger)
        let token = try require(admin)
        let secretEmail = "jane.doe@acme-secret.example", secretName = "Janedoe Secretname"
        let lead = ServiceFixture.event(
            "p-1", "lead_created", lead: "P1", at: "2026-03-02T10:00:00Z",
            [
                "fields": [
                    "company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 1,
                    "email": secretEmail, "first_name": secretName,
                ]
            ])
        // A refused event that carries the same values (unknown value for a model field).
        let refused = ServiceFixture.event(
            "p-2", "lead_created", lead: "P2", at: "2026-03-02T10:00:00Z",
            ["fields": ["company_size": secretName, "budget_authority": "yes", "region": "na", "email_opens": 1, "email": secretEmail]])
        let body = ServiceFixture.body([lead, refused])
        let app = Application(router: service.router(), logger: logger)
        try await app.test(.router) { client in
            let r = try await client.execute(uri: "/events", method: .post, headers: ServiceFixture.auth(token), body: body)
            #expect(r.status == .ok)
            let read = try await client.execute(uri: "/leads/P1", method: .get, headers: ServiceFixture.auth(token))
            #expect(String(buffer: read.body).contains(secretEmail))  // the API returns it to an authorised reader
        }
        _ = await service.deliverer.deliverDue()
        let lines = RecordingLogHandler.lines.all
        #expect(lines.contains { $0.contains("POST /events: 2 event(s)") })
        for line in lines {
            #expect(!line.contains(secretEmail) && !line.contains(secretName), "\(line)")
        }
    }
}
