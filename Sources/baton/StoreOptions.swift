import ArgumentParser
import Foundation
import HandoffPersistence
import HandoffSQLite
import HandoffStores

/// `--db`, the hand-off store every store command reads or writes (``StoreLocation``: a
/// `postgres://` or `postgresql://` URL selects PostgreSQL, anything else is an SQLite file).
struct StoreOptions: ParsableArguments {
    /// The help of `--db`, also used by `baton serve` (whose `--db` may come from its configuration).
    static let help = ArgumentHelp("Hand-off store: an SQLite file, or postgres://user@host:port/database.")

    @Option(help: StoreOptions.help) var db: String

    /// The options for a `--db` value read by another command's own option.
    static func parse(db: String) -> StoreOptions {
        var options = StoreOptions()
        options.db = db
        return options
    }

    /// True for a PostgreSQL URL rather than a file.
    var isServer: Bool { StoreLocation.isPostgresURL(db) }

    /// Ends with a usage error (`message`) when `--db` names a file that does not exist: for
    /// commands that only read a store and must never create one.
    func requireExisting(_ message: @autoclosure () -> String) {
        guard isServer || FileManager.default.fileExists(atPath: db) else { fail(message(), .usage) }
    }

    /// Opens the store, creating an SQLite file or migrating as needed; on failure ends with the
    /// store's own message and ``StoreError/exitStatus``.
    func open(sqliteOptions: SQLiteHandoffStore.Options = .init()) async -> any HandoffStore {
        do {
            return try await StoreLocation.open(db, sqliteOptions: sqliteOptions)
        } catch {
            fail(error)
        }
    }

    /// Opens the store (as ``open(sqliteOptions:)``), runs `body` with it and closes it whether
    /// `body` returns or throws. A failed close is not reported: the work is done, or has already
    /// failed with its own error.
    func withStore<T, E: Error>(
        sqliteOptions: SQLiteHandoffStore.Options = .init(), _ body: (any HandoffStore) async throws(E) -> T
    ) async throws(E) -> T {
        let store = await open(sqliteOptions: sqliteOptions)
        do {
            let value = try await body(store)
            try? await store.close()
            return value
        } catch {
            try? await store.close()
            throw error
        }
    }
}
