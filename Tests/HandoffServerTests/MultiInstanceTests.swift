import Foundation
import HandoffPersistence
import HandoffStores
import PostgresTestSupport
import Testing

@testable import HandoffPostgres
@testable import HandoffServer

#if canImport(Glibc)
import Glibc
#endif

/// Issue 8, "Past one machine": two `baton serve` processes on one PostgreSQL database behind
/// an imagined load balancer, with concurrent clients; one instance is killed with SIGKILL
/// while they send. Checked in the database afterwards: no duplicate events, no double
/// escalation, no lead assigned twice, every acknowledged event present, and the round-robin
/// state consistent with the assignments it handed out.
@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote))
struct MultiInstanceTests {
    /// Every lead qualifies (1000+ employees, budget authority) and both reps cover region
    /// `na`, so each lead's first routing is a round-robin turn between ana and kai.
    static let playbook = ServiceFixture.playbook
        .replacingOccurrences(of: "territories: [na]", with: "territories: [na, emea]")
        .replacingOccurrences(of: "territories: [emea]", with: "territories: [na, emea]")

    static let escalationKinds: Set<String> = ["sla-reminder", "manager-notification", "reassignment"]

    actor Log {
        var acked: Set<String> = []
        var statuses: [Int: Int] = [:]
        var killed = false
        /// Deliveries to the killed instance that found it gone: proof the kill was mid-stream.
        var refusedAfterKill = 0
        func ack(_ id: String) { acked.insert(id) }
        func refusedByKilled() { refusedAfterKill += 1 }
        /// The answers other than 200/201, as "<event id>: <status> <body>", for the failure message.
        var refusals: [String] = []
        func saw(_ status: Int) { statuses[status, default: 0] += 1 }
        func refused(_ id: String, _ status: Int, _ body: Data) {
            refusals.append("\(id): \(status) \(String(decoding: body, as: UTF8.self))")
        }
        func markKilled() { killed = true }
    }

