import Foundation
import HandoffServer
import TestSupport
import Testing

/// The action tokens of push buttons: signed with HMAC-SHA256 as documented on ``ActionToken``
/// (checked by Python's own `hmac` and `base64`, an implementation independent of swift-crypto),
/// refused when altered, signed by another key, cut off or expired, at the exact second.
@Suite struct ActionTokenTests {
    static let key = Data((0..<32).map { UInt8($0) })
    static let token = ActionToken(id: "q1w2e3r4t5y6u7i8o9p0aa", action: .accept, repID: "ana", leadID: "L 1/é", expiresAt: 1_772_445_605)

    @Test func aSignedTokenReadsBackAndPythonsHMACAgrees() async throws {
        let signer = ActionTokenSigner(keyBytes: Self.key)
        let text = signer.sign(Self.token)
        #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }, "path-safe: \(text)")
        #expect(try signer.verify(text, now: Date(timeIntervalSince1970: 1_772_445_604)) == Self.token)
        let script = """
            import base64, hashlib, hmac, json, sys
            token = sys.argv[1]
            payload, signature = token.split(".")
            key = bytes(range(32))
            pad = lambda s: s + "=" * (-len(s) % 4)
            mac = hmac.new(key, ("baton-action-v1." + payload).encode(), hashlib.sha256).digest()
            assert base64.urlsafe_b64decode(pad(signature)) == mac, "signature"
            body = json.loads(base64.urlsafe_b64decode(pad(payload)))
            print(json.dumps(body, sort_keys=True, ensure_ascii=False))
            """
        let result = try await BlockingWork.run { try PythonTooling.run("/usr/bin/env", ["python3", "-c", script, text]) }
        #expect(result.status == 0, "\(result.output)")
        #expect(
            result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"{"a": "accept", "e": 1772445605, "i": "q1w2e3r4t5y6u7i8o9p0aa", "l": "L 1/é", "r": "ana"}"#)
    }

    @Test func anAlteredForeignCutOrExpiredTokenIsRefused() throws {
        let signer = ActionTokenSigner(keyBytes: Self.key)
        let text = signer.sign(Self.token)
        let now = Date(timeIntervalSince1970: 1_772_445_000)
        // Every single-character change is refused (never read as another valid token).
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for index in text.indices where text[index] != "." {
            var changed = text
            let replacement = alphabet.first { $0 != text[index] } ?? "A"
            changed.replaceSubrange(index...index, with: String(replacement))
            #expect(throws: ActionTokenError.self) { try signer.verify(changed, now: now) }
        }
        #expect(throws: ActionTokenError.tampered) {
            try ActionTokenSigner(keyBytes: Data(repeating: 7, count: 32)).verify(text, now: now)
        }
        #expect(throws: ActionTokenError.malformed) { try signer.verify(String(text.dropLast(3)), now: now) }
        #expect(throws: ActionTokenError.malformed) { try signer.verify("", now: now) }
        #expect(throws: ActionTokenError.malformed) { try signer.verify(text + "." + text, now: now) }
        #expect(throws: ActionTokenError.malformed) { try signer.verify(String(repeating: "A", count: 5000), now: now) }
        // Valid up to the second before expiry, refused from it on.
        #expect(throws: Never.self) { try signer.verify(text, now: Date(timeIntervalSince1970: 1_772_445_604.9)) }
        #expect(throws: ActionTokenError.expired(at: 1_772_445_605)) { try signer.verify(text, now: Date(timeIntervalSince1970: 1_772_445_605)) }
    }

    @Test func aButtonKeepsItsIDAcrossRetriesOfOneRow() {
        #expect(
            ActionToken.id(alertID: "e-1/1-new-high-priority", action: .accept) == ActionToken.id(alertID: "e-1/1-new-high-priority", action: .accept)
        )
        #expect(
            ActionToken.id(alertID: "e-1/1-new-high-priority", action: .accept)
                != ActionToken.id(alertID: "e-1/1-new-high-priority", action: .logCall))
        #expect(ActionToken.id(alertID: "e-1/1-new-high-priority", action: .accept).count == 22)
    }
}
