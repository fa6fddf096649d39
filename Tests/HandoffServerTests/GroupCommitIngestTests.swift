import Foundation
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Group commit through `POST /events`: concurrent ingests share transactions, a lead's events
/// keep their order and see each other's effects, and an event id sent twice at once is stored once.
///
/// A test holds a group's window open with an announcement of its own that never commits
/// (`groupCommit.enter()`), so events sent within the window land in one group whatever the
/// machine's speed; no time is measured.
@Suite struct GroupCommitIngestTests {
    static func created(_ i: Int, id: String? = nil, region: String = "na") -> [String: Any] {
        ServiceFixture.event(
            id ?? "c-\(i)", "lead_created", lead: "G\(i)", at: "2026-03-02T10:00:00Z",
            ["fields": ["company_size": i % 2 == 0 ? "1000+" : "1-10", "budget_authority": "no", "region": region, "email_opens": i % 5]])
    }

    /// Posts one event; the answer's status and body text.
    static func post(_ client: some TestClientProtocol, _ token: String?, _ event: ByteBuffer) async throws -> (HTTPResponse.Status, String) {
        let r = try await client.execute(uri: "/events", method: .post, headers: ServiceFixture.auth(token), body: event)
        return (r.status, String(buffer: r.body))
    }

    static func body(_ event: [String: Any]) -> ByteBuffer { ServiceFixture.body(event) }

