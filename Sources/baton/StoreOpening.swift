import Foundation
import HandoffStore
import HandoffStorePostgres

/// Opens the store named by `--db`: a `postgres://` URL selects PostgreSQL, anything else is an
/// SQLite file. Exits with the store's own message: 69 (EX_UNAVAILABLE) when the server cannot
/// be reached, 64 for a malformed URL, 65 for anything else the store refuses (not a
/// database, schema from a newer Baton, login refused).
func openStore(_ db: String, sqliteOptions: SQLiteHandoffStore.Options = .init(),
               fail: (String, Int32) -> Never) -> any HandoffStore {
    let location: StoreLocation
    do { location = try StoreLocation.parse(db) } catch { fail(error.description, 64) }
    do {
        return try blocking { () async throws(StoreError) -> any HandoffStore in
            try await location.open(sqliteOptions: sqliteOptions)
        }
    } catch {
        if case .unavailable = error { fail(error.description, 69) }
        fail(error.description, 65)
    }
}

/// True for a `--db` value naming a PostgreSQL database rather than a file.
func isServerStore(_ db: String) -> Bool { PostgresLocation.isPostgresURL(db) }
