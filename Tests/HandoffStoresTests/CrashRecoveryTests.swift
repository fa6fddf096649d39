import Foundation
import Testing

@testable import HandoffPersistence
@testable import HandoffSQLite

/// A writer process killed with SIGKILL in the middle of a transaction. The writer is a short
/// Python script using SQLite directly, so the kill lands at a known point: after thousands of
/// rows (enough to spill uncommitted pages into the WAL) and before COMMIT.
private let crashWriterPython: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/root/.pyenv/shims/python3"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(.enabled(if: crashWriterPython != nil, "needs python3 to run a writer that can be killed"))
struct CrashRecoveryTests {
    private static let writer = """
        import os, signal, sqlite3, sys
        path, commit_first = sys.argv[1], sys.argv[2] == "1"
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA cache_size = 50")
        if commit_first:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO leads (id, fields, created_at, updated_at) VALUES ('committed', '{}', 0, 0)")
            db.execute("COMMIT")
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO leads (id, fields, created_at, updated_at) VALUES ('half', '{}', 0, 0)")
        pad = "x" * 400
        for i in range(20000):
            db.execute("INSERT INTO engagement_events (event_id, lead_id, type, occurred_at, received_at, payload) "
                       "VALUES (?, 'half', 'visit', ?, ?, json_object('pad', ?))", (f"e{i}", i, i, pad))
        sys.stdout.write("killing\\n"); sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
        """

    private func runKilledWriter(path: String, commitFirst: Bool) throws -> (status: Int32, walBytes: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(crashWriterPython))
        process.arguments = ["-c", Self.writer, path, commitFirst ? "1" : "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said == "killing\n", "the writer reached the kill point")
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        return (process.terminationStatus, wal)
    }

    @Test func killedWriterLeavesNothingHalfWritten() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("crash.sqlite").path
            try SQLiteHandoffStore(path: path).close()
            let (status, walBytes) = try runKilledWriter(path: path, commitFirst: true)
            #expect(status == 9, "terminated by SIGKILL")
            #expect(walBytes > 1_000_000, "uncommitted pages reached the WAL before the kill (\(walBytes) bytes)")

            let store = try SQLiteHandoffStore(path: path)
            defer { try? store.close() }
            let counts = try await store.counts()
            #expect(counts.leads == 1, "only the committed lead")
            #expect(counts.events == 0)
            #expect(try await store.lead(id: "committed") != nil)
            #expect(try await store.lead(id: "half") == nil)
            let integrity = try await store.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            #expect(integrity == ["ok"])
            // And the store keeps working after recovery.
            try await store.upsertLead(Sample.lead("half"))
            #expect(try await store.appendEvent(Sample.event("e0", lead: "half")) == .stored(rowID: nil))
        }
    }
}
