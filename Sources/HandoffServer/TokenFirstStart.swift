import Foundation
import HandoffPersistence
import Logging

/// What happens to tokens when a service starts on a store that holds none.
///
/// Baton used to keep token hashes in a JSON file beside the database (`<db>.tokens.json`, or
/// `tokens_file`). If such a file exists, its entries (hashes, roles, names, dates) are imported
/// into the store once, the file is renamed to `….imported`, and the log says so; the tokens in
/// use keep working. Otherwise an `admin` token is issued and returned, to be printed once.
///
/// Several instances may start at once on one empty PostgreSQL store: the UNIQUE token name
/// lets exactly one of them store `admin`; the others get nil and print nothing.
enum TokenFirstStart {
    /// - Returns: the text of a new admin token, or nil when none was issued by this instance.
    static func run(_ registry: TokenRegistry, legacyFile: String?, at date: Date, logger: Logger) async throws(ServiceError) -> String? {
        do {
            guard try await registry.isEmpty() else {
                if let legacyFile, FileManager.default.fileExists(atPath: legacyFile) {
                    logger.warning("token file \(legacyFile) is ignored: tokens live in the store now (it already holds some); delete the file")
                }
                return nil
            }
            if let legacyFile, let entries = try read(legacyFile) {
                let records = entries.map { AccessTokenRecord(name: $0.name, role: $0.role.rawValue, sha256: $0.sha256, createdAt: $0.createdAt) }
                let stored = try await registry.store.importAccessTokens(records)
                retire(legacyFile, logger: logger)
                logger.notice(
                    "imported \(stored) token(s) from \(legacyFile) into the store (renamed to \(legacyFile).imported); existing tokens keep working")
                guard try await registry.isEmpty() else { return nil }
            }
            return try await issueAdmin(registry, at: date, logger: logger)
        } catch let error as ServiceError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .tokens(file: legacyFile ?? "(store)", problem: "\(error)")
        }
    }

    /// The first `admin` token, or nil when another instance issued it a moment ago (and printed it).
    private static func issueAdmin(_ registry: TokenRegistry, at date: Date, logger: Logger) async throws(StoreError) -> String? {
        do throws(StoreError) {
            return try await registry.issue(name: "admin", role: .admin, at: date)
        } catch {
            guard case .conflictingRecord = error else { throw error }
            logger.info("another instance issued the first admin token")
            return nil
        }
    }

    /// The old file: a JSON array of `{name, role, sha256, createdAt}` with ISO 8601 dates; nil
    /// when there is none (or another instance starting at the same time just imported it).
    static func read(_ file: String) throws(ServiceError) -> [TokenRegistry.Entry]? {
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode([TokenRegistry.Entry].self, from: data)
        } catch {
            guard FileManager.default.fileExists(atPath: file) else { return nil }
            throw .tokens(file: file, problem: "cannot be read as a token list to import into the store (\(error))")
        }
    }

    /// Renames the imported file so it is neither imported again nor mistaken for the live list.
    /// Two instances importing at once race here too; the loser finds the file gone, which is fine.
    private static func retire(_ file: String, logger: Logger) {
        do {
            try? FileManager.default.removeItem(atPath: file + ".imported")
            try FileManager.default.moveItem(atPath: file, toPath: file + ".imported")
        } catch {
            if FileManager.default.fileExists(atPath: file) {
                logger.warning("token file \(file) was imported but cannot be renamed (\(error.localizedDescription)); delete it")
            }
        }
    }
}
