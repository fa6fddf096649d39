import Foundation
import HandoffPersistence
import HandoffStores
import PostgresTestSupport
import Testing

@testable import HandoffPostgres
@testable import HandoffSQLite

/// Issue 8's bad input on PostgreSQL: a server that is not there, a database that does not
/// exist, a schema from a newer Baton, a connection killed in the middle of a transaction.
@Suite struct PostgresBadInputTests {
    /// A loopback port nothing listens on: bind one, note it, close it.
    private static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else { throw CocoaError(.fileReadUnknown) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func unreachableServerAtStartNamesHostAndPort() async throws {
        let port = try Self.closedPort()
        let location = try PostgresLocation.parse("postgres://baton@127.0.0.1:\(port)/baton?sslmode=disable")
        var options = PostgresHandoffStore.Options()
        options.connectTimeoutSeconds = 2
        // It must fail (not wait forever on the pool's retries); how fast is not asserted: tests
        // carry no timings, and a loaded CI machine once took 88 s to schedule this task.
        let error = await #expect(throws: StoreError.self) { try await PostgresHandoffStore.open(location, options: options) }
        guard case let .unavailable(server, operation, reason) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(server == "postgres://baton@127.0.0.1:\(port)/baton")
        #expect(operation == "opening the store")
        #expect(reason.contains("127.0.0.1:\(port)"))
        let message = error?.description ?? ""
        #expect(message.contains("pg_isready") && message.contains("127.0.0.1:\(port)"))
    }

    @Test func urlsAreParsedStrictlyAndNeverPrintThePassword() throws {
        let location = try PostgresLocation.parse(
            "postgresql://sales%40eu:s3cr%2Ft@db.internal:6543/baton_prod?sslmode=require",
            environment: [:])
        #expect(
            location
                == PostgresLocation(
                    host: "db.internal", port: 6543, user: "sales@eu", password: "s3cr/t",
                    database: "baton_prod", tls: .require))
        #expect(location.description == "postgres://sales@eu@db.internal:6543/baton_prod")
        #expect(!location.description.contains("s3cr"))
        let defaults = try PostgresLocation.parse("postgres://localhost/baton", environment: ["PGPASSWORD": "pw"])
        #expect(defaults.port == 5432 && defaults.user == "postgres" && defaults.password == "pw" && defaults.tls == .prefer)
        for (bad, field) in [
            ("postgres://host:5432/", "database"), ("postgres://h/db?sslmode=maybe", "sslmode"),
            ("postgres://h/db?pool=3", "pool"), ("postgres:///db", "host"),
        ] {
            let error = #expect(throws: StoreError.self) { try PostgresLocation.parse(bad, environment: [:]) }
            guard case .invalidField(_, let named, _) = error else {
                Issue.record("\(bad): got \(String(describing: error))")
                continue
            }
            #expect(named == field, "\(bad)")
        }
        #expect(try StoreLocation.parse("/var/lib/baton/store.sqlite") == .sqlite(path: "/var/lib/baton/store.sqlite"))
        #expect(
            try StoreLocation.parse("postgres://u@h:1/d?sslmode=disable")
                == .postgres(PostgresLocation(host: "h", port: 1, user: "u", database: "d", tls: .disable)))
    }

    @Test(.enabled(if: ScratchPostgres.isExpected))
    func missingDatabaseSaysToCreateIt() async throws {
        let location = try ScratchPostgres.adminLocation().with(database: "baton_no_such_database")
        let error = await #expect(throws: StoreError.self) {
            try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
        }
        guard case let .cannotOpen(path, reason) = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(path == location.description)
        #expect(reason.contains("does not exist") && reason.contains("createdb"))
    }

    @Test(.enabled(if: ScratchPostgres.isExpected))
    func refusesASchemaFromANewerBaton() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            let store = try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            try await store.upsertLead(Sample.lead("L1"))
            await store.close()
            // Pretend a newer Baton added two migrations after this build's last one.
            let known = SQLiteHandoffStore.migrationNames.count
            let newer = [String(format: "%04d-rep-skills", known + 1), String(format: "%04d-lead-merges", known + 2)]
            try await ScratchPostgres.run(
                location,
                [
                    "INSERT INTO schema_migrations (name, applied_at) VALUES ('\(newer[0])', 0), ('\(newer[1])', 0)"
                ])
            let error = await #expect(throws: StoreError.self) {
                try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            }
            #expect(
                error
                    == .schemaFromNewerBaton(
                        path: location.description, databaseVersion: known + 2, supportedVersion: known,
                        unknownMigrations: newer))
            #expect(error?.description.contains("Upgrade Baton") == true)
            // Refused before anything was written: the migrations and the lead are as they were.
            let (names, leads) = try await ScratchPostgres.withConnection(location) { sql in
                (
                    try await sql.rows("SELECT name FROM schema_migrations ORDER BY name").map { try $0.text("name") },
                    try await sql.row("SELECT COUNT(*) AS n FROM leads")?.int("n")
                )
            }
            #expect(names == SQLiteHandoffStore.migrationNames + newer)
            #expect(leads == 1)
        }
    }

    /// The unit blocks on a row lock held by a second connection after its event, score and
    /// decision are written; that connection then terminates the unit's backend. Nothing of the
    /// unit may remain, the error says it did not commit, and the store recovers for the retry.
    @Test(
        .enabled(if: ScratchPostgres.isExpected && ProcessInfo.processInfo.environment["BATON_TEST_PG_KILL"] != nil),
        .disabled(
            if: ProcessInfo.processInfo.environment["BATON_TEST_PG_KILL"] == nil,
            "opt-in (BATON_TEST_PG_KILL=1): in about one run in three the terminated backend's request is never failed by postgres-nio and the test hangs"
        ))
    func connectionKilledMidTransactionLeavesNoPartialRows() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            let store = try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            defer { Task { await store.close() } }
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("r1"))
            try await store.apply(.saveRouterState(name: "default", state: .emptyObject, expectedRevision: 0, at: T.base))
            let before = try await store.counts()
            let unit = UnitOfWork(
                trigger: .appendEvent(Sample.event("evt-1", lead: "L1")),
                then: [
                    .recordScore(Sample.score(lead: "L1")),
                    .recordDecision(Sample.decision(lead: "L1")),
                    .openAssignment(Sample.assignment(lead: "L1", rep: "r1")),
                    .saveRouterState(name: "default", state: try JSONText(encoding: ["r1": 1]), expectedRevision: 1, at: T.minutes(3)),
                ])

            let outcome = try await ScratchPostgres.withConnection(location) { blocker in
                try await blocker.execute("BEGIN")
                try await blocker.execute("SELECT 1 FROM router_states WHERE name = 'default' FOR UPDATE")
                let commit = Task { () -> Result<UnitResult, StoreError> in
                    do throws(StoreError) { return .success(try await store.commit(unit)) } catch { return .failure(error) }
                }
                // Wait until the unit's backend is blocked on the router row (its earlier inserts done).
                var victim: Int64?
                for _ in 0..<200 where victim == nil {
                    victim = try await blocker.row(
                        """
                        SELECT pid::bigint AS pid FROM pg_stat_activity
                        WHERE datname = current_database() AND application_name = 'baton' AND wait_event_type = 'Lock'
                        """)?.int64("pid")
                    if victim == nil { try await Task.sleep(nanoseconds: 50_000_000) }
                }
                let pid = try #require(victim, "the unit never blocked on the router row")
                let inFlight = try await blocker.row(
                    """
                    SELECT COUNT(*) AS n FROM pg_locks WHERE pid = $1 AND locktype = 'transactionid' AND granted
                    """, [.int(pid)])?.int("n")
                #expect(inFlight == 1, "the victim holds an open transaction with writes")
                #expect(try await blocker.row("SELECT pg_terminate_backend($1::int) AS ok", [.int(pid)])?.bool("ok") == true)
                // The unit must fail promptly once its backend is gone. Should it not (a busy
                // machine once showed a hang here), release the row lock after a deadline so the
                // test fails instead of blocking the whole run.
                let finished = FinishedFlag()
                let watched = Task { () -> Result<UnitResult, StoreError> in
                    let result = await commit.value
                    await finished.set()
                    return result
                }
                for _ in 0..<600 where !(await finished.value) { try await Task.sleep(nanoseconds: 50_000_000) }
                let finishedInTime = await finished.value
                try await blocker.execute("ROLLBACK")
                let result = await watched.value
                #expect(finishedInTime, "the unit did not fail within 30 s of its backend being terminated")
                return result
            }

            guard case let .failure(.unavailable(server, _, reason)) = outcome else {
                Issue.record("expected unavailable, got \(outcome)")
                return
            }
            #expect(server == location.description)
            #expect(reason.contains("did not commit"), "\(reason)")
            #expect(try await store.counts() == before, "no partial rows")
            // The pool replaces the dead connection; the retried delivery commits in full.
            guard case let .committed(outcomes) = try await store.commit(unit) else {
                Issue.record("the retry should commit")
                return
            }
            #expect(outcomes.count == 5)
            let after = try await store.counts()
            #expect(after.events == 1 && after.scores == 1 && after.decisions == 1 && after.assignments == 1)
            #expect(try await store.routerState(name: "default")?.revision == 2)
        }
    }

    /// Every pooled connection is terminated between two reads; the second read is retried
    /// on a fresh connection and succeeds.
    @Test(.enabled(if: ScratchPostgres.isExpected))
    func readsAreRetriedAfterLostConnections() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            let store = try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            defer { Task { await store.close() } }
            try await store.upsertLead(Sample.lead("L1"))
            #expect(try await store.counts().leads == 1)
            let killed = try await ScratchPostgres.withConnection(location) { sql in
                try await sql.rows(
                    """
                    SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'baton'
                    """
                ).count
            }
            #expect(killed >= 1)
            #expect(try await store.lead(id: "L1") == Sample.lead("L1"))
            #expect(try await store.counts().leads == 1)
        }
    }
}

/// Set once by the task that saw the unit finish.
private actor FinishedFlag {
    private(set) var value = false
    func set() { value = true }
}
