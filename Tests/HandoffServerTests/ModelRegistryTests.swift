import Foundation
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import ScoringModelFormat
import Testing

@Suite struct ModelRegistryTests {
    /// Issue 21 item 6: a PDO-40 model promoted under thresholds written for 600/50/20 silently
    /// changed who qualifies. Promotion now refuses (409 points_scale_changed, each threshold before
    /// and after) unless `force=true`; the same scale promotes as before; evidence records the scale.
    @Test func aModelOnAnotherPointsScaleNeedsForce() async throws {
        let running = try await ServiceFixture.service { configuration in
            let file = URL(fileURLWithPath: configuration.playbook ?? "").deletingLastPathComponent().appendingPathComponent("points.yaml")
            let yaml = ServiceFixture.playbook.replacingOccurrences(
                of: "  high_intent:",
                with: "    - name: engaged\n      stage: mql\n      when:\n        - {score: points, at_least: 560}\n  high_intent:")
            try? yaml.write(to: file, atomically: true, encoding: .utf8)
            configuration.playbook = file.path
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let admin = ServiceFixture.auth(running.tokens[.admin])
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        var spec = ServiceFixture.spec
        spec.points = PointsScaling(basePoints: 400, baseOdds: 50, pdo: 40)
        let base = ServiceFixture.weights(label: "pdo-40")
        let rescaled = WeightFile(
            terms: base.model.map(\.term), estimates: base.model.map(\.estimate), standardErrors: nil, encodings: base.encodings, spec: spec,
            training: base.training, metrics: base.metrics)
        let sameScale = ServiceFixture.weights(estimates: [-3.0, 1.2, 0.9, 0.10], label: "same-scale")
        try await app.test(.router) { client in
            for file in [rescaled, sameScale] {
                let up = try await client.execute(uri: "/models", method: .post, headers: admin, body: ByteBuffer(bytes: try file.encoded()))
                #expect(up.status == .created)
            }
            let refused = try await client.execute(uri: "/models/\(try rescaled.checksum())/promote", method: .post, headers: admin)
            #expect(refused.status == .conflict)
            let error = try #require(ServiceFixture.json(refused.body)["error"] as? [String: Any])
            let message = error["message"] as? String ?? ""
            #expect(error["code"] as? String == "points_scale_changed", "\(error)")
            #expect(message.contains("PDO 20 to 400 points at odds 50:1, PDO 40") && message.contains("points ≥ 560 (line 12)"), "\(message)")
            // 560 points: odds 50:1 · 2^(−40/20) = 12.5:1, p 0.926 now; on 400/50/40, 2^(160/40)·50 = 800:1, p 0.999.
            #expect(message.contains("p = 0.926 now") && message.contains("p = 0.999 after"), "\(message)")
            #expect(
                try await client.execute(uri: "/models/\(try rescaled.checksum())/promote?force=maybe", method: .post, headers: admin).status
                    == .badRequest)
            let same = try await client.execute(uri: "/models/\(try sameScale.checksum())/promote", method: .post, headers: admin)
            #expect(same.status == .ok, "the same scale needs no force")
            let forced = try await client.execute(uri: "/models/\(try rescaled.checksum())/promote?force=true", method: .post, headers: admin)
            #expect(forced.status == .ok)
            let created = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(IngestTests.created))
            #expect(created.status == .created)
        }
        let timeline = try #require(try await running.service.store.leadTimeline(leadID: "L1"))
        let evidence = try #require(timeline.decisions.last?.evidence.text)
        #expect(evidence.contains(#""points_scale":{"base_odds":50,"base_points":400,"pdo":40}"#), "\(evidence)")
    }

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
