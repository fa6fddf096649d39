import Foundation
import GRDB
import HandoffPersistence
import HandoffStores
import PostgresTestSupport
import Testing

@testable import HandoffPostgres
@testable import HandoffSQLite

/// Two stores with separate pools on one database stand for two `baton serve` instances. What
/// SQLite gets from its single writer must here come from the database itself.
@Suite(.enabled(if: ScratchPostgres.isExpected))
struct PostgresMultiInstanceTests {
    private func withTwoInstances(_ body: (PostgresHandoffStore, PostgresHandoffStore, PostgresLocation) async throws -> Void) async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            // Both open at once: the migrations run once, under the advisory lock.
            async let first = PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            async let second = PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            let (a, b) = try await (first, second)
            do {
                try await body(a, b, location)
            } catch {
                await a.close()
                await b.close()
                throw error
            }
            await a.close()
            await b.close()
        }
    }

    @Test func migrationsMatchSQLiteTablesAndColumns() async throws {
        try await withTwoInstances { a, _, location in
            #expect(try await a.appliedMigrations() == SQLiteHandoffStore.migrationNames)
            let postgresColumns = try await ScratchPostgres.withConnection(location) { sql in
                Set(
                    try await sql.rows(
                        """
                        SELECT table_name || '.' || column_name AS c FROM information_schema.columns
                        WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
                        """
                    ).map { try $0.text("c") })
            }
            let sqliteColumns = try await withTemporaryDirectory { dir in
                let path = dir.appendingPathComponent("s.sqlite").path
                try SQLiteHandoffStore(path: path).close()
                let queue = try DatabaseQueue(path: path)
                defer { try? queue.close() }
                return try await queue.read { db in
                    Set(
                        try String.fetchAll(
                            db,
                            sql: """
                                SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
                                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name != 'grdb_migrations'
                                """))
                }
            }
            #expect(postgresColumns == sqliteColumns)
            #expect(postgresColumns.count > 90)
        }
    }

    @Test func eachUpgradeStepKeepsData() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            for step in 1...PostgresHandoffStore.schemaVersion {
                let store = try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions, migrateUpTo: step)
                if step == 1 { try await store.upsertLead(Sample.lead("L1")) }
                #expect(try await store.appliedMigrations() == Array(SQLiteHandoffStore.migrationNames.prefix(step)))
                #expect(try await store.lead(id: "L1") == Sample.lead("L1"), "step \(step) keeps step 1's lead")
                await store.close()
            }
        }
    }

    /// Both instances ingest the same 120 events (a load balancer retrying on the other
    /// instance), each as a full unit: event, score, decision, assignment, timer.
    @Test func overlappingDeliveriesAreStoredOnceAcrossInstances() async throws {
        try await withTwoInstances { a, b, _ in
            let leads = 40
            for i in 0..<leads { try await a.upsertLead(Sample.lead("L\(i)")) }
            try await a.upsertRep(Sample.rep("r1"))
            let units = (0..<leads).flatMap { i in
                [
                    Sample.ingest(event: "e\(i)-0", lead: "L\(i)", rep: "r1"),
                    UnitOfWork(trigger: .appendEvent(Sample.event("e\(i)-1", lead: "L\(i)")), then: [.recordScore(Sample.score(lead: "L\(i)"))]),
                    UnitOfWork(trigger: .appendEvent(Sample.event("e\(i)-2", lead: "L\(i)")), then: [.recordScore(Sample.score(lead: "L\(i)"))]),
                ]
            }
            let committed = try await withThrowingTaskGroup(of: Int.self) { group in
                for (instance, store) in [a, b].enumerated() {
                    for worker in 0..<3 {
                        group.addTask {
                            var stored = 0
                            // Every worker sends every unit, each from its own offset, so deliveries collide.
                            let offset = (instance * 3 + worker) * 19
                            for k in units.indices {
                                if case .committed = try await store.commit(units[(k + offset) % units.count]) { stored += 1 }
                            }
                            return stored
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(committed == units.count, "each unit committed exactly once")
            let counts = try await b.counts()
            #expect(counts.events == units.count && counts.scores == units.count)
            #expect(counts.assignments == leads && counts.timers == leads && counts.decisions == leads)
        }
    }

    @Test func timersAreClaimedOnceAcrossInstances() async throws {
        try await withTwoInstances { a, b, _ in
            try await a.upsertLead(Sample.lead("L1"))
            let timers = (0..<60).map { Sample.timer("L1/t\($0)", lead: "L1", due: T.minutes(Double($0 % 9))) }
            _ = try await a.commit(UnitOfWork(timers.map(WriteOperation.upsertTimer)))
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<8 {
                    let store = worker % 2 == 0 ? a : b
                    group.addTask {
                        var mine: [String] = []
                        for _ in 0..<60 {
                            let batch = try await store.claimDueTimers(
                                before: T.minutes(10), owner: "w\(worker)",
                                leaseUntil: T.minutes(11), limit: 2)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == timers.count)
            #expect(Set(claimed) == Set(timers.map(\.id)))
            // The lease holds across instances until it ends.
            #expect(try await b.claimDueTimers(before: T.minutes(10), owner: "late", leaseUntil: T.minutes(11), limit: 100).isEmpty)
            #expect(try await a.claimDueTimers(before: T.minutes(11), owner: "late", leaseUntil: T.minutes(12), limit: 100).count == 60)
        }
    }

    @Test func roundRobinTurnsAreNeverHandedOutTwiceAcrossInstances() async throws {
        struct Turns: Codable { var next: Int }
        try await withTwoInstances { a, b, _ in
            let taken = try await withThrowingTaskGroup(of: [Int].self) { group in
                for task in 0..<8 {
                    let store = task % 2 == 0 ? a : b
                    group.addTask {
                        var mine: [Int] = []
                        while mine.count < 10 {
                            let current = try await store.routerState(name: "default")
                            let turn = try current?.state.decode(Turns.self).next ?? 0
                            do {
                                try await store.apply(
                                    .saveRouterState(
                                        name: "default", state: try JSONText(encoding: Turns(next: turn + 1)),
                                        expectedRevision: current?.revision ?? 0, at: T.base))
                                mine.append(turn)
                            } catch StoreError.routerStateConflict {
                                continue
                            }
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(taken.sorted() == Array(0..<80))
            #expect(try await b.routerState(name: "default")?.revision == 80)
        }
    }

    /// A deadlock between an instance's unit and another session: the server rolls one back
    /// (SQLSTATE 40P01). The other session takes lead L1, the unit takes L2 and waits for L1, then
    /// the session waits for L2; the unit waited first, so its deadlock check (after
    /// `deadlock_timeout`) runs first and it is the victim. It must be run again and commit whole, not fail as "store unavailable".
    @Test func aDeadlockVictimIsRunAgainAndCommits() async throws {
        try await withTwoInstances { a, _, location in
            for lead in ["L1", "L2"] { try await a.upsertLead(Sample.lead(lead)) }
            try await ScratchPostgres.withConnection(location) { sql in
                try await sql.execute("BEGIN")
                _ = try await sql.rows("SELECT id FROM leads WHERE id = 'L1' FOR UPDATE")
                let unit = Task {
                    try await a.commit(
                        UnitOfWork([
                            .appendEvent(Sample.event("d-2", lead: "L2", at: T.base)), .appendEvent(Sample.event("d-1", lead: "L1", at: T.base)),
                        ]))
                }
                // Until the unit waits for L1 (it holds L2 by then): waiting first, it is checked first.
                let deadline = Date().addingTimeInterval(120)
                while Date() < deadline {
                    let waiting = try await ScratchPostgres.withConnection(location) { probe in
                        try await probe.rows(
                            "SELECT pid FROM pg_stat_activity WHERE application_name = 'baton' AND wait_event_type = 'Lock'"
                        ).count
                    }
                    if waiting > 0 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                do {
                    _ = try await sql.rows("SELECT id FROM leads WHERE id = 'L2' FOR UPDATE")
                    try await sql.execute("COMMIT")
                } catch {
                    // Should the server pick this session after all, it is the one rolled back.
                    try await sql.execute("ROLLBACK")
                }
                let result = try await unit.value
                #expect(!result.isDuplicate)
            }
            #expect(try await a.counts().events == 2)
        }
    }

    @Test func aLeadIsAssignedOnceWhenInstancesRace() async throws {
        try await withTwoInstances { a, b, _ in
            for rep in ["r1", "r2"] { try await a.upsertRep(Sample.rep(rep)) }
            for i in 0..<20 { try await a.upsertLead(Sample.lead("L\(i)")) }
            let results = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                for i in 0..<20 {
                    for (store, rep) in [(a, "r1"), (b, "r2"), (a, "r2"), (b, "r1")] {
                        group.addTask {
                            do {
                                try await store.apply(.openAssignment(Sample.assignment(lead: "L\(i)", rep: rep)))
                                return ("L\(i)", true)
                            } catch StoreError.leadAlreadyAssigned {
                                return ("L\(i)", false)
                            }
                        }
                    }
                }
                return try await group.reduce(into: [(String, Bool)]()) { $0.append($1) }
            }
            let winners = Dictionary(grouping: results.filter(\.1), by: \.0).mapValues(\.count)
            #expect(winners.count == 20 && winners.values.allSatisfy { $0 == 1 }, "\(winners)")
            #expect(try await b.openHandoffs(repID: nil).count == 20)
        }
    }

    @Test func concurrentPromotionsLeaveOneModelInProduction() async throws {
        try await withTwoInstances { a, b, _ in
            let shas = (1...6).map { String(format: "%064x", $0) }
            for (n, sha) in shas.enumerated() {
                _ = try await a.registerModel(
                    ModelUpload(
                        sha256: sha, format: "baton.weights/1", versionLabel: "v\(n)",
                        fileBytes: Data("{}".utf8), uploadedAt: T.minutes(Double(n))))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, sha) in shas.enumerated() {
                    let store = n % 2 == 0 ? a : b
                    group.addTask { try await store.promoteModel(sha256: sha, at: T.minutes(100)) }
                }
                try await group.waitForAll()
            }
            let deployments = try await b.deployments()
            #expect(deployments.count == 6)
            #expect(deployments.filter { $0.retiredAt == nil }.count == 1)
            #expect(try await a.models().filter(\.isInProduction).count == 1)
        }
    }

    /// Tokens are rows, read on every lookup: an issue or a revocation through one instance
    /// counts on the other at once.
    @Test func tokensIssuedOrRevokedOnOneInstanceCountOnTheOther() async throws {
        try await withTwoInstances { a, b, _ in
            let token = AccessTokenRecord(name: "crm", role: "ingest", sha256: String(repeating: "c", count: 64), createdAt: T.base)
            try await a.issueAccessToken(token)
            #expect(try await b.accessToken(sha256: token.sha256) == token)
            await #expect(throws: StoreError.self) { try await b.issueAccessToken(token) }
            #expect(try await b.revokeAccessToken(name: "crm"))
            #expect(try await a.accessToken(sha256: token.sha256) == nil)
            #expect(try await a.accessTokens().isEmpty)
        }
    }
}