    /// Two instances on one fresh database, started at the same moment.
    private func withTwoInstances(_ body: (ServeProcess, ServeProcess, String, PostgresLocation) async throws -> Void) async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        try Self.playbook.write(toFile: files.playbook, atomically: true, encoding: .utf8)
        let config = files.folder.appendingPathComponent("serve.json").path
        // A fast scheduler, so both instances claim due SLA steps many times while clients send.
        try #"{"known_fields": ["region", "demo_requests"], "tick_interval_seconds": 0.1, "delivery_interval_seconds": 0.5}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        try await ScratchPostgres.withEmptyDatabase { location in
            let args = ["--db", ScratchPostgres.url(of: location), "--playbook", files.playbook, "--model", files.model, "--config", config]
            async let first = ServeProcess.start(arguments: args)
            async let second = ServeProcess.start(arguments: args)
            let one: ServeProcess, two: ServeProcess
            do {
                (one, two) = try await (first, second)
            } catch {
                // Whichever did start must not outlive the test.
                (try? await first)?.stop()
                (try? await second)?.stop()
                throw error
            }
            defer {
                one.stop()
                two.stop()
            }
            // Both started on an empty store; the UNIQUE token name let exactly one issue `admin`.
            let printed = [one.printedToken, two.printedToken].compactMap { $0 }
            #expect(printed.count == 1, "exactly one instance prints the first admin token")
            let admin = try #require(printed.first)
            try await body(one, two, admin, location)
        }
    }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// Lead `i`: created four hours ago (its first-touch SLA, 1 h or 4 h, and the escalation
    /// steps after it are due at once), then an engagement five minutes later.
    static func events(lead i: Int, start: Date) -> [(id: String, body: Data)] {
        let created: [String: Any] = [
            "event_id": "c-\(i)", "type": "lead_created", "lead_id": "M\(i)", "occurred_at": iso(start),
            "fields": [
                "company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": i % 5,
                "demo_requests": i % 2,
            ],
        ]
        let engaged: [String: Any] = [
            "event_id": "g-\(i)", "type": "engagement", "lead_id": "M\(i)", "occurred_at": iso(start.addingTimeInterval(300)),
            "event_type": "email_open", "content": "Pricing guide",
        ]
        return [("c-\(i)", json(created)), ("g-\(i)", json(engaged))]
    }

    @Test func twoInstancesConcurrentClientsAndAKill() async throws {
        try await withTwoInstances { one, two, admin, location in
            // An ingest token issued through one instance is used on both.
            let issued = try #require(await one.post("/tokens", token: admin, body: Self.json(["name": "loader", "role": "ingest"])))
            #expect(issued.status == 201)
            let token = try #require((try JSONSerialization.jsonObject(with: issued.body) as? [String: Any])?["token"] as? String)

            let log = Log()
            let leads = 48
            let start = Date().addingTimeInterval(-4 * 3600)
            // Four clients; each sends every event of its leads to BOTH instances at once (a
            // load balancer retrying on the other instance), in order per lead, retrying a
            // dropped connection on an instance that is still alive.
            let clients = Task {
                await withTaskGroup(of: Void.self) { group in
                    for c in 0..<4 {
                        group.addTask {
                            for i in stride(from: c, to: leads, by: 4) {
                                for event in Self.events(lead: i, start: start) {
                                    await withTaskGroup(of: Void.self) { pair in
                                        for (n, instance) in [one, two].enumerated() {
                                            pair.addTask {
                                                for _ in 0..<20 {
                                                    if let r = await instance.post("/events", token: token, body: event.body) {
                                                        await log.saw(r.status)
                                                        if (200..<300).contains(r.status) {
                                                            await log.ack(event.id)
                                                        } else {
                                                            await log.refused(event.id, r.status, r.body)
                                                        }
                                                        return
                                                    }
                                                    if n == 1, await log.killed {
                                                        await log.refusedByKilled()
                                                        return
                                                    }
                                                    try? await Task.sleep(for: .milliseconds(50))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Kill instance two once some events are acknowledged, while clients still send.
            // (Deadlines only keep a broken service from hanging the run; they assert nothing.)
            let deadline = Date().addingTimeInterval(300)
            while await log.acked.count < 30, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            two.kill9()
            await log.markKilled()
            await clients.value
            let acked = await log.acked
            let statuses = await log.statuses
            let refusals = await log.refusals
            #expect(await log.refusedAfterKill > 0, "the kill came after the clients finished; it did not happen mid-stream")
            #expect(
                Set(statuses.keys).isSubset(of: [200, 201]),
                "only applied or duplicate answers: \(statuses); \(refusals.joined(separator: "; "))")
            // Every event id reached instance one (alive throughout), so all are acknowledged.
            #expect(acked.count == 2 * leads)

            let store = try await PostgresHandoffStore.open(location)
            defer { Task { await store.close() } }
            // Let the surviving scheduler fire every due step, including those leased by the
            // killed instance (they come free when its lease ends).
            let settled = Date().addingTimeInterval(400)
            while try await !store.timersDue(before: Date(), limit: 1).isEmpty, Date() < settled {
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(try await store.timersDue(before: Date(), limit: 1).isEmpty, "due SLA steps are still waiting")

            try await ScratchPostgres.withConnection(location) { sql in
                // Every acknowledged event stored, each exactly once; nothing else.
                let events = Dictionary(
                    uniqueKeysWithValues: try await sql.rows(
                        "SELECT event_id, COUNT(*) AS n FROM engagement_events GROUP BY event_id"
                    ).map { (try $0.text("event_id"), try $0.int("n")) })
                for id in acked { #expect(events[id] == 1, "acknowledged \(id) stored \(events[id] ?? 0) time(s)") }
                let sent = Set(events.keys).filter { $0.hasPrefix("c-") || $0.hasPrefix("g-") }
                #expect(sent == acked, "stored event ids are exactly the acknowledged ones (all were sent to the live instance)")
                // An event processed twice would be scored twice.
                let doubleScored = try await sql.rows(
                    """
                    SELECT trigger_event_id FROM scores WHERE trigger_event_id IS NOT NULL
                    GROUP BY trigger_event_id HAVING COUNT(*) > 1
                    """)
                #expect(doubleScored.isEmpty)

                // No double escalation: each timer's steps fired once, and one alert per step.
                let open = try await store.openHandoffs(repID: nil)
                #expect(open.count == leads, "every lead holds one open hand-off")
                let alerts = try await sql.rows("SELECT alert_id, kind FROM alerts").map { (id: try $0.text("alert_id"), kind: try $0.text("kind")) }
                for i in 0..<leads {
                    let timeline = try #require(try await store.leadTimeline(leadID: "M\(i)"))
                    for timer in timeline.timers {
                        let steps = timer.firedSteps.map(\.step)
                        #expect(Set(steps).count == steps.count, "timer \(timer.id) fired a step twice: \(steps)")
                        // Alerts raised by this timer's firings (ids "<timer>@<instant>/…"): one per
                        // firing instant and kind, so a step fired twice at one instant or at two.
                        let raised = alerts.filter { $0.id.hasPrefix(timer.id + "@") && Self.escalationKinds.contains($0.kind) }
                        let firings = Set(timer.firedSteps.map(\.firedAt)).count
                        #expect(
                            raised.count <= timer.firedSteps.count && (raised.isEmpty || firings > 0),
                            "timer \(timer.id): \(raised.count) escalation alert(s) for \(timer.firedSteps.count) fired step(s)")
                    }
                    // One open assignment at most, and never two opened at the same instant (a race).
                    #expect(timeline.assignments.filter { $0.unassignedAt == nil }.count == 1, "lead M\(i)")
                    let instants = timeline.assignments.map(\.assignedAt)
                    #expect(Set(instants).count == instants.count, "lead M\(i) was assigned twice at one instant")
                    // Each assignment after the first replaced one that was closed (a reassignment).
                    let closed = timeline.assignments.filter { $0.unassignedAt != nil }.count
                    #expect(closed == timeline.assignments.count - 1)
                }
                let repeatedAlerts = try await sql.rows(
                    """
                    SELECT lead_id, kind, created_at FROM alerts GROUP BY lead_id, kind, created_at HAVING COUNT(*) > 1
                    """)
                #expect(repeatedAlerts.isEmpty, "an SLA step raised its alert twice")
                let escalations = alerts.filter { Self.escalationKinds.contains($0.kind) }.count
                let reassigned = try await sql.row("SELECT COUNT(*) AS n FROM assignments WHERE unassigned_at IS NOT NULL")?.int("n") ?? 0
                #expect(escalations > 0 && reassigned > 0, "the scenario must escalate and reassign, or it checks nothing")

                // Round-robin: every first routing of a lead was one turn between the two reps
                // (a reassignment excludes the rep, leaving one candidate: no turn). Turns are
                // saved by compare-and-swap, so the revision counts them all and the reps
                // alternate; a turn handed out twice would break either.
                let firsts = try await sql.rows(
                    """
                    SELECT DISTINCT ON (lead_id) lead_id, rep_id FROM assignments ORDER BY lead_id, assigned_at, id
                    """
                ).map { try $0.optionalText("rep_id") }
                #expect(firsts.allSatisfy { $0 != nil }, "every first assignment went to a rep")
                let perRep = Dictionary(grouping: firsts.compactMap { $0 }, by: { $0 }).mapValues(\.count)
                let router = try #require(try await store.routerState(name: "default"))
                #expect(router.revision == Int64(leads))
                #expect(abs((perRep["ana"] ?? 0) - (perRep["kai"] ?? 0)) <= 1, "\(perRep)")
            }
        }
    }

    /// Tokens live in the store and nothing caches them: issued on one instance, a token
    /// authenticates on the other at once; revoked there, the first refuses it at once.
    @Test func aTokenIssuedOnOneInstanceWorksOnTheOtherAndARevokeCountsEverywhere() async throws {
        try await withTwoInstances { one, two, admin, _ in
            let made = try #require(await one.post("/tokens", token: admin, body: Self.json(["name": "bi", "role": "marketing"])))
            #expect(made.status == 201)
            let body = try #require(try JSONSerialization.jsonObject(with: made.body) as? [String: Any])
            #expect(Set(body.keys) == ["name", "role", "token", "expires_at"])
            #expect(body["expires_at"] is NSNull, "issued without an expiry")
            let token = try #require(body["token"] as? String)
            #expect(await two.request("GET", "/models", token: token)?.status == 200)
            #expect(await one.request("GET", "/models", token: token)?.status == 200)
            // The same name cannot be issued on the other instance.
            let clash = try #require(await two.post("/tokens", token: admin, body: Self.json(["name": "bi", "role": "sales"])))
            #expect(clash.status == 409)
            let listed = try #require(await two.request("GET", "/tokens", token: admin))
            let names = ((try JSONSerialization.jsonObject(with: listed.body) as? [String: Any])?["tokens"] as? [[String: Any]] ?? []).compactMap {
                $0["name"] as? String
            }
            #expect(names == ["admin", "bi"])
            #expect(await two.request("DELETE", "/tokens/bi", token: admin)?.status == 204)
            #expect(await one.request("GET", "/models", token: token)?.status == 401)
            #expect(await two.request("GET", "/models", token: token)?.status == 401)
            #expect(await one.request("DELETE", "/tokens/bi", token: admin)?.status == 404)
        }
    }
}
