import BatonSupport
import Foundation
import HandoffServer
import TestSupport
import Testing

/// Web Push's two cryptographic parts (issue 17): the `aes128gcm` payload encryption reproduces
/// RFC 8291 Appendix A exactly, and Python's `http_ece` (an independent implementation) decrypts
/// what Baton sends; the VAPID JWT verifies with Python's `cryptography` (ES256 over the raw
/// `r ‖ s`, `aud` the endpoint's origin, `exp` within 24 h).
@Suite struct WebPushTests {
    // RFC 8291, Appendix A (base64url as printed there).
    static let plaintext = "When I grow up, I want to be a watermelon"
    static let asPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
    static let uaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
    static let uaPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    static let salt = "DGv6ra1nlYgDCS1FRnbzlw"
    static let auth = "BTBZMqHH6r4Tts7J_aSIgg"
    static let body =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"

    static func bytes(_ text: String) throws -> Data { try require(Base64URL.decode(text), "base64url \(text)") }

    @Test func rfc8291AppendixAIsReproducedExactly() throws {
        let sent = try WebPushEncryption.encrypt(
            Data(Self.plaintext.utf8), p256dh: try Self.bytes(Self.uaPublic), auth: try Self.bytes(Self.auth),
            senderPrivateKey: try Self.bytes(Self.asPrivate), salt: try Self.bytes(Self.salt))
        #expect(Base64URL.encode(sent) == Self.body)
    }

    @Test func badKeysAndTooLargeAPayloadAreRefused() throws {
        let auth = try Self.bytes(Self.auth)
        let key = try Self.bytes(Self.uaPublic)
        #expect(throws: WebPushEncryption.Failure.badSubscriptionKey) {
            try WebPushEncryption.encrypt(Data("x".utf8), p256dh: Data(key.dropLast()), auth: auth)
        }
        var offCurve = key
        offCurve[40] ^= 1
        #expect(throws: WebPushEncryption.Failure.badSubscriptionKey) { try WebPushEncryption.encrypt(Data("x".utf8), p256dh: offCurve, auth: auth) }
        #expect(throws: WebPushEncryption.Failure.badAuthSecret) {
            try WebPushEncryption.encrypt(Data("x".utf8), p256dh: key, auth: Data(auth.prefix(8)))
        }
        #expect(throws: WebPushEncryption.Failure.payloadTooLarge(bytes: 3994)) {
            try WebPushEncryption.encrypt(Data(repeating: 0x61, count: 3994), p256dh: key, auth: auth)
        }
        // The largest payload fills exactly one 4096-byte record.
        #expect(try WebPushEncryption.encrypt(Data(repeating: 0x61, count: 3993), p256dh: key, auth: auth).count == 4096)
    }

    /// A random sender key and salt (as in service), decrypted by `http_ece`; the VAPID header
    /// checked by `cryptography`.
    @Test func pythonDecryptsThePayloadAndVerifiesTheVAPIDToken() async throws {
        let message = #"{"title":"Baton: new high priority, lead L1","url":"https://baton.example.com/actions/x"}"#
        let sent = try WebPushEncryption.encrypt(Data(message.utf8), p256dh: try Self.bytes(Self.uaPublic), auth: try Self.bytes(Self.auth))
        let now = Date()
        let vapid = VAPIDToken.generate(subject: "mailto:ops@baton.example.com")
        let endpoint = "https://push.example.net:8443/wpush/v2/gAAAAABk"
        let header = try require(vapid.authorization(endpoint: endpoint, now: now))
        let python = try await BlockingWork.run { try PythonTooling.venv(packages: ["http_ece", "cryptography"]) }
        let script = """
            import base64, json, sys, time, http_ece
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
            from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
            b = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
            body, ua_private, auth, header, now = b(sys.argv[1]), b(sys.argv[2]), b(sys.argv[3]), sys.argv[4], int(sys.argv[5])
            key = ec.derive_private_key(int.from_bytes(ua_private, "big"), ec.SECP256R1())
            print(http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm").decode())
            scheme, rest = header.split(" ", 1)
            assert scheme == "vapid", scheme
            params = dict(p.strip().split("=", 1) for p in rest.split(","))
            token, k = params["t"], params["k"]
            head, claims, signature = token.split(".")
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b(k))
            raw = b(signature)
            assert len(raw) == 64, len(raw)
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
            public.verify(der, (head + "." + claims).encode(), ec.ECDSA(hashes.SHA256()))
            assert json.loads(b(head)) == {"typ": "JWT", "alg": "ES256"}
            c = json.loads(b(claims))
            assert c["aud"] == "https://push.example.net:8443", c
            assert now < c["exp"] <= now + 24 * 3600, c
            assert c["sub"] == "mailto:ops@baton.example.com", c
            print("vapid ok")
            """
        let result = try await BlockingWork.run {
            try PythonTooling.run(
                python.path,
                ["-c", script, Base64URL.encode(sent), Self.uaPrivate, Self.auth, header, String(Int(now.timeIntervalSince1970))])
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == message + "\nvapid ok")
        // A changed byte of the ciphertext does not decrypt.
        var broken = sent
        broken[broken.count - 20] ^= 1
        let brokenText = Base64URL.encode(broken)
        let refused = try await BlockingWork.run {
            try PythonTooling.run(
                python.path,
                [
                    "-c",
                    "import base64,sys,http_ece\nfrom cryptography.hazmat.primitives.asymmetric import ec\nb=lambda s: base64.urlsafe_b64decode(s+'='*(-len(s)%4))\nk=ec.derive_private_key(int.from_bytes(b(sys.argv[2]),'big'),ec.SECP256R1())\nhttp_ece.decrypt(b(sys.argv[1]),private_key=k,auth_secret=b(sys.argv[3]),version='aes128gcm')",
                    brokenText, Self.uaPrivate, Self.auth,
                ])
        }
        #expect(refused.status != 0)
        #expect(VAPIDToken.audience(of: "https://fcm.googleapis.com/fcm/send/abc") == "https://fcm.googleapis.com")
        #expect(VAPIDToken.audience(of: "ftp://x/y") == nil)
    }
}
