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
/// Secret rotation (spec §"Signature scheme", several space-delimited signatures): the secret file
/// may hold several secrets, one per line; each request is signed with every one of them
/// (`v1,<sig1> v1,<sig2>`), so receivers verify with the old or the new secret while they move.
/// Put the new secret on a line of its own, restart, move the receivers, then remove the old line.
///
/// Checked against the `standardwebhooks` reference library (Python) in `WebhookSigningTests`.
package struct WebhookSigner: Sendable {
    let keys: [SymmetricKey]

    /// - Parameter secret: `whsec_<base64 key>`; the key must hold 24 to 64 bytes, as the
    ///   specification recommends.
    package init(secret: String) throws(ServiceError) {
        keys = [try Self.key(secret)]
    }

    /// Signs with every one of `secrets` (a rotation); at least one.
    package init(secrets: [String]) throws(ServiceError) {
        guard !secrets.isEmpty else {
            throw .configuration(file: nil, key: "webhook_secret_file", problem: "holds no secret: write `whsec_` then the key in base64")
        }
        var keys: [SymmetricKey] = []
        for secret in secrets { keys.append(try Self.key(secret)) }
        self.keys = keys
    }

    static func key(_ secret: String) throws(ServiceError) -> SymmetricKey {
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
        return SymmetricKey(data: bytes)
    }

    /// Reads the secret from `file`, which must not be readable by every user of the machine.
    package static func load(file: String) throws(ServiceError) -> WebhookSigner {
        let text = try SecretFilePermissions.readPrivate(file, key: "webhook_secret_file")
        let secrets = text.split(whereSeparator: \.isWhitespace).map(String.init)
        do { return try WebhookSigner(secrets: secrets) } catch {
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
        let signatures = keys.map { "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: $0)).base64EncodedString() }
        return [("webhook-id", id), ("webhook-timestamp", timestamp), ("webhook-signature", signatures.joined(separator: " "))]
    }
}
