import Foundation
import HandoffPersistence
import HandoffSQLite
import HandoffServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills the real `baton serve` with SIGKILL while clients stream events, restarts it, and
/// checks that every acknowledged event is stored exactly once (and that resending everything
/// stores each event once). Sixteen concurrent clients, so events are acknowledged from shared
/// group commits: an answer must never come before the commit that holds its event.
@Suite(.serialized) struct DurabilityTests {
    actor Acks {
        var acked: Set<String> = []
        var sent = 0
        var killed = false
        func add(_ id: String) { acked.insert(id) }
        func markKilled() { killed = true }
        func count() -> Int { acked.count }
        func markSent() { sent += 1 }
    }

    static func event(_ i: Int) -> Data {
        let e: [String: Any] = [
            "event_id": "k-\(i)", "type": "lead_created", "lead_id": "K\(i)", "occurred_at": "2026-03-02T10:00:00Z",
            "fields": [
                "company_size": i % 2 == 0 ? "1000+" : "1-10", "budget_authority": "yes",
                "region": ["na", "emea", "latam"][i % 3], "email_opens": i % 7,
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: e)) ?? Data()
    }

    @Test func everyAcknowledgedEventSurvivesSIGKILLExactlyOnce() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let known = try String(contentsOfFile: files.playbook, encoding: .utf8)
        #expect(known.contains("reps:"))
        let config = files.folder.appendingPathComponent("serve.json").path
        try #"{"known_fields": ["region", "demo_requests"]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let args = ["--db", files.db, "--playbook", files.playbook, "--model", files.model, "--config", config]
        // Started off the cooperative pool (ServeProcess.start): a blocking start there starves the clients on a busy machine.
        let first = try await ServeProcess.start(arguments: args)
        let token = try #require(first.printedToken)
        let acks = Acks()
        let total = 200
        // Sixteen clients stream events k-0…k-199 (client c sends i ≡ c mod 16) until the kill.
        let clients = Task {
            await withTaskGroup(of: Void.self) { group in
                for c in 0..<16 {
                    group.addTask {
                        for i in stride(from: c, to: total, by: 16) {
                            await acks.markSent()
                            // A client retries a failed delivery (a busy machine may refuse or drop
                            // a connection before the kill); after the kill it gives up.
                            while true {
                                if let r = await first.post("/events", token: token, body: Self.event(i)) {
                                    if (200..<300).contains(r.status) { await acks.add("k-\(i)") }
                                    break
                                }
                                if await acks.killed { return }
                                try? await Task.sleep(for: .milliseconds(50))
                            }
                        }
                    }
                }
            }
        }
        // Kill once some events are acknowledged, while the clients are still sending.
        // (The deadline only stops a broken service from hanging the run; CI machines are slow.)
        let deadline = Date().addingTimeInterval(300)
        while await acks.count() < 40, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        first.kill9()
        await acks.markKilled()
        await clients.value
        let acked = await acks.acked
        #expect(acked.count >= 40)
        #expect(acked.count < total, "the kill came after every event was sent; the test did not kill mid-stream")

        // Restart on the same files: no new admin token, the old one still works.
        let second = try await ServeProcess.start(arguments: args)
        defer { second.stop() }
        #expect(second.printedToken == nil)
        let store = try SQLiteHandoffStore(path: files.db)
        for id in acked {
            let lead = "K" + id.dropFirst(2)
            let timeline = try #require(try await store.leadTimeline(leadID: lead), "acknowledged \(id) is missing")
            #expect(timeline.events.filter { $0.id == id }.count == 1)
            #expect(timeline.scores.count == 1)
        }
        // Resend all: acknowledged ones are duplicates, the others are applied now; each stored once.
        var statuses: [String: Int] = [:]
        for start in stride(from: 0, to: total, by: 50) {
            let batch = (start..<start + 50).map { (try? JSONSerialization.jsonObject(with: Self.event($0))) ?? [:] }
            let r = try #require(await second.post("/events", token: token, body: try JSONSerialization.data(withJSONObject: batch)))
            #expect(r.status == 200)
            let results = (try JSONSerialization.jsonObject(with: r.body) as? [String: Any])?["results"] as? [[String: Any]] ?? []
            #expect(results.count == 50)
            for result in results {
                let id = result["event_id"] as? String ?? "?"
                let status = result["status"] as? String ?? "?"
                statuses[status, default: 0] += 1
                if acked.contains(id) { #expect(status == "duplicate", "\(id)") }
            }
        }
        #expect((statuses["applied"] ?? 0) + (statuses["duplicate"] ?? 0) == total)
        let counts = try await store.counts()
        #expect(counts.events == total)
        #expect(counts.leads == total)
        #expect(counts.scores == total)
    }
}
