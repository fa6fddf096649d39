import Foundation
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import ScoringModelFormat
import Testing

@Suite struct ModelRegistryTests {
    @Test func uploadPromoteRollBackAndScoresRecordTheirModel() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let admin = ServiceFixture.auth(running.tokens[.admin])
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        let champion = try ServiceFixture.weights().checksum()
        // The challenger doubles the email_opens weight.
        let challengerFile = ServiceFixture.weights(estimates: [-3.0, 1.2, 0.9, 0.10], label: "2026-Q2")
        let challengerBytes = try challengerFile.encoded()
        let challenger = try challengerFile.checksum()
        try await app.test(.router) { client in
            // A damaged upload: one byte of a weight changed, the recorded sha256 no longer matches.
            var damaged = String(decoding: challengerBytes, as: UTF8.self)
            damaged = damaged.replacingOccurrences(of: "0.1", with: "0.2")
            let refused = try await client.execute(uri: "/models", method: .post, headers: admin, body: ByteBuffer(string: damaged))
            #expect(refused.status == .unprocessableContent)
            #expect((ServiceFixture.json(refused.body)["error"] as? [String: Any])?["field"] as? String == "sha256")
            let wrongParam = try await client.execute(
                uri: "/models?sha256=\(champion)", method: .post, headers: admin,
                body: ByteBuffer(bytes: challengerBytes))
            #expect(wrongParam.status == .unprocessableContent)

            let uploaded = try await client.execute(
                uri: "/models?sha256=\(challenger)&label=Q2", method: .post, headers: admin,
                body: ByteBuffer(bytes: challengerBytes))
            #expect(uploaded.status == .created)
            #expect(ServiceFixture.json(uploaded.body)["in_production"] as? Bool == false)
            let again = try await client.execute(uri: "/models", method: .post, headers: admin, body: ByteBuffer(bytes: challengerBytes))
            #expect(again.status == .ok)

            _ = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(IngestTests.created))
            let promoted = try await client.execute(uri: "/models/\(challenger)/promote", method: .post, headers: admin)
            #expect(promoted.status == .ok)
            _ = try await client.execute(
                uri: "/events", method: .post, headers: ingest,
                body: ServiceFixture.body(IngestTests.engagement("e-2", lead: "L1", at: "2026-03-02T10:05:00Z")))
            let rolled = try await client.execute(uri: "/models/rollback", method: .post, headers: admin)
            #expect((ServiceFixture.json(rolled.body)["production"] as? [String: Any])?["sha256"] as? String == champion)
            _ = try await client.execute(
                uri: "/events", method: .post, headers: ingest,
                body: ServiceFixture.body(IngestTests.engagement("e-3", lead: "L1", at: "2026-03-02T10:06:00Z")))
            let unknown = try await client.execute(uri: "/models/\(String(repeating: "a", count: 64))/promote", method: .post, headers: admin)
            #expect(unknown.status == .notFound)

            let list = ServiceFixture.json(try await client.execute(uri: "/models", method: .get, headers: admin).body)
            #expect((list["models"] as? [Any])?.count == 2)
            #expect((list["deployments"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["promotion", "promotion", "rollback"])
        }
        let timeline = try #require(try await running.service.store.leadTimeline(leadID: "L1"))
        #expect(timeline.scores.map(\.model.sha256) == [champion, challenger, champion])
        // Same lead, 5 opens: the challenger's log-odds is −3 + 1.2 + 0.9 + 0.10·5 = −0.4.
        let factor = 20 / log(2.0), offset = 600 - factor * log(50.0)
        #expect(abs(timeline.scores[1].points - (offset + factor * -0.4)) < 1e-9)
        #expect(abs(timeline.scores[2].points - (offset + factor * -0.6)) < 1e-9)
    }
}
