import Foundation
import HandoffStore

/// Which hand-off store to open, chosen by configuration: `--db postgres://…` selects
/// PostgreSQL, anything else is an SQLite file path.
///
/// ```swift
/// let store = try await StoreLocation.parse(db).open()   // any HandoffStore
/// ```
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// One SQLite file (created when missing).
    case sqlite(path: String)
    /// A PostgreSQL database (must exist; Baton creates its tables).
    case postgres(PostgresLocation)

    /// Reads a `--db` value: a `postgres://` or `postgresql://` URL, or a file path.
    ///
    /// - Throws: ``StoreError/invalidField(record:field:reason:)`` for a malformed URL or an empty path.
    public static func parse(_ text: String) throws(StoreError) -> StoreLocation {
        if PostgresLocation.isPostgresURL(text) { return .postgres(try PostgresLocation.parse(text)) }
        guard !text.isEmpty else {
            throw .invalidField(record: "store location", field: "--db", reason: "is empty; give a file path or a postgres:// URL")
        }
        return .sqlite(path: text)
    }

    /// Opens (creating or migrating as needed) the store.
    ///
    /// - Parameter sqliteOptions: options for an SQLite file (ignored for PostgreSQL).
    /// - Throws: the backend's open errors: ``StoreError/cannotOpen(path:reason:)``,
    ///   ``StoreError/unavailable(server:operation:reason:)``,
    ///   ``StoreError/schemaFromNewerBaton(path:databaseVersion:supportedVersion:unknownMigrations:)``, …
    public func open(sqliteOptions: SQLiteHandoffStore.Options = .init(),
                     postgresOptions: PostgresHandoffStore.Options = .init()) async throws(StoreError) -> any HandoffStore {
        switch self {
        case let .sqlite(path):
            return try SQLiteHandoffStore(path: path, options: sqliteOptions)
        case let .postgres(location):
            return try await PostgresHandoffStore.open(location, options: postgresOptions)
        }
    }

    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case let .sqlite(path): path
        case let .postgres(location): location.description
        }
    }
}
