import Foundation
import HandoffPersistence
@testable import HandoffPostgres
import HandoffStores
import PostgresNIO
import Testing

/// The PostgreSQL server of the multi-instance tests: `BATON_TEST_POSTGRES_URL` (set by
/// `scripts/postgres.sh start`, which `scripts/test.sh` runs). Each test gets a database of its
/// own, created before and dropped after.
enum ScratchPostgres {
    static var url: String? {
        guard let url = ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    static let skipNote: Comment = "BATON_TEST_POSTGRES_URL is not set, so the multi-instance service tests are skipped; run `eval \"$(bash scripts/postgres.sh start)\"` first (scripts/test.sh does)"

    /// A `--db` URL for `location` (the test server trusts local connections: no password).
    static func url(of location: PostgresLocation) -> String {
        "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)?sslmode=\(location.tls.rawValue)"
    }

    /// Creates an empty database, runs `body` with its location, and drops it whatever happens.
    static func withDatabase<T>(_ body: (PostgresLocation) async throws -> T) async throws -> T {
        let admin = try PostgresLocation.parse(try require(url, "BATON_TEST_POSTGRES_URL is not set"))
        let name = "baton_svc_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
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

    static func run(_ location: PostgresLocation, _ statements: [String]) async throws {
        try await withConnection(location) { sql in
            for statement in statements { try await sql.execute(statement) }
        }
    }

    /// One direct connection (not the store's pool), for checks the store has no read for.
    static func withConnection<T>(_ location: PostgresLocation, _ body: (SQL) async throws -> T) async throws -> T {
        let configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
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
}
