import Foundation

/// base64url without padding (RFC 4648 §5), as tokens and cursors in URLs use it.
package enum Base64URL {
    package static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Nil for any character outside the URL-safe alphabet (padding included) or a bad length.
    package static func decode(_ text: String) -> Data? {
        guard
            text.utf8.allSatisfy({
                ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
            })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        switch base64.utf8.count % 4 {
        case 0: break
        case 2: base64 += "=="
        case 3: base64 += "="
        default: return nil
        }
        // Canonical only: unused low bits set in the last character would otherwise give a second
        // spelling of the same bytes.
        guard let data = Data(base64Encoded: base64), encode(data) == text else { return nil }
        return data
    }
}
