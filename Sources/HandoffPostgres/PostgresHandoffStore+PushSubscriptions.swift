import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func savePushSubscription(_ subscription: PushSubscriptionRecord) async throws(StoreError) -> Bool {
        let s = try subscription.validated()
        return try await transaction("storing a push subscription of rep '\(s.rep)'") { sql in
            // xmax = 0 only on a freshly inserted row (an update sets it): true when the endpoint was new.
            let row = try await sql.row(
                """
                INSERT INTO push_subscriptions (endpoint, rep, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (endpoint) DO UPDATE SET rep = excluded.rep, p256dh = excluded.p256dh, auth = excluded.auth
                RETURNING (xmax = 0)::int AS inserted
                """, [.text(s.endpoint), .text(s.rep), .text(s.p256dh), .text(s.auth), .date(s.createdAt)])
            return try row?.int("inserted") == 1
        }
    }

    package func removePushSubscription(endpoint: String, rep: String?) async throws(StoreError) -> Bool {
        try await transaction("removing a push subscription") { sql in
            if let rep {
                return try await sql.row(
                    "DELETE FROM push_subscriptions WHERE endpoint = $1 AND rep = $2 RETURNING endpoint", [.text(endpoint), .text(rep)]) != nil
            }
            return try await sql.row("DELETE FROM push_subscriptions WHERE endpoint = $1 RETURNING endpoint", [.text(endpoint)]) != nil
        }
    }

    package func pushSubscriptions(rep: String) async throws(StoreError) -> [PushSubscriptionRecord] {
        try await read("reading the push subscriptions of rep '\(rep)'") { sql in
            try await sql.rows(
                "SELECT endpoint, rep, p256dh, auth, created_at FROM push_subscriptions WHERE rep = $1 ORDER BY created_at, endpoint", [.text(rep)]
            ).map { r in
                PushSubscriptionRecord(
                    endpoint: try r.text("endpoint"), rep: try r.text("rep"), p256dh: try r.text("p256dh"), auth: try r.text("auth"),
                    createdAt: try r.date("created_at"))
            }
        }
    }

    package func serviceKey(name: String, orStore candidate: String, at date: Date) async throws(StoreError) -> String {
        try await transaction("reading the service key '\(name)'") { sql in
            _ = try await sql.row(
                "INSERT INTO service_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING name",
                [.text(name), .text(candidate), .date(date)])
            return try await sql.row("SELECT value FROM service_keys WHERE name = $1", [.text(name)]).map { try $0.text("value") } ?? candidate
        }
    }
}
