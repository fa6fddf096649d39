import Foundation
import GRDB
import Testing

@testable import HandoffPersistence
@testable import HandoffSQLite

@Suite struct MigrationTests {
    private static let tablesPerStep: [[String]] = [
        ["engagement_events", "leads", "scores"],
        ["assignments", "qualification_decisions", "reps", "router_states"],
        ["contact_attempts", "dispositions", "opportunities", "outcomes", "sla_timers"],
        ["alerts", "model_deployments", "models"],
        ["access_tokens"],
        ["readiness_probes"],
        [],  // 0007: outbox columns on alerts
        ["interaction_tracker_hits", "interactions"],
        ["decision_ledger", "accounts", "account_domains", "lead_accounts"],
        ["push_subscriptions", "service_keys"],
        ["lead_merges", "lead_email_keys"],
    ]

    private func tables(at path: String) throws -> Set<String> {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'"))
        }
    }

    @Test func emptyFileGetsEveryMigrationInOrder() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("s.sqlite").path
            let store = try SQLiteHandoffStore(path: path)
            #expect(
                try await store.appliedMigrations() == [
                    "0001-leads-events-scores", "0002-qualification-routing",
                    "0003-sla-follow-up-revenue", "0004-model-registry-alerts",
                    "0005-access-tokens", "0006-token-expiry-readiness", "0007-outbox-dead-letter", "0008-interactions",
                    "0009-ledger-accounts", "0010-web-push", "0011-lead-merges",
                ])
            #expect(SQLiteHandoffStore.schemaVersion == 11)
            let pragmas = try await store.pool.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
            }
            #expect(pragmas.0 == "wal")
            #expect(pragmas.1 == 1)
            let synchronous = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(synchronous == 2, "FULL is 2")
            try store.close()
            #expect(try tables(at: path) == Set(Self.tablesPerStep.joined()))
        }
    }

    @Test func eachUpgradeStepAddsItsTablesAndKeepsData() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("s.sqlite").path
            var expected = Set<String>()
            for step in 1...SQLiteHandoffStore.schemaVersion {
                let store = try SQLiteHandoffStore(path: path, options: .init(), migrateUpTo: step)
                if step == 1 { try await store.upsertLead(Sample.lead("L1")) }
                #expect(try await store.appliedMigrations().count == step)
                #expect(try await store.lead(id: "L1") == Sample.lead("L1"), "step \(step) keeps step 1's lead")
                try store.close()
                expected.formUnion(Self.tablesPerStep[step - 1])
                #expect(try tables(at: path) == expected, "after step \(step)")
            }
        }
    }

    @Test func reopeningChangesNothing() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("s.sqlite").path
            let first = try SQLiteHandoffStore(path: path)
            try await first.upsertLead(Sample.lead("L1"))
            try first.close()
            let second = try SQLiteHandoffStore(path: path)
            #expect(try await second.appliedMigrations() == SQLiteHandoffStore.migrationNames)
            #expect(try await second.counts().leads == 1)
            try second.close()
        }
    }

    @Test func refusesASchemaFromANewerBaton() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("s.sqlite").path
            try SQLiteHandoffStore(path: path).close()
            // Pretend a newer Baton added the next two migrations.
            let version = SQLiteHandoffStore.schemaVersion
            let future = [String(format: "%04d-rep-skills", version + 1), String(format: "%04d-lead-merges", version + 2)]
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?), (?)", arguments: [future[0], future[1]])
            }
            try queue.close()
            let error = #expect(throws: StoreError.self) { try SQLiteHandoffStore(path: path) }
            #expect(
                error
                    == .schemaFromNewerBaton(
                        path: path, databaseVersion: version + 2, supportedVersion: version,
                        unknownMigrations: future))
            let message = error?.description ?? ""
            #expect(message.contains("schema version \(version + 2)"))
            #expect(message.contains("Upgrade Baton"))
            // The refused file is left as it was.
            let after = try DatabaseQueue(path: path)
            defer { try? after.close() }
            let applied = try await after.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            #expect(applied == SQLiteHandoffStore.migrationNames + future)
        }
    }

    @Test func refusesAFileThatIsNotADatabase() async throws {
        try await withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("notes.txt")
            try Data(String(repeating: "not sqlite at all\n", count: 200).utf8).write(to: url)
            let error = #expect(throws: StoreError.self) { try SQLiteHandoffStore(path: url.path) }
            #expect(error == .notADatabase(path: url.path))
        }
    }

    @Test func missingFolderIsACannotOpenError() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("no/such/folder/s.sqlite").path
            let error = #expect(throws: StoreError.self) { try SQLiteHandoffStore(path: path) }
            guard case .cannotOpen(let reportedPath, _) = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(reportedPath == path)
        }
    }
}
