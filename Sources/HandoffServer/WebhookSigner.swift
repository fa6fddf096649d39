import BatonSupport
import Crypto
import Foundation

/// Signs every webhook Baton sends as the Standard Webhooks specification defines it
/// (https://www.standardwebhooks.com, "Standard Webhooks" spec v1, §Signature scheme):
///
/// - `webhook-id`: the message id, the same on every retry of one message, so receivers can
///   drop duplicates. Baton's is `msg_` and the first 32 hex digits of the SHA-256 of the stored
///   alert's id (the alert id itself may hold any printable text; a header must not).
/// - `webhook-timestamp`: the attempt's time, integer Unix seconds (receivers refuse one older
///   than their tolerance, 5 minutes in the reference libraries).
/// - `webhook-signature`: `v1,` then base64 of HMAC-SHA256 over `id.timestamp.body` with the
///   secret's key; the secret is written `whsec_` followed by the key in base64.
///
/// Checked against the `standardwebhooks` reference library (Python) in `WebhookSigningTests`.
package struct WebhookSigner: Sendable {
    let key: SymmetricKey

    /// - Parameter secret: `whsec_<base64 key>`; the key must hold 24 to 64 bytes, as the
    ///   specification recommends.
    package init(secret: String) throws(ServiceError) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(trimmed.dropFirst(6))) else {
            throw .configuration(
                file: nil, key: "webhook_secret_file",
                problem: "does not hold a Standard Webhooks secret: `whsec_` then the key in base64 (e.g. whsec_$(openssl rand -base64 32))")
        }
        guard (24...64).contains(bytes.count) else {
            throw .configuration(
                file: nil, key: "webhook_secret_file", problem: "holds a \(bytes.count)-byte key; use 24 to 64 random bytes (openssl rand -base64 32)"
            )
        }
        key = SymmetricKey(data: bytes)
    }

    /// Reads the secret from `file`, which must not be readable by every user of the machine.
    package static func load(file: String) throws(ServiceError) -> WebhookSigner {
        try SecretFilePermissions.requirePrivate(file, key: "webhook_secret_file")
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw .configuration(file: file, key: "webhook_secret_file", problem: "cannot be read (\(error.localizedDescription))")
        }
        do { return try WebhookSigner(secret: text) } catch {
            guard case let .configuration(_, key, problem) = error else { throw error }
            throw .configuration(file: file, key: key, problem: problem)
        }
    }

    /// The stable message id of a stored alert (see the type's discussion).
    package static func messageID(alertID: String) -> String {
        "msg_" + lowercaseHex(SHA256.hash(data: Data(alertID.utf8)).prefix(16))
    }

    /// The three headers for one delivery attempt of `body` as message `id` at `instant`.
    package func headers(id: String, at instant: Date, body: Data) -> [(name: String, value: String)] {
        // Clamped to 1970…9999: a clock can only be wrong, never trap the delivery loop.
        let timestamp = String(instant.timeIntervalSince1970.clampedInt(.down, in: 0...253_402_300_799))
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key)
        return [("webhook-id", id), ("webhook-timestamp", timestamp), ("webhook-signature", "v1," + Data(mac).base64EncodedString())]
    }
}
