import Foundation
import HandoffPersistence
import HandoffPostgres
import HandoffSQLite

/// Which hand-off store to open, chosen by configuration: `--db postgres://…` selects
/// PostgreSQL, anything else is an SQLite file path.
///
/// ```swift
/// let store = try await StoreLocation.parse(db).open()   // any HandoffStore
/// ```
package enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// One SQLite file (created when missing).
    case sqlite(path: String)
    /// A PostgreSQL database (must exist; Baton creates its tables).
    case postgres(PostgresLocation)

    /// True for a `--db` value naming a PostgreSQL database (`postgres://` or `postgresql://`)
    /// rather than a file.
    package static func isPostgresURL(_ text: String) -> Bool { PostgresLocation.isPostgresURL(text) }

    /// Reads a `--db` value: a `postgres://` or `postgresql://` URL, or a file path.
    ///
    /// - Throws: ``StoreError/invalidField(record:field:reason:)`` for a malformed URL or an empty path.
    package static func parse(_ text: String) throws(StoreError) -> StoreLocation {
        if PostgresLocation.isPostgresURL(text) { return .postgres(try PostgresLocation.parse(text)) }
        guard !text.isEmpty else {
            throw .invalidField(record: "store location", field: "--db", reason: "is empty; give a file path or a postgres:// URL")
        }
        return .sqlite(path: text)
    }

    /// Parses `text` and opens the store it names: what `baton serve` and every store command do
    /// with `--db`.
    ///
    /// - Throws: the errors of ``parse(_:)`` and ``open(sqliteOptions:postgresOptions:)``.
    package static func open(
        _ text: String, sqliteOptions: SQLiteHandoffStore.Options = .init(),
        postgresOptions: PostgresHandoffStore.Options = .init()
    ) async throws(StoreError) -> any HandoffStore {
        try await parse(text).open(sqliteOptions: sqliteOptions, postgresOptions: postgresOptions)
    }

    /// Opens (creating or migrating as needed) the store.
    ///
    /// - Parameter sqliteOptions: options for an SQLite file (ignored for PostgreSQL).
    /// - Throws: the backend's open errors: ``StoreError/cannotOpen(path:reason:)``,
    ///   ``StoreError/unavailable(server:operation:reason:)``,
    ///   ``StoreError/schemaFromNewerBaton(path:databaseVersion:supportedVersion:unknownMigrations:)``, …
    package func open(
        sqliteOptions: SQLiteHandoffStore.Options = .init(),
        postgresOptions: PostgresHandoffStore.Options = .init()
    ) async throws(StoreError) -> any HandoffStore {
        switch self {
        case let .sqlite(path):
            return try SQLiteHandoffStore(path: path, options: sqliteOptions)
        case let .postgres(location):
            return try await PostgresHandoffStore.open(location, options: postgresOptions)
        }
    }

    /// The path, or the URL without its password.
    package var description: String {
        switch self {
        case let .sqlite(path): path
        case let .postgres(location): location.description
        }
    }
}
