import Foundation

/// One bearer token of the service as the store keeps it: its name, role and the SHA-256 of its
/// text, never the text itself (a copy of the database does not hand out usable tokens).
///
/// Tokens live in the store, not beside it, so service instances sharing one database (behind
/// a load balancer) see an issue or a revocation at once. Names and hashes are unique.
package struct AccessTokenRecord: Sendable, Hashable, Codable {
    /// Unique name, e.g. `admin` or `crm-webhook`.
    package var name: String
    /// The role the service grants (`admin`, `marketing`, `sales`, `ingest`); the store keeps the text.
    package var role: String
    /// Lower-case hex SHA-256 of the token text (64 digits).
    package var sha256: String
    /// When it was issued.
    package var createdAt: Date
    /// When it stops being accepted; nil: never (schema 6 on; older tokens never expire).
    package var expiresAt: Date?

    package init(name: String, role: String, sha256: String, createdAt: Date, expiresAt: Date? = nil) {
        self.name = name
        self.role = role
        self.sha256 = sha256
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Refuses an empty name or role and a hash that is not 64 lower-case hex digits.
    package func validated() throws(StoreError) -> AccessTokenRecord {
        let record = "access token '\(name)'"
        guard !name.isEmpty else { throw .invalidField(record: record, field: "name", reason: "is empty") }
        guard !role.isEmpty else { throw .invalidField(record: record, field: "role", reason: "is empty") }
        guard sha256.count == 64, sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw .invalidField(record: record, field: "sha256", reason: "is not 64 lower-case hex digits (the SHA-256 of the token text)")
        }
        if let expiresAt, expiresAt <= createdAt {
            throw .invalidField(record: record, field: "expires_at", reason: "is not after the time it is issued; give a time in the future")
        }
        return self
    }

    /// The error for a name (or hash) that is already stored.
    package static func taken(_ name: String) -> StoreError {
        .conflictingRecord(
            record: "access token", id: name, reason: "a token with this name (or the same token text) exists; revoke it first or pick another name")
    }
}
