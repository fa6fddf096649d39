import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func savePushSubscription(_ subscription: PushSubscriptionRecord) async throws(StoreError) -> Bool {
        let s = try subscription.validated()
        return try await write("storing a push subscription of rep '\(s.rep)'") { db in
            let existed =
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM push_subscriptions WHERE endpoint = ?)", arguments: [s.endpoint]) ?? false
            try db.execute(
                sql: """
                    INSERT INTO push_subscriptions (endpoint, rep, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (endpoint) DO UPDATE SET rep = excluded.rep, p256dh = excluded.p256dh, auth = excluded.auth
                    """, arguments: [s.endpoint, s.rep, s.p256dh, s.auth, s.createdAt.storeMillis])
            return !existed
        }
    }

    package func removePushSubscription(endpoint: String, rep: String?) async throws(StoreError) -> Bool {
        try await write("removing a push subscription") { db in
            if let rep {
                try db.execute(sql: "DELETE FROM push_subscriptions WHERE endpoint = ? AND rep = ?", arguments: [endpoint, rep])
            } else {
                try db.execute(sql: "DELETE FROM push_subscriptions WHERE endpoint = ?", arguments: [endpoint])
            }
            return db.changesCount > 0
        }
    }

    package func pushSubscriptions(rep: String) async throws(StoreError) -> [PushSubscriptionRecord] {
        try await read("reading the push subscriptions of rep '\(rep)'") { db in
            try Row.fetchAll(
                db, sql: "SELECT endpoint, rep, p256dh, auth, created_at FROM push_subscriptions WHERE rep = ? ORDER BY created_at, endpoint",
                arguments: [rep]
            ).map { row in
                PushSubscriptionRecord(
                    endpoint: row["endpoint"], rep: row["rep"], p256dh: row["p256dh"], auth: row["auth"], createdAt: Decode.date(row, "created_at"))
            }
        }
    }

    package func serviceKey(name: String, orStore candidate: String, at date: Date) async throws(StoreError) -> String {
        try await write("reading the service key '\(name)'") { db in
            try db.execute(
                sql: "INSERT INTO service_keys (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                arguments: [name, candidate, date.storeMillis])
            return try String.fetchOne(db, sql: "SELECT value FROM service_keys WHERE name = ?", arguments: [name]) ?? candidate
        }
    }
}
