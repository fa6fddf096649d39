import BatonSupport
import Crypto
import Foundation

/// What a button on a push alert asks for, bound to one rep, one lead and one action, valid
/// until `expiresAt` and usable once (its ``id`` is the idempotency key of the event it becomes).
///
/// Text form: `base64url(payload) "." base64url(HMAC-SHA256(key, "baton-action-v1." + base64url(payload)))`
/// (base64url without padding, RFC 4648 §5), where the payload is the canonical JSON object
/// `{"a": action, "e": expiry (Unix seconds), "i": id, "l": lead, "r": rep}` with sorted keys.
/// Only the URL-safe alphabet and one `.`: the token travels as a path segment
/// (`/actions/{token}`) with no escaping. A token whose MAC does not verify is refused before its
/// payload is read (``ActionTokenError/tampered``).
package struct ActionToken: Sendable, Hashable, Codable {
    package enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// The rep takes the lead: assigned to them by hand (first-touch clock starts), or, when
        /// they hold it already, their acceptance is recorded.
        case accept
        /// The rep logged a call (a `contact_attempt`, channel `call`).
        case logCall = "log_call"
        /// The rep hands the lead back to the fallback queue for triage (a `release` event).
        case reassign

        /// The button's label.
        package var label: String {
            switch self {
            case .accept: "Accept"
            case .logCall: "Log a call"
            case .reassign: "Reassign to triage"
            }
        }
    }

    /// 22 base64url characters (16 random bytes, or derived from the alert and action).
    package var id: String
    package var action: Action
    package var repID: String
    package var leadID: String
    /// Whole Unix seconds; refused from this instant on.
    package var expiresAt: Int64

    package init(id: String, action: Action, repID: String, leadID: String, expiresAt: Int64) {
        self.id = id
        self.action = action
        self.repID = repID
        self.leadID = leadID
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id = "i", action = "a", repID = "r", leadID = "l", expiresAt = "e"
    }

    /// The token id of `action` for the outbox row `alertID`: the same on every retry of that
    /// row, so a button pressed on the first push and on a re-sent one takes effect once.
    package static func id(alertID: String, action: Action) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data("\(alertID)\u{0}\(action.rawValue)".utf8)).prefix(16)))
    }

    /// The event id the pressed token becomes (its idempotency key in the journal).
    package var eventID: String { "action-\(id)" }
}

/// Why a presented action token is refused: each maps to a status and a sentence for the page.
package enum ActionTokenError: Error, Equatable, Sendable {
    /// Not two base64url parts, or too long: mistyped or cut off (400).
    case malformed
    /// The MAC does not verify (another server's key, or altered): 403.
    case tampered
    /// Past its expiry: 410.
    case expired(at: Int64)
}

/// Issues and checks ``ActionToken``s with one server key (HMAC-SHA256, swift-crypto).
package struct ActionTokenSigner: Sendable {
    let key: SymmetricKey
    static let context = "baton-action-v1."
    /// Longest token text accepted (a lead id is at most 200 characters; the rest is small).
    static let maxLength = 1024

    package init(key: SymmetricKey) {
        self.key = key
    }

    /// A signer over the raw key bytes (at least 32 for HMAC-SHA256's full strength).
    package init(keyBytes: Data) {
        key = SymmetricKey(data: keyBytes)
    }

    /// The token's text form (see ``ActionToken``).
    package func sign(_ token: ActionToken) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding five plain members cannot fail; an empty payload would only fail verification.
        let payload = Base64URL.encode((try? encoder.encode(token)) ?? Data())
        return payload + "." + Base64URL.encode(mac(payload))
    }

    func mac(_ payload: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data((Self.context + payload).utf8), using: key))
    }

    /// The token `text` stands for, when its MAC verifies and it has not expired at `now`.
    package func verify(_ text: String, now: Date) throws(ActionTokenError) -> ActionToken {
        guard text.utf8.count <= Self.maxLength else { throw .malformed }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let signature = Base64URL.decode(String(parts[1])), signature.count == 32 else { throw .malformed }
        let payload = String(parts[0])
        // Constant time: a forger learns nothing from how long the comparison took.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data((Self.context + payload).utf8), using: key) else {
            throw .tampered
        }
        guard let data = Base64URL.decode(payload), let token = try? JSONDecoder().decode(ActionToken.self, from: data) else {
            // Signed by this key yet unreadable: only a token from a later format.
            throw .malformed
        }
        let seconds = now.timeIntervalSince1970.clampedInt(.down, in: 0...253_402_300_799)
        guard Int64(seconds) < token.expiresAt else { throw .expired(at: token.expiresAt) }  // total: Int is 64 bits on every supported platform
        return token
    }
}
