import Foundation
import HandoffPersistence
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
