import Crypto
import Foundation

/// Web Push message encryption, `aes128gcm`, as RFC 8291 ("Message Encryption for Web Push")
/// defines it on top of RFC 8188 ("Encrypted Content-Encoding for HTTP"), built on swift-crypto
/// only (P-256 ECDH, HKDF-SHA-256, AES-128-GCM); no primitive is written here.
///
/// RFC 8291 §3.4: `IKM = HKDF(salt: auth_secret, ikm: ECDH(as_private, ua_public),
/// info: "WebPush: info" 0x00 ua_public as_public, 32)`; RFC 8188 §2.2/§2.3: `CEK = HKDF(salt, IKM,
/// "Content-Encoding: aes128gcm" 0x00, 16)`, `NONCE = HKDF(salt, IKM, "Content-Encoding: nonce" 0x00, 12)`.
/// One record (RFC 8291 §4: a push message is a single record), the plaintext followed by the
/// last-record delimiter 0x02, sealed with AES-GCM under CEK and NONCE (sequence number 0). The
/// body is the RFC 8188 header, `salt (16) ‖ rs (uint32, 4096) ‖ idlen (65) ‖ as_public (65)`,
/// then the ciphertext with its 16-byte tag. Reproduces RFC 8291 Appendix A byte for byte
/// (`WebPushTests`), and Python's `http_ece` decrypts it.
package enum WebPushEncryption {
    /// RFC 8291 §4: push services must accept 4096 bytes of payload body; the record size Baton declares.
    package static let recordSize: UInt32 = 4096
    /// The most plaintext one message carries: 4096 − 86 (header) − 16 (tag) − 1 (delimiter).
    package static let maxPlaintext = 3993

    package enum Failure: Error, Equatable {
        /// `p256dh` is not an uncompressed P-256 point (65 bytes, 0x04 first) on the curve.
        case badSubscriptionKey
        /// `auth` is not 16 bytes.
        case badAuthSecret
        case payloadTooLarge(bytes: Int)
    }

    /// ``encrypt(_:p256dh:auth:senderKey:salt:)`` with the sender's private key as its 32 raw bytes.
    package static func encrypt(_ plaintext: Data, p256dh: Data, auth: Data, senderPrivateKey raw: Data, salt: Data) throws(Failure) -> Data {
        guard let key = try? P256.KeyAgreement.PrivateKey(rawRepresentation: raw) else { throw .badSubscriptionKey }
        return try encrypt(plaintext, p256dh: p256dh, auth: auth, senderKey: key, salt: salt)
    }

    /// Encrypts `plaintext` for the subscription keys `p256dh` and `auth`, with a fresh sender
    /// key and salt unless given (RFC 8291 Appendix A fixes both).
    package static func encrypt(
        _ plaintext: Data, p256dh: Data, auth: Data, senderKey: P256.KeyAgreement.PrivateKey = .init(), salt: Data? = nil
    ) throws(Failure) -> Data {
        guard plaintext.count <= maxPlaintext else { throw .payloadTooLarge(bytes: plaintext.count) }
        guard auth.count == 16 else { throw .badAuthSecret }
        guard p256dh.count == 65, p256dh.first == 0x04, let receiver = try? P256.KeyAgreement.PublicKey(x963Representation: p256dh) else {
            throw .badSubscriptionKey
        }
        let salt = salt ?? Data(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
        guard let shared = try? senderKey.sharedSecretFromKeyAgreement(with: receiver) else { throw .badSubscriptionKey }
        let senderPublic = senderKey.publicKey.x963Representation
        var keyInfo = Data("WebPush: info".utf8)
        keyInfo.append(0)
        keyInfo.append(p256dh)
        keyInfo.append(senderPublic)
        let ikm = shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: auth, sharedInfo: keyInfo, outputByteCount: 32)
        let cek = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: aes128gcm\u{0}".utf8), outputByteCount: 16)
        let nonce = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: nonce\u{0}".utf8), outputByteCount: 12)
        var record = plaintext
        record.append(0x02)
        let sealed: AES.GCM.SealedBox
        do {
            sealed = try AES.GCM.seal(record, using: cek, nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }))
        } catch {
            // A 16-byte key and a 12-byte nonce are always accepted.
            preconditionFailure("AES-128-GCM refused a 16-byte key or a 12-byte nonce: \(error)")
        }
        var body = salt
        withUnsafeBytes(of: recordSize.bigEndian) { body.append(contentsOf: $0) }
        body.append(UInt8(senderPublic.count))
        body.append(senderPublic)
        body.append(sealed.ciphertext)
        body.append(sealed.tag)
        return body
    }
}
