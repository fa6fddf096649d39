import BatonSupport
import Foundation
import HandoffPersistence
import PostgresNIO

/// Opens one direct connection (so an unreachable server fails fast with its host and port,
/// instead of waiting on the pool's retries), refuses a newer schema, and migrates.
enum PostgresMigrator {
    static func migrate(
        _ location: PostgresLocation, tls: PostgresHandoffStore.TLSChoice,
        options: PostgresHandoffStore.Options, upTo last: Int
    ) async throws(StoreError) {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: location.password, database: location.database,
            tls: tls.connection)
        configuration.options.connectTimeout = .milliseconds(Int64((options.connectTimeoutSeconds * 1000).clampedInt(in: 1...86_400_000)))
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quietLogger)
        } catch {
            throw connectError(error, location)
        }
        defer { Task { try? await connection.close() } }
        let sql = SQL(connection: connection)
        let server = location.description
        do {
            try await refuseNewerSchema(sql, location)
            try await sql.execute("BEGIN")
            do {
                // Instances starting together take turns; the second finds the work done.
                try await sql.execute("SELECT pg_advisory_xact_lock($1)", [.int(PostgresSchema.migrationLockKey)])
                try await sql.execute(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        name text COLLATE "C" PRIMARY KEY,
                        applied_at bigint NOT NULL
                    )
                    """)
                // Again under the lock: a newer instance may have migrated since the first look.
                try await refuseNewerSchema(sql, location)
                let applied = Set(try await sql.rows("SELECT name FROM schema_migrations").map { try $0.text("name") })
                for migration in PostgresSchema.migrations.prefix(last) where !applied.contains(migration.name) {
                    for statement in migration.statements { try await sql.execute(statement) }
                    try await sql.execute(
                        "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
                        [.text(migration.name), .date(Date())])
                }
            } catch {
                try? await sql.execute("ROLLBACK")
                throw error
            }
            try await sql.execute("COMMIT")
        } catch {
            throw PostgresErrors.classify(error, operation: "migrating the store", server: server, phase: .running)
        }
    }

    private static func refuseNewerSchema(_ sql: SQL, _ location: PostgresLocation) async throws {
        let table = try await sql.row("SELECT to_regclass('schema_migrations')::text AS name")
        guard try table?.optionalText("name") != nil else { return }
        let applied = try await sql.rows("SELECT name FROM schema_migrations").map { try $0.text("name") }
        let known = Set(PostgresSchema.migrations.map(\.name))
        let unknown = applied.filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        let newest = applied.compactMap(PostgresSchema.version(ofMigration:)).max() ?? PostgresSchema.version + 1
        throw StoreError.schemaFromNewerBaton(
            path: location.description, databaseVersion: max(newest, PostgresSchema.version + 1),
            supportedVersion: PostgresSchema.version, unknownMigrations: unknown)
    }

    /// Unreachable server → unavailable (host and port named); refused login or missing
    /// database → cannot open, with what to fix.
    static func connectError(_ error: any Error, _ location: PostgresLocation) -> StoreError {
        let server = location.description
        if let psql = error as? PSQLError, psql.code == .server, let info = psql.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "refused"
            switch state {
            case "28P01", "28000":
                return .cannotOpen(
                    path: server,
                    reason:
                        "the server refused the login (\(message)); check the user and password (in the URL, PGPASSWORD, or the password file PGPASSFILE or ~/.pgpass, mode 0600)"
                )
            case "3D000":
                return .cannotOpen(
                    path: server,
                    reason:
                        "database '\(location.database)' does not exist (\(message)); create it first (createdb -h \(location.host) -p \(location.port) -U \(location.user) \(location.database))"
                )
            default:
                if PostgresErrors.isConnectionLoss(error) { break }
                return .cannotOpen(path: server, reason: "\(state): \(message)")
            }
        }
        return .unavailable(
            server: server, operation: "opening the store",
            reason: "cannot connect to \(location.host):\(location.port) (\(PostgresErrors.connectionReason(error))); nothing was written")
    }
}
