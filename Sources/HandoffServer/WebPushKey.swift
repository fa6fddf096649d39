import BatonSupport
import Crypto
import Foundation
import HandoffPersistence

/// The service's VAPID key (RFC 8292): a P-256 signing key made on first start and kept in the
/// store (`service_keys`, name `vapid-p256`, the 32-byte private scalar in base64url), so every
/// instance on one store signs with it and browsers' subscriptions (made for its public key)
/// survive restarts. Of two instances starting together, both keep the one stored first.
enum WebPushKey {
    static let storeName = "vapid-p256"

    static func load(_ store: any HandoffStore, subject: String, at date: Date) async throws(ServiceError) -> VAPIDToken {
        let candidate = Base64URL.encode(P256.Signing.PrivateKey().rawRepresentation)
        let stored: String
        do { stored = try await store.serviceKey(name: storeName, orStore: candidate, at: date) } catch { throw .store(error) }
        guard let raw = Base64URL.decode(stored), let key = try? P256.Signing.PrivateKey(rawRepresentation: raw) else {
            throw .configuration(
                file: nil, key: "service_keys.\(storeName)",
                problem: "the store's VAPID key is not a P-256 private key; delete that row to have a new one made (browsers then subscribe again)")
        }
        return VAPIDToken(key: key, subject: subject)
    }
}
