import Foundation
import Testing

/// `baton tokens issue|list|revoke --db …` (issue 20): operators manage tokens on the store.
@Suite struct TokensCommandTests {
    @Test func issueListRevokeOnTheStore() throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("h.sqlite").path
        let issued = try CLI.run(["tokens", "issue", "--db", db, "--name", "ops", "--role", "admin"])
        #expect(issued.exitCode == 0)
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("bt_") && token.count == 67)
        #expect(issued.stderr.contains("only time its text is shown"))
        let file = dir.appendingPathComponent("crm.token").path
        #expect(try CLI.run(["tokens", "issue", "--db", db, "--name", "crm sync", "--role", "ingest", "--token-file", file]).exitCode == 0)
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("bt_"))

        let list = try CLI.run(["tokens", "list", "--db", db, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: String]])
        #expect(rows.map { $0["name"] } == ["crm sync", "ops"] && rows.map { $0["role"] } == ["ingest", "admin"])
        #expect(!list.stdout.contains(token))

        let last = try CLI.run(["tokens", "revoke", "--db", db, "--name", "ops"])
        #expect(last.exitCode == 65 && last.stderr.contains("last admin token"))
        #expect(try CLI.run(["tokens", "revoke", "--db", db, "--name", "crm sync"]).exitCode == 0)
        #expect(try CLI.run(["tokens", "revoke", "--db", db, "--name", "ops", "--allow-last-admin"]).exitCode == 0)
        let none = try CLI.run(["tokens", "revoke", "--db", db, "--name", "ops"])
        #expect(none.exitCode == 65 && none.stderr.contains("no token named 'ops'"))
        let taken = try CLI.run(["tokens", "issue", "--db", db, "--name", "a\rb", "--role", "ingest"])
        #expect(taken.exitCode == 64 && taken.stderr.contains("U+000D"))
    }
}
