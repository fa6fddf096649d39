import Foundation
import HandoffPersistence
import HandoffPostgres
import HandoffSQLite
import PostgresTestSupport
import Testing

/// Web Push subscriptions and service keys in the store (migration 0008), alike on both backends.
@Suite struct PushSubscriptionStoreTests {
    static func subscription(_ endpoint: String, rep: String, fill: Character = "A", at: Date = T.base) -> PushSubscriptionRecord {
        PushSubscriptionRecord(
            endpoint: endpoint, rep: rep, p256dh: "B" + String(repeating: fill, count: 86), auth: String(repeating: fill, count: 22), createdAt: at)
    }

    @Test(arguments: StoreBackend.allCases)
    func subscribeResubscribeListAndRemove(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { (store: any HandoffStore) async throws in
            let phone = Self.subscription("https://push.example/p/1", rep: "ana", at: T.ms(1_234))
            let laptop = Self.subscription("https://push.example/p/2", rep: "ana", at: T.minutes(1))
            #expect(try await store.savePushSubscription(phone))
            #expect(try await store.savePushSubscription(laptop))
            #expect(try await store.savePushSubscription(Self.subscription("https://push.example/p/3", rep: "ben")))
            #expect(try await store.pushSubscriptions(rep: "ana") == [phone, laptop], "oldest first, millisecond precision")
            // The same browser subscribing again replaces its keys and keeps one row.
            var renewed = phone
            renewed.auth = String(repeating: "z", count: 22)
            #expect(try await store.savePushSubscription(renewed) == false)
            #expect(try await store.pushSubscriptions(rep: "ana") == [renewed, laptop])
            // Another rep cannot remove ana's subscription; ana can, once.
            #expect(try await store.removePushSubscription(endpoint: laptop.endpoint, rep: "ben") == false)
            #expect(try await store.removePushSubscription(endpoint: laptop.endpoint, rep: "ana"))
            #expect(try await store.removePushSubscription(endpoint: laptop.endpoint, rep: nil) == false)
            #expect(try await store.removePushSubscription(endpoint: "https://push.example/p/3", rep: nil))
            #expect(try await store.pushSubscriptions(rep: "ana") == [renewed])
            #expect(try await store.pushSubscriptions(rep: "ben").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func malformedSubscriptionIsRefusedByField(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { (store: any HandoffStore) async throws in
            var plain = Self.subscription("http://push.example/p/1", rep: "ana")
            let error = await #expect(throws: StoreError.self) { try await store.savePushSubscription(plain) }
            #expect(error?.description.contains("endpoint") == true)
            plain.endpoint = "https://push.example/p/1"
            plain.auth = "short"
            let auth = await #expect(throws: StoreError.self) { try await store.savePushSubscription(plain) }
            #expect(auth?.description.contains("keys.auth") == true)
            #expect(try await store.pushSubscriptions(rep: "ana").isEmpty, "nothing stored")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func firstStoredServiceKeyWins(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { (store: any HandoffStore) async throws in
            #expect(try await store.serviceKey(name: "vapid", orStore: "first", at: T.base) == "first")
            #expect(try await store.serviceKey(name: "vapid", orStore: "second", at: T.minutes(1)) == "first")
            #expect(try await store.serviceKey(name: "other", orStore: "third", at: T.base) == "third")
        }
    }
}
