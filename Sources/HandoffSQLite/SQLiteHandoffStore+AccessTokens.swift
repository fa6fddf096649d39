import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func issueAccessToken(_ token: AccessTokenRecord) async throws(StoreError) {
        let token = try token.validated()
        try await write("issuing access token '\(token.name)'") { db in
            // The PRIMARY KEY on name and UNIQUE on sha256 decide; checked here only to name the conflict.
            try db.execute(
                sql: "INSERT INTO access_tokens (name, role, sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [token.name, token.role, token.sha256, token.createdAt.storeMillis, token.expiresAt?.storeMillis])
            guard db.changesCount == 1 else { throw AccessTokenRecord.taken(token.name) }
        }
    }

    package func importAccessTokens(_ tokens: [AccessTokenRecord]) async throws(StoreError) -> Int {
        var valid: [AccessTokenRecord] = []
        for token in tokens { valid.append(try token.validated()) }
        let all = valid
        return try await write("importing \(all.count) access token(s)") { db in
            var stored = 0
            for token in all {
                try db.execute(
                    sql: "INSERT INTO access_tokens (name, role, sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    arguments: [token.name, token.role, token.sha256, token.createdAt.storeMillis, token.expiresAt?.storeMillis])
                stored += db.changesCount
            }
            return stored
        }
    }

    package func revokeAccessToken(name: String) async throws(StoreError) -> Bool {
        try await write("revoking access token '\(name)'") { db in
            try db.execute(sql: "DELETE FROM access_tokens WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    package func accessTokens() async throws(StoreError) -> [AccessTokenRecord] {
        try await read("reading access tokens") { db in
            try Row.fetchAll(db, sql: "SELECT name, role, sha256, created_at, expires_at FROM access_tokens ORDER BY name").map(Self.decodeToken)
        }
    }

    package func accessToken(sha256: String) async throws(StoreError) -> AccessTokenRecord? {
        try await read("looking up an access token") { db in
            // Every request looks its token up: the statement is prepared once per connection.
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT name, role, sha256, created_at, expires_at FROM access_tokens WHERE sha256 = ?"), arguments: [sha256]
            )
            .map(Self.decodeToken)
        }
    }

    private static func decodeToken(_ row: Row) -> AccessTokenRecord {
        AccessTokenRecord(
            name: row["name"], role: row["role"], sha256: row["sha256"], createdAt: Decode.date(row, "created_at"),
            expiresAt: Decode.optionalDate(row, "expires_at"))
    }

    package func probeWrite(instance: String, at date: Date) async throws(StoreError) {
        try await write("probing a write for /ready") { db in
            try db.execute(
                sql: """
                    INSERT INTO readiness_probes (instance, checked_at) VALUES (?, ?)
                    ON CONFLICT (instance) DO UPDATE SET checked_at = excluded.checked_at
                    """, arguments: [instance, date.storeMillis])
            // Rows of instances that stopped (one per process) are kept a week, then dropped.
            try db.execute(sql: "DELETE FROM readiness_probes WHERE checked_at < ?", arguments: [date.storeMillis - 7 * 86_400_000])
        }
    }
}