    @Test func concurrentIngestsOfManyLeadsShareCommits() async throws {
        let running = try await ServiceFixture.service { $0.groupCommitWindowMilliseconds = 1000 }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let token = running.tokens[.ingest]
        let hold = await running.service.groupCommit.enter()
        try await app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { tasks in
                for i in 0..<48 { tasks.addTask { try await Self.post(client, token, Self.body(Self.created(i))).0 } }
                var all: [HTTPResponse.Status] = []
                for try await status in tasks {
                    all.append(status)
                    // Once some are answered, let the rest close their groups without the window.
                    if all.count == 1 { await running.service.groupCommit.leave(hold) }
                }
                return all
            }
            #expect(statuses.count == 48 && statuses.allSatisfy { $0 == .created }, "\(statuses)")
        }
        await running.service.groupCommit.leave(hold)
        let statistics = await running.service.groupCommit.statistics
        #expect(statistics.units == 48)
        #expect(statistics.largestGroup > 1, "no two concurrent events shared a commit: \(statistics)")
        #expect(statistics.groups < 48)
        let counts = try await running.service.store.counts()
        #expect(counts.leads == 48 && counts.events == 48 && counts.scores == 48)
    }

    /// The second event of a lead, sent while the first waits for its group's commit, waits for
    /// that commit and is computed on its effects: without the per-lead turn it would read a
    /// store without the lead and be refused as `unknown_lead`.
    @Test func aLeadsEventsKeepTheirOrderAndSeeEachOthersEffects() async throws {
        let running = try await ServiceFixture.service { $0.groupCommitWindowMilliseconds = 400 }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let token = running.tokens[.ingest]
        let group = running.service.groupCommit
        let hold = await group.enter()
        try await app.test(.router) { client in
            let createdBody = Self.body(Self.created(1))
            async let first = Self.post(client, token, createdBody)
            // Sent once the first is in its group (its unit arrived: the group counts it).
            // (If the machine is so slow that the window ended first, the order still holds; the
            // test then only proves less.)
            while await group.pendingUnits == 0, await group.statistics.units == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let opens = Self.body(
                ServiceFixture.event("o-1", "engagement", lead: "G1", at: "2026-03-02T10:05:00Z", ["event_type": "email_open", "content": "Pricing"]))
            async let second = Self.post(client, token, opens)
            let (a, b) = try await (first, second)
            await group.leave(hold)
            #expect(a.0 == .created, "\(a.1)")
            #expect(b.0 == .created, "\(b.1)")
        }
        await group.leave(hold)
        let timeline = try #require(try await running.service.store.leadTimeline(leadID: "G1"))
        #expect(timeline.events.map(\.id) == ["c-1", "o-1"])
        // The engagement's score counts the open on top of the created lead's: one open = +0.05 log-odds.
        #expect(timeline.scores.count == 2)
        if timeline.scores.count == 2 { #expect(timeline.scores[1].probability > timeline.scores[0].probability) }
        #expect(await group.statistics.largestGroup == 1, "a lead's two events must not share a group")
    }

    /// The same event id twice at once: for the same lead the second is a duplicate, for another
    /// lead (other content) a 409; stored once either way. (Two `lead_created` with one id for two
    /// leads, computed at once and committed in one group, would both be stored: the journal row
    /// cannot lead a unit that creates its lead. The id's turn keeps them apart.)
    @Test func anEventIDSentTwiceAtOnceIsStoredOnce() async throws {
        let running = try await ServiceFixture.service { $0.groupCommitWindowMilliseconds = 1000 }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let token = running.tokens[.ingest]
        let group = running.service.groupCommit
        let hold = await group.enter()
        try await app.test(.router) { client in
            let same = Self.body(Self.created(1, id: "same"))
            let other2 = Self.body(Self.created(2, id: "other"))
            let other3 = Self.body(Self.created(3, id: "other"))
            async let a = Self.post(client, token, same)
            async let b = Self.post(client, token, same)
            async let c = Self.post(client, token, other2)
            async let d = Self.post(client, token, other3)
            // The first "same" and the first "other" reach the group; each second one waits for
            // its first's commit (the id's turn), then reads it. A group closes one window (at
            // most 1 s) after its first unit even while a caller is announced, so when the whole
            // suite starves the requests on 2 cores and they arrive further apart, each is
            // committed alone: the grouping is then not this run's to check (the outcome is).
            let deadline = ContinuousClock.now + .seconds(10)
            while await group.pendingUnits < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            let grouped = await group.pendingUnits >= 2
            await group.leave(hold)
            let results = try await [a, b, c, d]
            #expect(results[0...1].map(\.0).sorted { $0.code < $1.code } == [.ok, .created], "\(results[0...1].map(\.1))")
            #expect(results[2...3].map(\.0).sorted { $0.code < $1.code } == [.created, .conflict], "\(results[2...3].map(\.1))")
            if grouped { #expect(await group.statistics.largestGroup >= 2) }
        }
        await group.leave(hold)
        let counts = try await running.service.store.counts()
        #expect(counts.events == 2 && counts.leads == 2 && counts.scores == 2)
    }

    @Test func groupCommitSettingsAreChecked() throws {
        var c = ServiceConfiguration()
        c.db = "x.sqlite"
        c.groupCommitMaxEvents = 0
        #expect(throws: ServiceError.self) { try c.validated() }
        c.groupCommitMaxEvents = 1
        c.groupCommitWindowMilliseconds = .nan
        #expect(throws: ServiceError.self) { try c.validated() }
        c.groupCommitWindowMilliseconds = -1
        #expect(throws: ServiceError.self) { try c.validated() }
        c.groupCommitWindowMilliseconds = 0.5
        #expect(try c.validated().groupCommitSettings == .init(maxUnits: 1, window: .microseconds(500)))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gc-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"db": "x.sqlite", "group_commit_max_events": 64, "group_commit_window_ms": 5}"#.write(to: file, atomically: true, encoding: .utf8)
        let loaded = try ServiceConfiguration.load(file: file.path)
        #expect(loaded.groupCommitMaxEvents == 64 && loaded.groupCommitWindowMilliseconds == 5)
        var env = loaded
        try env.applyEnvironment(["BATON_GROUP_COMMIT_MAX_EVENTS": "8", "BATON_GROUP_COMMIT_WINDOW_MS": "0"])
        #expect(env.groupCommitSettings == .init(maxUnits: 8, window: .zero))
    }
}
