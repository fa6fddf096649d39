import Foundation
import HandoffPersistence
import HandoffPostgres
import PostgresNIO
import Testing

/// The scratch PostgreSQL server of every test that needs one (store, service, multi-instance):
/// `BATON_TEST_POSTGRES_URL`, set by `scripts/postgres.sh start` (which `scripts/test.sh` runs).
/// Each test gets a database of its own, created before and dropped after, so suites run in
/// parallel against one server.
///
/// One policy everywhere: without the URL the PostgreSQL tests are skipped with a note, except
/// under `CI=true`, where they run and fail (``NotConfigured``) — CI never skips them.
package enum ScratchPostgres {
    static let environment = ProcessInfo.processInfo.environment

    /// The admin URL (a database the tests may connect to in order to create and drop theirs).
    package static var url: String? {
        guard let url = environment["BATON_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    package static var isCI: Bool { ["true", "1"].contains(environment["CI"]?.lowercased() ?? "") }

    /// PostgreSQL tests run when a server is configured and must run (and fail) on CI.
    package static var isExpected: Bool {
        if url != nil || isCI { return true }
        notifySkipped
        return false
    }

    /// Why a suite was skipped (for `.enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)`).
    package static let skipNote: Comment =
        "BATON_TEST_POSTGRES_URL is not set, so the PostgreSQL tests are skipped; run `eval \"$(bash scripts/postgres.sh start)\"` first (scripts/test.sh does)"

    private static let notifySkipped: Void = {
        print(
            "note: BATON_TEST_POSTGRES_URL is not set, so the store tests run against SQLite only. "
                + "Run `eval \"$(bash scripts/postgres.sh start)\"` first (or scripts/test.sh) to include PostgreSQL.")
    }()

    package struct NotConfigured: Error, CustomStringConvertible {
        package var description: String {
            "CI=true but BATON_TEST_POSTGRES_URL is not set: the store suite must run against PostgreSQL on CI. "
                + "Start the test server with `eval \"$(bash scripts/postgres.sh start)\"` (scripts/test.sh does) before `swift test`."
        }
    }

    package static func adminLocation() throws -> PostgresLocation {
        guard let url else { throw NotConfigured() }
        return try PostgresLocation.parse(url)
    }

    /// A `--db` URL for `location` (the test server trusts local connections: no password).
    package static func url(of location: PostgresLocation) -> String {
        "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)?sslmode=\(location.tls.rawValue)"
    }

    /// Smaller pools than production: many tests run at once against one server.
    package static var testOptions: PostgresHandoffStore.Options {
        var options = PostgresHandoffStore.Options()
        options.maximumConnections = 4
        // The whole suite runs in parallel on two cores: a test's 16 writers may wait for one of
        // its 4 connections far longer than production ever should (the 10 s default).
        options.leaseTimeoutSeconds = 60
        options.readTimeoutSeconds = 90
        return options
    }

    /// Runs `sql` statements on one direct connection to `location`.
    package static func run(_ location: PostgresLocation, _ statements: [String]) async throws {
        try await withConnection(location) { sql in
            for statement in statements { try await sql.execute(statement) }
        }
    }

    /// One direct connection (not the store's pool), for checks the store has no read for.
    package static func withConnection<T>(_ location: PostgresLocation, _ body: (SQL) async throws -> T) async throws -> T {
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: location.password, database: location.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: quietLogger)
        do {
            let value = try await body(SQL(connection: connection))
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Creates an empty database, runs `body` with its location, and drops it whatever happens.
    package static func withEmptyDatabase<T>(_ body: (PostgresLocation) async throws -> T) async throws -> T {
        let admin = try adminLocation()
        let name = "baton_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await run(admin, ["CREATE DATABASE \(name)"])
        do {
            let value = try await body(admin.with(database: name))
            try await run(admin, ["DROP DATABASE \(name) WITH (FORCE)"])
            return value
        } catch {
            try? await run(admin, ["DROP DATABASE \(name) WITH (FORCE)"])
            throw error
        }
    }

    /// A migrated, empty store in a database of its own.
    package static func withEmptyStore<T>(_ body: (any HandoffStore) async throws -> T) async throws -> T {
        try await withEmptyDatabase { location in
            let store = try await PostgresHandoffStore.open(location, options: testOptions)
            do {
                let value = try await body(store)
                await store.close()
                return value
            } catch {
                await store.close()
                throw error
            }
        }
    }
}
