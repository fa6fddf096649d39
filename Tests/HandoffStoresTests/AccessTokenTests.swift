import Foundation
import GRDB
import HandoffPersistence
import HandoffPostgres
import HandoffSQLite
import PostgresTestSupport
import Testing

/// Bearer-token hashes in the store (migration 0005): shared by every service instance.
@Suite struct AccessTokenTests {
    static func token(_ name: String, role: String = "ingest", fill: Character, at: Date = T.base) -> AccessTokenRecord {
        AccessTokenRecord(name: name, role: role, sha256: String(repeating: fill, count: 64), createdAt: at)
    }

    @Test(arguments: StoreBackend.allCases)
    func issueListLookUpAndRevoke(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            #expect(try await store.accessTokens().isEmpty)
            let crm = Self.token("crm", fill: "c", at: T.ms(1_234))
            let admin = Self.token("admin", role: "admin", fill: "a", at: T.minutes(1))
            try await store.issueAccessToken(crm)
            try await store.issueAccessToken(admin)
            #expect(try await store.accessTokens() == [admin, crm], "by name, times at millisecond precision")
            #expect(try await store.accessToken(sha256: crm.sha256) == crm)
            #expect(try await store.accessToken(sha256: String(repeating: "d", count: 64)) == nil)
            #expect(try await store.revokeAccessToken(name: "crm"))
            #expect(try await store.revokeAccessToken(name: "crm") == false)
            #expect(try await store.accessToken(sha256: crm.sha256) == nil)
            #expect(try await store.accessTokens() == [admin])
            // A revoked name may be issued again (with a new token).
            try await store.issueAccessToken(Self.token("crm", fill: "e"))
            #expect(try await store.accessTokens().map(\.name) == ["admin", "crm"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aTakenNameOrHashIsRefusedAndChangesNothing(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            let first = Self.token("crm", fill: "c")
            try await store.issueAccessToken(first)
            let sameName = await #expect(throws: StoreError.self) { try await store.issueAccessToken(Self.token("crm", role: "admin", fill: "f")) }
            #expect(sameName == AccessTokenRecord.taken("crm"))
            let sameHash = await #expect(throws: StoreError.self) { try await store.issueAccessToken(Self.token("other", fill: "c")) }
            #expect(sameHash == AccessTokenRecord.taken("other"))
            #expect(try await store.accessTokens() == [first])
        }
    }

    /// Schema 6: an expiry per token, kept to the millisecond; nil (never) for older tokens.
    @Test(arguments: StoreBackend.allCases)
    func expiryIsStoredAndMustFollowTheIssue(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            var expiring = Self.token("crm", fill: "c", at: T.base)
            expiring.expiresAt = T.ms(3_600_123)
            try await store.issueAccessToken(expiring)
            try await store.issueAccessToken(Self.token("forever", fill: "f"))
            #expect(try await store.accessToken(sha256: expiring.sha256)?.expiresAt == T.ms(3_600_123))
            #expect(try await store.accessTokens().map(\.expiresAt) == [T.ms(3_600_123), nil])
            var backwards = Self.token("late", fill: "b", at: T.minutes(10))
            backwards.expiresAt = T.minutes(10)
            let error = await #expect(throws: StoreError.self) { try await store.issueAccessToken(backwards) }
            guard case let .invalidField(_, field, _)? = error else {
                Issue.record("expected invalidField, got \(String(describing: error))")
                return
            }
            #expect(field == "expires_at")
            #expect(try await store.accessTokens().count == 2)
        }
    }

    /// `GET /ready`'s write: one row per instance, updated in place; rows of instances silent
    /// for over a week are dropped by the next probe.
    @Test(arguments: StoreBackend.allCases)
    func readinessProbesWriteOneRowPerInstance(backend: StoreBackend) async throws {
        func probe(_ store: any HandoffStore) async throws {
            try await store.probeWrite(instance: "host-1", at: T.base)
            try await store.probeWrite(instance: "host-1", at: T.minutes(1))
            try await store.probeWrite(instance: "host-2", at: T.minutes(2))
            try await store.probeWrite(instance: "host-3", at: T.minutes(7 * 24 * 60 + 1.5))
        }
        let expected = ["host-2": T.minutes(2).storeMillis, "host-3": T.minutes(7 * 24 * 60 + 1.5).storeMillis]
        var rows: [String: Int64] = [:]
        switch backend {
        case .sqlite:
            try await withTemporaryDirectory { dir in
                let path = dir.appendingPathComponent("store.sqlite").path
                let store = try SQLiteHandoffStore(path: path)
                try await probe(store)
                // Before the week-old rule drops host-1, its row was updated, not duplicated.
                try store.close()
                let queue = try DatabaseQueue(path: path)
                defer { try? queue.close() }
                rows = try await queue.read { db in
                    Dictionary(
                        uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT instance, checked_at FROM readiness_probes").map {
                            (row: Row) -> (String, Int64) in (row["instance"], row["checked_at"])
                        })
                }
            }
        case .postgres:
            try await ScratchPostgres.withEmptyDatabase { location in
                let store = try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
                try await probe(store)
                await store.close()
                rows = try await ScratchPostgres.withConnection(location) { sql in
                    var found: [String: Int64] = [:]
                    for cells in try await sql.rows("SELECT instance, checked_at FROM readiness_probes") {
                        found[try cells.text("instance")] = try cells.int64("checked_at")
                    }
                    return found
                }
            }
        }
        #expect(rows == expected, "host-1 (last probed over a week before host-3) is dropped; the others keep their latest probe")
    }

    @Test(arguments: StoreBackend.allCases)
    func malformedTokensAreRefusedNamingTheField(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { (store: any HandoffStore) async throws -> Void in
            let cases: [(AccessTokenRecord, String)] = [
                (Self.token("", fill: "c"), "name"),
                (Self.token("crm", role: "", fill: "c"), "role"),
                (AccessTokenRecord(name: "crm", role: "ingest", sha256: "abc", createdAt: T.base), "sha256"),
                (Self.token("crm", fill: "C"), "sha256"),
            ]
            for (record, field) in cases {
                let error = await #expect(throws: StoreError.self) { try await store.issueAccessToken(record) }
                guard case let .invalidField(_, reported, _)? = error else {
                    Issue.record("expected invalidField for \(field), got \(String(describing: error))")
                    continue
                }
                #expect(reported == field)
            }
            #expect(try await store.accessTokens().isEmpty)
        }
    }

    /// Importing an old token file: all or nothing per call, idempotent, never overwriting.
    @Test(arguments: StoreBackend.allCases)
    func importSkipsStoredNamesAndHashes(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { (store: any HandoffStore) async throws -> Void in
            let list = [Self.token("admin", role: "admin", fill: "a"), Self.token("crm", fill: "c"), Self.token("bi", role: "marketing", fill: "b")]
            #expect(try await store.importAccessTokens(list) == 3)
            #expect(try await store.importAccessTokens(list) == 0)
            let clash = [Self.token("admin", role: "ingest", fill: "9"), Self.token("new", fill: "c"), Self.token("new2", fill: "2")]
            #expect(try await store.importAccessTokens(clash) == 1)
            #expect(try await store.accessTokens() == (list + [Self.token("new2", fill: "2")]).sorted { $0.name < $1.name })
            // One malformed entry refuses the whole list.
            let bad = [Self.token("x1", fill: "3"), Self.token("", fill: "4")]
            await #expect(throws: StoreError.self) { try await store.importAccessTokens(bad) }
            #expect(try await store.accessToken(sha256: String(repeating: "3", count: 64)) == nil)
        }
    }

    /// Two instances issuing the same name at once (two services starting on an empty store,
    /// both wanting `admin`): exactly one stores it.
    @Test(arguments: StoreBackend.allCases)
    func concurrentIssuesOfOneNameStoreItOnce(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            let fills: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7"]
            let winners = await withTaskGroup(of: Character?.self) { group in
                for fill in fills {
                    group.addTask {
                        do {
                            try await store.issueAccessToken(Self.token("admin", role: "admin", fill: fill))
                            return fill
                        } catch {
                            return nil
                        }
                    }
                }
                var won: [Character] = []
                for await fill in group { if let fill { won.append(fill) } }
                return won
            }
            #expect(winners.count == 1)
            let stored = try await store.accessTokens()
            #expect(stored.count == 1)
            #expect(stored.first?.sha256 == winners.first.map { String(repeating: $0, count: 64) })
        }
    }
}
