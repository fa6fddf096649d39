import BatonSupport
import Foundation
import HandoffPersistence
import PostgresNIO

/// The hand-off store on PostgreSQL (postgres-nio, a pooled `PostgresClient`), for several
/// `baton serve` instances sharing one database.
///
/// Same protocol, tables, columns and named migrations as ``SQLiteHandoffStore``; what SQLite
/// gets from having one writer, this store gets from the database:
/// - one transaction per unit of work (`BEGIN … COMMIT`, READ COMMITTED);
/// - idempotency by UNIQUE constraints and `ON CONFLICT DO NOTHING`, checked inside the
///   transaction, so an event is stored once whichever instance receives it;
/// - SLA timer claims by `SELECT … FOR UPDATE SKIP LOCKED` plus a lease, so each step fires once;
/// - router state saved by compare-and-swap on its revision column (a conditional `UPDATE`),
///   so a round-robin turn is never handed out twice;
/// - at most one open assignment per lead and one production model by partial unique indexes.
///
/// Connection loss: reads are retried with exponential backoff; a unit of work is not retried
/// once it started (the caller decides), and fails with ``StoreError/unavailable(server:operation:reason:)``
/// saying whether it certainly did not commit. Nothing is ever half-written.
///
/// ```swift
/// let store = try await PostgresHandoffStore.open(PostgresLocation.parse("postgres://baton@127.0.0.1:5432/baton"))
/// defer { Task { await store.close() } }
/// ```
package final class PostgresHandoffStore: HandoffStore {
    /// Pool and retry settings.
    package struct Options: Sendable {
        /// Connections in the pool (per service instance).
        package var maximumConnections = 8
        /// How long opening one connection may take, in seconds.
        package var connectTimeoutSeconds = 5.0
        /// How long a request waits for a pooled connection before it fails as unavailable, in seconds.
        package var leaseTimeoutSeconds = 10.0
        /// How long one read may take in all (waiting for a connection, its statements, decoding)
        /// before it is given up as a lost connection and retried, in seconds. Keep it above
        /// ``leaseTimeoutSeconds``. It bounds a read whose connection the server closed without
        /// the client noticing, which would otherwise wait for ever.
        package var readTimeoutSeconds = 120.0
        /// Extra attempts for a read after a lost connection (and for a unit whose BEGIN failed).
        package var retries = 3
        /// First backoff delay in seconds; doubled after each failed attempt.
        package var retryDelaySeconds = 0.1
        /// Extra runs of a transaction the server rolled back as a deadlock's victim or a
        /// serialization failure (instances writing the same rows in different orders).
        package var conflictRetries = 8

        package init() {}
    }

    /// The schema version this build writes (the number of migrations, as in SQLite).
    package static var schemaVersion: Int { PostgresSchema.version }

    /// Where the store lives (no password in its description).
    package let location: PostgresLocation
    let options: Options
    let client: PostgresClient
    private let runner: Task<Void, Never>

    var server: String { location.description }

    private init(location: PostgresLocation, options: Options, client: PostgresClient) {
        self.location = location
        self.options = options
        self.client = client
        self.runner = Task { await client.run() }
    }

    /// Connects, refuses a schema from a newer Baton, runs missing migrations, and starts the pool.
    ///
    /// - Throws: ``StoreError/unavailable(server:operation:reason:)`` when the server cannot be
    ///   reached (the message names host and port), ``StoreError/cannotOpen(path:reason:)`` for a
    ///   refused login or a missing database, and
    ///   ``StoreError/schemaFromNewerBaton(path:databaseVersion:supportedVersion:unknownMigrations:)``.
    package static func open(_ location: PostgresLocation, options: Options = Options()) async throws(StoreError) -> PostgresHandoffStore {
        try await open(location, options: options, migrateUpTo: PostgresSchema.version)
    }

    /// Opens the store migrated only up to `migrateUpTo` migrations (upgrade tests).
    static func open(_ location: PostgresLocation, options: Options, migrateUpTo: Int) async throws(StoreError) -> PostgresHandoffStore {
        let tls = try makeTLS(location)
        try await PostgresMigrator.migrate(location, tls: tls, options: options, upTo: migrateUpTo)
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: location.password, database: location.database, tls: tls.client)
        configuration.options.maximumConnections = options.maximumConnections
        configuration.options.connectTimeout = .milliseconds(Int64((options.connectTimeoutSeconds * 1000).clampedInt(in: 1...86_400_000)))
        configuration.options.additionalStartupParameters = [("application_name", "baton")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: quietLogger)
        return PostgresHandoffStore(location: location, options: options, client: client)
    }

    /// Stops the pool and closes its connections; later calls fail as unavailable.
    package func close() async {
        runner.cancel()
        _ = await runner.value
    }

    deinit { runner.cancel() }

    /// The migrations recorded in the database, in the order they ran.
    package func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("reading the applied migrations") { sql in
            try await sql.rows("SELECT name FROM schema_migrations ORDER BY name").map { try $0.text("name") }
        }
    }

    // MARK: TLS

    struct TLSChoice {
        let client: PostgresClient.Configuration.TLS
        let connection: PostgresConnection.Configuration.TLS
    }

    private static func makeTLS(_ location: PostgresLocation) throws(StoreError) -> TLSChoice {
        switch location.tls {
        case .disable:
            return TLSChoice(client: .disable, connection: .disable)
        case .prefer, .require:
            let tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: tlsConfiguration)
            } catch {
                throw .cannotOpen(path: location.description, reason: "cannot set up TLS (\(error)); use ?sslmode=disable on a trusted network")
            }
            return location.tls == .prefer
                ? TLSChoice(client: .prefer(tlsConfiguration), connection: .prefer(context))
                : TLSChoice(client: .require(tlsConfiguration), connection: .require(context))
        }
    }

    // MARK: Plumbing shared by the read and write files

    /// Runs `body` on a pooled connection, failing as unavailable if none arrives in time.
    ///
    /// Either the lease or the deadline wins, never both (``LeaseRace``): a connection that
    /// arrives after the deadline runs nothing, and once `body` has started the deadline no
    /// longer applies, so a unit that ran is never reported as "no connection became available".
    private func withLease<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let race = LeaseRace()
        let timeout = options.leaseTimeoutSeconds
        let client = self.client
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await client.withConnection { connection in
                    guard race.lease() else { throw LeaseTimeout(seconds: timeout) }
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64((timeout * 1e9).clampedInt(in: 0...Int.max)))
                if race.expire() { throw LeaseTimeout(seconds: timeout) }
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw LeaseTimeout(seconds: timeout)
        }
    }

    /// A read: retried with exponential backoff after a lost connection, and after
    /// ``Options/readTimeoutSeconds`` without an answer (``ReadDeadline``).
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (SQL) async throws -> T) async throws(StoreError) -> T {
        var delay = options.retryDelaySeconds
        var attempt = 0
        while true {
            do {
                return try await ReadDeadline.run(seconds: options.readTimeoutSeconds) {
                    try await self.withLease { connection in try await body(SQL(connection: connection)) }
                }
            } catch {
                guard PostgresErrors.isConnectionLoss(error), attempt < options.retries else {
                    throw PostgresErrors.classify(error, operation: operation, server: server)
                }
            }
            attempt += 1
            try? await Task.sleep(nanoseconds: UInt64((delay * 1e9).clampedInt(in: 0...Int.max)))
            delay *= 2
        }
    }

    /// One transaction: BEGIN, `body`, COMMIT; ROLLBACK when `body` throws. Retried when the
    /// connection failed before BEGIN was acknowledged (nothing of it reached the server), and
    /// when the server rolled it back as a deadlock's victim or a serialization failure (SQLSTATE
    /// 40P01, 40001: nothing of it is stored, and PostgreSQL's manual says to retry it).
    func transaction<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (SQL) async throws -> T) async throws(StoreError) -> T {
        var delay = options.retryDelaySeconds
        var attempt = 0
        var conflicts = 0
        while true {
            let phase = PhaseBox()
            do {
                return try await withLease { connection in
                    let sql = SQL(connection: connection)
                    try await sql.execute("BEGIN")
                    phase.set(.running)
                    let value: T
                    do {
                        value = try await body(sql)
                    } catch {
                        // A failed statement aborts the transaction; ROLLBACK ends it so the pooled
                        // connection is clean. If the connection is gone, the server rolled back already.
                        try? await sql.execute("ROLLBACK")
                        throw error
                    }
                    phase.set(.committing)
                    try await sql.execute("COMMIT")
                    return value
                }
            } catch {
                let at = phase.value
                if PostgresErrors.isTransactionConflict(error), conflicts < options.conflictRetries {
                    // The server chose this transaction as a deadlock's victim (or could not
                    // serialize it) and rolled it back whole: run it again, after a random pause so
                    // the contenders do not meet in step again.
                    conflicts += 1
                    let pause = options.retryDelaySeconds * Double(1 << min(conflicts, 6)) * Double.random(in: 0.1...1)
                    try? await Task.sleep(nanoseconds: UInt64((pause * 1e9).clampedInt(in: 0...Int.max)))
                    continue
                }
                guard PostgresErrors.isConnectionLoss(error), at == .beginning, attempt < options.retries else {
                    throw PostgresErrors.classify(error, operation: operation, server: server, phase: at)
                }
            }
            attempt += 1
            try? await Task.sleep(nanoseconds: UInt64((delay * 1e9).clampedInt(in: 0...Int.max)))
            delay *= 2
        }
    }
}

/// Who came first for one lease: the connection or the deadline. Exactly one of ``lease()`` and
/// ``expire()`` returns true.
final class LeaseRace: @unchecked Sendable {
    private enum State { case waiting, leased, expired }
    private let lock = NSLock()
    private var state = State.waiting

    /// True when the connection came before the deadline (the body may run).
    func lease() -> Bool { settle(.leased) }
    /// True when the deadline came before the connection (the caller is told so).
    func expire() -> Bool { settle(.expired) }

    private func settle(_ outcome: State) -> Bool {
        lock.withLock {
            guard state == .waiting else { return false }
            state = outcome
            return true
        }
    }
}

/// The phase a transaction reached, read after its task ends.
final class PhaseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var phase = TransactionPhase.beginning

    func set(_ new: TransactionPhase) { lock.withLock { phase = new } }
    var value: TransactionPhase { lock.withLock { phase } }
}
