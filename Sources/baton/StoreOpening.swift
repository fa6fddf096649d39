import HandoffSQLite
import Foundation
import HandoffPersistence
import HandoffStores

/// Opens the store named by `--db` (``StoreLocation``: a `postgres://` URL selects PostgreSQL,
/// anything else is an SQLite file). Exits with the store's own message and
/// ``StoreLocation/exitCode(for:)``: 69 when the server cannot be reached, 64 for a malformed
/// URL, 65 for anything else the store refuses (not a database, schema from a newer Baton,
/// login refused). `baton serve` opens its store the same way.
func openStore(_ db: String, sqliteOptions: SQLiteHandoffStore.Options = .init(),
               fail: (String, Int32) -> Never) -> any HandoffStore {
    do {
        return try blocking { () async throws(StoreError) -> any HandoffStore in
            try await StoreLocation.open(db, sqliteOptions: sqliteOptions)
        }
    } catch {
        fail(error.description, StoreLocation.exitCode(for: error))
    }
}

/// True for a `--db` value naming a PostgreSQL database rather than a file.
func isServerStore(_ db: String) -> Bool { StoreLocation.isPostgresURL(db) }
