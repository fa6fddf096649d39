import Foundation
import ScoringModelFormat

/// Bearer tokens, stored as SHA-256 hashes in a JSON file (mode 0600) beside the database.
///
/// A token is `bt_` followed by 64 hex digits (256 random bits from the system's CSPRNG); only
/// its hash is kept, so a leaked file does not leak a usable token. Checking a token hashes it
/// and compares against every stored hash in constant time (no early exit on the first differing
/// byte, and no early exit on the first match), so the response time says nothing about how
/// close a guess was.
public actor TokenRegistry {
    /// One stored token (never the token itself).
    public struct Entry: Sendable, Codable, Equatable {
        public var name: String
        public var role: Role
        /// Lower-case hex SHA-256 of the token text.
        public var sha256: String
        public var createdAt: Date
    }

    public let file: String
    private var entries: [Entry]

    /// Loads `file` (an absent file is an empty registry).
    public init(file: String) throws(ServiceError) {
        self.file = file
        guard FileManager.default.fileExists(atPath: file) else {
            entries = []
            return
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            entries = try decoder.decode([Entry].self, from: data)
        } catch {
            throw .tokens(file: file, problem: "cannot be read as a token list (\(error))")
        }
    }

    /// True when no token exists yet (first start).
    public var isEmpty: Bool { entries.isEmpty }

    /// The stored entries (hashes only).
    public var all: [Entry] { entries }

    /// Creates a token; returns its text, which is never stored and cannot be shown again.
    /// - Throws: ``ServiceError/tokens(file:problem:)`` when the name is taken or the file cannot be written.
    public func issue(name: String, role: Role, at date: Date = Date()) throws(ServiceError) -> String {
        guard !entries.contains(where: { $0.name == name }) else {
            throw .tokens(file: file, problem: "a token named '\(name)' exists; revoke it first or pick another name")
        }
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let token = "bt_" + bytes.map { String(format: "%02x", $0) }.joined()
        entries.append(Entry(name: name, role: role, sha256: Self.hash(token), createdAt: date))
        try save()
        return token
    }

    /// Removes the token called `name`; false when there is none.
    public func revoke(name: String) throws(ServiceError) -> Bool {
        let before = entries.count
        entries.removeAll { $0.name == name }
        guard entries.count != before else { return false }
        try save()
        return true
    }

    /// The entry whose hash matches `token`, compared in constant time against all entries.
    public func authenticate(_ token: String) -> Entry? {
        let presented = Array(Self.hash(token).utf8)
        var found: Entry?
        for entry in entries {
            if Self.constantTimeEqual(presented, Array(entry.sha256.utf8)) && found == nil { found = entry }
        }
        return found
    }

    static func hash(_ token: String) -> String { SHA256.hash(Array(token.utf8)).hex }

    /// Equal length and equal bytes, touching every byte whatever the answer.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    private func save() throws(ServiceError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            let data = try encoder.encode(entries)
            let url = URL(fileURLWithPath: file)
            try data.write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        } catch {
            throw .tokens(file: file, problem: "cannot be written (\(error.localizedDescription))")
        }
    }
}
