import Foundation
import Testing

/// `baton tokens issue|list|revoke --db …` (issue 20): operators manage tokens on the store.
@Suite struct TokensCommandTests {
    @Test func issueListRevokeOnTheStore() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("h.sqlite").path
        let issued = try await CLI.run(["tokens", "issue", "--db", db, "--name", "ops", "--role", "admin"])
        #expect(issued.exitCode == 0)
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("bt_") && token.count == 67)
        #expect(issued.stderr.contains("only time its text is shown"))
        let file = dir.appendingPathComponent("crm.token").path
        #expect(try await CLI.run(["tokens", "issue", "--db", db, "--name", "crm sync", "--role", "ingest", "--token-file", file]).exitCode == 0)
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("bt_"))

        let list = try await CLI.run(["tokens", "list", "--db", db, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["crm sync", "ops"] && rows.map { $0["role"] as? String } == ["ingest", "admin"])
        #expect(rows.allSatisfy { $0["expires_at"] is NSNull && $0["expired"] as? Bool == false })
        #expect(!list.stdout.contains(token))

        let last = try await CLI.run(["tokens", "revoke", "--db", db, "--name", "ops"])
        #expect(last.exitCode == 65 && last.stderr.contains("last admin token"))
        #expect(try await CLI.run(["tokens", "revoke", "--db", db, "--name", "crm sync"]).exitCode == 0)
        #expect(try await CLI.run(["tokens", "revoke", "--db", db, "--name", "ops", "--allow-last-admin"]).exitCode == 0)
        let none = try await CLI.run(["tokens", "revoke", "--db", db, "--name", "ops"])
        #expect(none.exitCode == 65 && none.stderr.contains("no token named 'ops'"))
        let taken = try await CLI.run(["tokens", "issue", "--db", db, "--name", "a\rb", "--role", "ingest"])
        #expect(taken.exitCode == 64 && taken.stderr.contains("U+000D"))
    }
}

/// Expiry from the command line, and the secret file is never overwritten (issue 20).
@Suite struct TokenExpiryCommandTests {
    @Test func expiringTokensAreListedWithTheirExpiry() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("store.sqlite").path
        let issued = try await CLI.run([
            "tokens", "issue", "--db", db, "--name", "bi", "--role", "sales", "--expires-at", "2099-01-31T00:00:00+02:00",
        ])
        #expect(issued.exitCode == 0)
        #expect(issued.stderr.contains("expiring 2099-01-30T22:00:00Z"))
        #expect(try await CLI.run(["tokens", "issue", "--db", db, "--name", "etl", "--role", "ingest", "--expires-in-days", "30"]).exitCode == 0)
        let list = try await CLI.run(["tokens", "list", "--db", db, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["expires_at"] as? String == "2099-01-30T22:00:00Z")
        let etl = try #require(
            (rows.last?["expires_at"] as? String).flatMap {
                ISO8601DateFormatter().date(from: $0.replacingOccurrences(of: #"\.[0-9]+Z$"#, with: "Z", options: .regularExpression))
            })
        #expect(abs(etl.timeIntervalSinceNow - 30 * 86_400) < 600)
        let table = try await CLI.run(["tokens", "list", "--db", db])
        #expect(table.stdout.contains("2099-01-30T22:00:00Z"))
        for (arguments, message) in [
            (["--expires-at", "2020-01-01T00:00:00Z"], "not in the future"), (["--expires-at", "2099-02-30T00:00:00Z"], "RFC 3339"),
            (["--expires-in-days", "0"], "1…3650"), (["--expires-in-days", "3", "--expires-at", "2099-01-01T00:00:00Z"], "not both"),
        ] {
            let refused = try await CLI.run(["tokens", "issue", "--db", db, "--name", "x", "--role", "sales"] + arguments)
            #expect(refused.exitCode == 64 && refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        // A token file is created, never overwritten: the existing file is refused before a token is issued.
        let file = dir.appendingPathComponent("existing.token").path
        try "keep me\n".write(toFile: file, atomically: true, encoding: .utf8)
        let clash = try await CLI.run(["tokens", "issue", "--db", db, "--name", "y", "--role", "sales", "--token-file", file])
        #expect(clash.exitCode == 73 && clash.stderr.contains("exists"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
        let names = try #require(
            try JSONSerialization.jsonObject(with: Data(try await CLI.run(["tokens", "list", "--db", db, "--json"]).stdout.utf8)) as? [[String: Any]])
        #expect(names.map { $0["name"] as? String } == ["bi", "etl"], "nothing was issued for x or y")
    }
}
