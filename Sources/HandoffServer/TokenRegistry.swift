import BatonSupport
import Crypto
import Foundation
import HandoffPersistence
import ScoringModelFormat

/// Bearer tokens, kept in the store as SHA-256 hashes (``AccessTokenRecord``).
///
/// A token is `bt_` followed by 64 hex digits (256 random bits from the system's CSPRNG); only
/// its hash is stored, so a leaked database does not leak a usable token. The registry caches
/// nothing: every request looks its token up in the store, so a token issued or revoked through
/// one `baton serve` instance counts on every other instance sharing the database at once.
package struct TokenRegistry: Sendable {
    /// One stored token (never the token itself).
    package struct Entry: Sendable, Codable, Equatable {
        package var name: String
        package var role: Role
        /// Lower-case hex SHA-256 of the token text.
        package var sha256: String
        package var createdAt: Date
        /// When it stops being accepted; nil: never.
        package var expiresAt: Date?

        package init(name: String, role: Role, sha256: String, createdAt: Date, expiresAt: Date? = nil) {
            self.name = name
            self.role = role
            self.sha256 = sha256
            self.createdAt = createdAt
            self.expiresAt = expiresAt
        }

        /// True when the token is past its expiry at `date`.
        package func isExpired(at date: Date) -> Bool { expiresAt.map { $0 <= date } ?? false }
    }

    /// What a presented token is.
    package enum Verdict: Sendable, Equatable {
        case accepted(Entry)
        /// Known, but past its expiry: refused like an unknown one, with a message that says why.
        case expired(Entry)
        case unknown
    }

    package let store: any HandoffStore

    package init(store: any HandoffStore) {
        self.store = store
    }

    /// True when the store holds no token yet (first start).
    package func isEmpty() async throws(StoreError) -> Bool {
        try await store.accessTokens().isEmpty
    }

    /// The stored entries (hashes only), by name. A role this build does not know (written by
    /// a newer Baton) is left out rather than guessed.
    package func all() async throws(StoreError) -> [Entry] {
        try await store.accessTokens().compactMap(Self.entry)
    }

    /// Creates a token; returns its text, which is never stored and cannot be shown again.
    /// - Throws: ``StoreError/conflictingRecord(record:id:reason:)`` when the name is taken (also
    ///   when another instance took it a moment earlier), or the store's own errors.
    package func issue(name: String, role: Role, at date: Date = Date(), expiresAt: Date? = nil) async throws(StoreError) -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let token = "bt_" + lowercaseHex(bytes)
        try await store.issueAccessToken(
            AccessTokenRecord(name: name, role: role.rawValue, sha256: Self.hash(token), createdAt: date, expiresAt: expiresAt))
        return token
    }

    /// Removes the token called `name`; false when there is none.
    package func revoke(name: String) async throws(StoreError) -> Bool {
        try await store.revokeAccessToken(name: name)
    }

    /// Whether `token` is accepted at `date`: its stored entry when its hash matches one and it
    /// has not expired.
    ///
    /// The hash is looked up by the store's unique index, which compares bytes with early exits,
    /// so its timing could at best reveal how much of a stored *hash* a guess's hash matches.
    /// That is worthless: a token is 256 random bits, and knowing its SHA-256 does not help find
    /// it (that takes a preimage). The found row is still compared in constant time, so a store
    /// whose index compares loosely (collation, truncation) cannot let a near miss through.
    /// - Throws: the store's errors (the service answers 503 when the store is unreachable).
    package func check(_ token: String, at date: Date) async throws(StoreError) -> Verdict {
        let presented = Self.hash(token)
        guard let record = try await store.accessToken(sha256: presented),
            constantTimeEqual(Array(presented.utf8), Array(record.sha256.utf8)), let entry = Self.entry(record)
        else { return .unknown }
        return entry.isExpired(at: date) ? .expired(entry) : .accepted(entry)
    }

    /// The entry of a known token that has not expired at `date`, or nil (see ``check(_:at:)``).
    package func authenticate(_ token: String, at date: Date) async throws(StoreError) -> Entry? {
        guard case .accepted(let entry) = try await check(token, at: date) else { return nil }
        return entry
    }

    static func entry(_ record: AccessTokenRecord) -> Entry? {
        Role(rawValue: record.role).map {
            Entry(name: record.name, role: $0, sha256: record.sha256, createdAt: record.createdAt, expiresAt: record.expiresAt)
        }
    }

    /// Lower-case hexadecimal SHA-256 of the token (what the store keeps instead of the token).
    static func hash(_ token: String) -> String {
        lowercaseHex(Crypto.SHA256.hash(data: Array(token.utf8)))
    }
}
