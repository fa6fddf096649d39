import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func issueAccessToken(_ token: AccessTokenRecord) async throws(StoreError) {
        let token = try token.validated()
        try await transaction("issuing access token '\(token.name)'") { sql in
            // The PRIMARY KEY on name settles two instances issuing the same name at once: the
            // second INSERT waits for the first to commit, then inserts nothing.
            guard
                try await sql.row(
                    """
                    INSERT INTO access_tokens (name, role, sha256, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT DO NOTHING RETURNING name
                    """, Self.binds(token)) != nil
            else { throw AccessTokenRecord.taken(token.name) }
        }
    }

    package func importAccessTokens(_ tokens: [AccessTokenRecord]) async throws(StoreError) -> Int {
        var valid: [AccessTokenRecord] = []
        for token in tokens { valid.append(try token.validated()) }
        let all = valid
        return try await transaction("importing \(all.count) access token(s)") { sql in
            var stored = 0
            for token in all {
                if try await sql.row(
                    """
                    INSERT INTO access_tokens (name, role, sha256, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT DO NOTHING RETURNING name
                    """, Self.binds(token)) != nil
                {
                    stored += 1
                }
            }
            return stored
        }
    }

    package func revokeAccessToken(name: String) async throws(StoreError) -> Bool {
        try await transaction("revoking access token '\(name)'") { sql in
            try await sql.row("DELETE FROM access_tokens WHERE name = $1 RETURNING name", [.text(name)]) != nil
        }
    }

    package func accessTokens() async throws(StoreError) -> [AccessTokenRecord] {
        try await read("reading access tokens") { sql in
            try await sql.rows("SELECT name, role, sha256, created_at, expires_at FROM access_tokens ORDER BY name").map(Self.decodeToken)
        }
    }

    package func accessToken(sha256: String) async throws(StoreError) -> AccessTokenRecord? {
        try await read("looking up an access token") { sql in
            try await sql.row("SELECT name, role, sha256, created_at, expires_at FROM access_tokens WHERE sha256 = $1", [.text(sha256)])
                .map(Self.decodeToken)
        }
    }

    package func probeWrite(instance: String, at date: Date) async throws(StoreError) {
        try await transaction("probing a write for /ready") { sql in
            _ = try await sql.row(
                """
                INSERT INTO readiness_probes (instance, checked_at) VALUES ($1, $2)
                ON CONFLICT (instance) DO UPDATE SET checked_at = excluded.checked_at RETURNING instance
                """, [.text(instance), .date(date)])
            // Rows of instances that stopped (one per process) are kept a week, then dropped.
            _ = try await sql.row(
                "DELETE FROM readiness_probes WHERE checked_at < $1 RETURNING instance", [.int(date.storeMillis - 7 * 86_400_000)])
        }
    }

    private static func binds(_ token: AccessTokenRecord) -> [Bind] {
        [.text(token.name), .text(token.role), .text(token.sha256), .date(token.createdAt), .date(token.expiresAt)]
    }

    private static func decodeToken(_ r: Cells) throws -> AccessTokenRecord {
        AccessTokenRecord(
            name: try r.text("name"), role: try r.text("role"), sha256: try r.text("sha256"), createdAt: try r.date("created_at"),
            expiresAt: try r.optionalDate("expires_at"))
    }
}
