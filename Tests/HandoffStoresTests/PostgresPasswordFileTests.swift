import Foundation
import HandoffPersistence
import Testing

@testable import HandoffPostgres

/// libpq's password file (`~/.pgpass`, `PGPASSFILE`), as the libpq manual's "The Password File"
/// describes it: first matching line wins, `*` matches anything, `\:` and `\\` escape, `#`
/// comments, and a file others can read is ignored.
@Suite struct PostgresPasswordFileTests {
    static let text = #"""
        # hostname:port:database:username:password
        db.internal:5432:baton:baton:first\:secret
        db.internal:*:*:baton:second
        *:*:*:*:fallback\\pw
        """#

    @Test func firstMatchingLineWinsWithWildcardsAndEscapes() {
        func password(_ host: String, _ port: Int, _ db: String, _ user: String) -> String? {
            PostgresPasswordFile.password(host: host, port: port, database: db, user: user, in: Self.text)
        }
        #expect(password("db.internal", 5432, "baton", "baton") == "first:secret")
        #expect(password("db.internal", 6543, "other", "baton") == "second")
        #expect(password("elsewhere", 5432, "baton", "ana") == #"fallback\pw"#)
        #expect(PostgresPasswordFile.password(host: "h", port: 1, database: "d", user: "u", in: "# only a comment\nbroken:line\n") == nil)
        // A colon in the password needs no escape: the fifth field takes the rest of the line.
        #expect(PostgresPasswordFile.password(host: "h", port: 1, database: "d", user: "u", in: "h:1:d:u:a:b\n") == "a:b")
    }

    @Test func theURLReadsTheFileOnlyWhenNoPasswordIsGivenElsewhere() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pgpass").path
        try Self.text.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)

        let fromFile = try PostgresLocation.parse("postgres://baton@db.internal/baton", environment: ["PGPASSFILE": file])
        #expect(fromFile.password == "first:secret")
        let fromEnvironment = try PostgresLocation.parse(
            "postgres://baton@db.internal/baton", environment: ["PGPASSFILE": file, "PGPASSWORD": "env"])
        #expect(fromEnvironment.password == "env")
        let fromURL = try PostgresLocation.parse("postgres://baton:url@db.internal/baton", environment: ["PGPASSFILE": file])
        #expect(fromURL.password == "url")
        // ~/.pgpass when PGPASSFILE is not set.
        try FileManager.default.copyItem(atPath: file, toPath: folder.appendingPathComponent(".pgpass").path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder.appendingPathComponent(".pgpass").path)
        #expect(try PostgresLocation.parse("postgres://baton@db.internal:7000/x", environment: ["HOME": folder.path]).password == "second")

        // Group- or world-readable: ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(try PostgresLocation.parse("postgres://baton@db.internal/baton", environment: ["PGPASSFILE": file]).password == nil)
        #expect(
            try PostgresLocation.parse("postgres://baton@db.internal/baton", environment: ["PGPASSFILE": folder.path + "/missing"]).password == nil)
    }
}
