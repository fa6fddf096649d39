import BatonSupport
import Crypto
import Foundation

/// The VAPID authorization of one Web Push request (RFC 8292): a JWT (RFC 7519) signed with
/// ECDSA P-256 / SHA-256 (JWS `ES256`, RFC 7515 Appendix A.3: the signature is `r ‖ s`, 64 bytes,
/// not DER), with `aud` the push resource's origin, `exp` at most 24 hours ahead (§2: Baton uses
/// 12 h) and `sub` a contact URI; sent as `Authorization: vapid t=<jwt>, k=<public key>` (§3, the
/// key as its uncompressed point in base64url). Signed by swift-crypto; checked in `WebPushTests`
/// by Python's `cryptography`.
package struct VAPIDToken: Sendable {
    let key: P256.Signing.PrivateKey
    /// `mailto:` or `https:` contact of the sender (RFC 8292 §2.1).
    let subject: String

    package init(key: P256.Signing.PrivateKey, subject: String) {
        self.key = key
        self.subject = subject
    }

    /// A token signer with a fresh key (the service keeps its key in the store; tests make one).
    package static func generate(subject: String) -> VAPIDToken {
        VAPIDToken(key: P256.Signing.PrivateKey(), subject: subject)
    }

    /// The application server key browsers subscribe with (`applicationServerKey`): base64url of
    /// the 65-byte uncompressed point.
    package var publicKey: String { Base64URL.encode(key.publicKey.x963Representation) }

    /// The origin (scheme, host, non-default port) of `endpoint`, the JWT's `aud`.
    package static func audience(of endpoint: String) -> String? {
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), ["https", "http"].contains(scheme),
            let host = url.host?.lowercased()
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        return "\(scheme)://\(host)" + (url.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? "")
    }

    /// The `Authorization` header value for a push to `endpoint` sent at `now`.
    package func authorization(endpoint: String, now: Date) -> String? {
        guard let audience = Self.audience(of: endpoint) else { return nil }
        let expiry = (now.timeIntervalSince1970 + 12 * 3600).clampedInt(.down, in: 0...253_402_300_799)
        let header = Base64URL.encode(Data(#"{"typ":"JWT","alg":"ES256"}"#.utf8))
        let claims: [String: Any] = ["aud": audience, "exp": expiry, "sub": subject]
        guard let claimData = try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        let input = header + "." + Base64URL.encode(claimData)
        guard let signature = try? key.signature(for: Data(input.utf8)) else { return nil }
        return "vapid t=\(input).\(Base64URL.encode(signature.rawRepresentation)), k=\(publicKey)"
    }
}
