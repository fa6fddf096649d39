import Foundation

/// One browser's Web Push subscription for a rep (the W3C Push API's `PushSubscription`):
/// where to push (`endpoint`, the push service's URL) and the keys to encrypt for, as the
/// browser hands them out in base64url: `p256dh` (the 65-byte P-256 point, 87 characters) and
/// `auth` (16 bytes, 22 characters). The HTTP route checks them in full; the store keeps what it
/// was given.
package struct PushSubscriptionRecord: Sendable, Equatable, Codable {
    package var endpoint: String
    package var rep: String
    package var p256dh: String
    package var auth: String
    package var createdAt: Date

    package init(endpoint: String, rep: String, p256dh: String, auth: String, createdAt: Date) {
        self.endpoint = endpoint
        self.rep = rep
        self.p256dh = p256dh
        self.auth = auth
        self.createdAt = createdAt
    }

    /// The record, or a ``StoreError/invalidField(record:field:reason:)`` naming the first field out of shape.
    package func validated() throws(StoreError) -> PushSubscriptionRecord {
        func bad(_ field: String, _ reason: String) -> StoreError {
            .invalidField(record: "push subscription", field: field, reason: reason)
        }
        guard (9...2048).contains(endpoint.utf8.count), Self.isPushEndpoint(endpoint) else {
            throw bad("endpoint", "must be an https URL (http only to this machine, for a local push service) of at most 2048 bytes")
        }
        guard !rep.isEmpty, rep.utf8.count <= 200 else { throw bad("rep", "must be 1 to 200 bytes") }
        guard p256dh.utf8.count == 87 else { throw bad("keys.p256dh", "must be 87 base64url characters (a 65-byte P-256 point)") }
        guard auth.utf8.count == 22 else { throw bad("keys.auth", "must be 22 base64url characters (16 bytes)") }
        return self
    }

    /// An `https` URL with a host, or `http` to a loopback host (a push service on this machine,
    /// for development and tests; browsers' push services are all https). Printable ASCII only.
    package static func isPushEndpoint(_ text: String) -> Bool {
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }), let url = URL(string: text), let host = url.host?.lowercased(),
            !host.isEmpty
        else { return false }
        switch url.scheme?.lowercased() {
        case "https": return true
        case "http": return ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        default: return false
        }
    }
}
