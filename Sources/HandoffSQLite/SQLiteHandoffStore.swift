import Foundation
import GRDB
import HandoffPersistence

/// The embedded hand-off store: one SQLite file through a GRDB `DatabasePool`.
///
/// - WAL journal: readers (reports, dashboards) never block the single writer.
/// - Foreign keys on; CHECK constraints on stages, states, JSON and currency.
/// - Named, append-only migrations run on open; a file migrated by a newer Baton is refused
///   (``StoreError/schemaFromNewerBaton(path:databaseVersion:supportedVersion:unknownMigrations:)``)
///   before anything is written to it.
/// - `synchronous = FULL` by default, so a committed unit survives power loss, not only a crash
///   of the process; ``Options/durability`` can trade that for speed.
///
/// ```swift
/// let store = try SQLiteHandoffStore(path: "baton.sqlite")
/// try await store.upsertLead(LeadRecord(id: "L-1", createdAt: .now))
/// ```
package final class SQLiteHandoffStore: HandoffStore {
    /// How hard a commit pushes data to disk.
    package enum Durability: String, Sendable {
        /// `synchronous = FULL`: the WAL is synced on every commit (survives power loss).
        case full
        /// `synchronous = NORMAL`: survives a crash of the process, may lose the last commits on power loss.
        case normal
    }

    /// Connection options.
    package struct Options: Sendable {
        /// Commit durability; `.full` by default.
        package var durability: Durability = .full
        /// How long a writer waits for another process's lock before failing, in seconds.
        package var busyTimeoutSeconds: Double = 5
        /// Concurrent readers in the pool.
        package var maximumReaderCount: Int = 4

        package init() {}
    }

    /// The schema version this build writes (the number of migrations).
    package static var schemaVersion: Int { Schema.version }
    /// The names of this build's migrations, oldest first.
    package static var migrationNames: [String] { Schema.migrations.map(\.name) }

    /// The database file.
    package let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) and migrates the store at `path`.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)``, ``StoreError/notADatabase(path:)``,
    ///   ``StoreError/schemaFromNewerBaton(path:databaseVersion:supportedVersion:unknownMigrations:)``.
    package convenience init(path: String, options: Options = Options()) throws(StoreError) {
        try self.init(path: path, options: options, migrateUpTo: Schema.version)
    }

    /// Opens the store migrated only up to `migrateUpTo` migrations (for upgrade tests).
    init(path: String, options: Options, migrateUpTo: Int) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(options.busyTimeoutSeconds)
        configuration.maximumReaderCount = options.maximumReaderCount
        configuration.label = "baton.handoff-store"
        let synchronous = options.durability == .full ? "FULL" : "NORMAL"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets NORMAL on the writer when it turns WAL on (after prepareDatabase), so the
            // durability choice is applied to the single writer connection here, once it exists.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        } catch {
            throw Self.openError(error, path: path)
        }
        self.pool = pool
        try Self.refuseNewerSchema(pool, path: path)
        do {
            try Schema.migrator(upTo: migrateUpTo).migrate(pool)
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// Closes the database connections; every later call fails. Optional: the pool also closes
    /// when the store is released.
    package func close() throws(StoreError) {
        do {
            try pool.close()
        } catch {
            throw Self.classify(error, operation: "closing the store")
        }
    }

    /// The migrations recorded in the file, in the order they ran.
    package func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("reading the applied migrations") { db in
            try Schema.migrator().appliedMigrations(db)
        }
    }

    private static func refuseNewerSchema(_ pool: DatabasePool, path: String) throws(StoreError) {
        let applied: [String]
        do {
            applied = try pool.read { db -> [String] in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
        } catch {
            throw openError(error, path: path)
        }
        let known = Set(Schema.migrations.map(\.name))
        let unknown = applied.filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        let newest = applied.compactMap(Schema.version(ofMigration:)).max() ?? Schema.version + 1
        throw .schemaFromNewerBaton(
            path: path, databaseVersion: max(newest, Schema.version + 1),
            supportedVersion: Schema.version, unknownMigrations: unknown)
    }

    private static func openError(_ error: any Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let dbError = error as? DatabaseError, dbError.resultCode == .SQLITE_NOTADB {
            return .notADatabase(path: path)
        }
        if let dbError = error as? DatabaseError {
            return .cannotOpen(path: path, reason: dbError.message ?? "\(dbError.resultCode)")
        }
        return .cannotOpen(path: path, reason: "\(error)")
    }

    // MARK: Plumbing shared by the read and write files

    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.classify(error, operation: operation)
        }
    }

    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.classify(error, operation: operation)
        }
    }

    static func classify(_ error: any Error, operation: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let dbError = error as? DatabaseError {
            switch dbError.extendedResultCode {
            case .SQLITE_CONSTRAINT_FOREIGNKEY:
                return .invalidField(
                    record: operation, field: "reference",
                    reason: "refers to a row that is not stored (foreign key); store the referenced lead, rep or opportunity first")
            case .SQLITE_CONSTRAINT_CHECK, .SQLITE_CONSTRAINT_NOTNULL:
                return .invalidField(
                    record: operation, field: "value",
                    reason: "breaks a constraint of the schema (\(dbError.message ?? "check failed"))")
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
                return .invalidField(
                    record: operation, field: "id",
                    reason: "repeats a value that must be unique (\(dbError.message ?? "unique constraint"))")
            default:
                return .database(operation: operation, message: dbError.message ?? "\(dbError.resultCode)")
            }
        }
        return .database(operation: operation, message: "\(error)")
    }
}
