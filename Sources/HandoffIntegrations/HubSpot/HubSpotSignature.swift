import BatonSupport
import Crypto
import Foundation

/// HubSpot's v3 request signature (`X-HubSpot-Signature-v3`), as HubSpot's "Validating requests"
/// page defines it (developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests,
/// "Validate the v3 request signature"):
///
/// 1. reject the request if `X-HubSpot-Request-Timestamp` (milliseconds since the epoch) is older
///    than 5 minutes;
/// 2. decode the URL-encoded characters of the table on that page in the request URI
///    (`%3A` `:`, `%2F` `/`, `%3F` `?`, `%40` `@`, `%21` `!`, `%24` `$`, `%27` `'`, `%28` `(`,
///    `%29` `)`, `%2A` `*`, `%2C` `,`, `%3B` `;`) and no other;
/// 3. concatenate method + URI + raw body + timestamp (UTF-8), HMAC-SHA256 it with the app's
///    client secret, base64 the digest, and compare with the header.
package enum HubSpotSignature {
    package static let signatureHeader = "X-HubSpot-Signature-v3"
    package static let timestampHeader = "X-HubSpot-Request-Timestamp"
    /// The largest age (and, for a clock ahead of ours, the largest lead) of a request's timestamp.
    package static let maximumAgeSeconds = 300

    /// The escapes HubSpot's table decodes before signing, and only these.
    static let decoded: [(escape: String, character: String)] = [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ]

    /// `uri` with HubSpot's escapes decoded (either case of hex digits).
    package static func decodedURI(_ uri: String) -> String {
        var result = ""
        var index = uri.startIndex
        while index < uri.endIndex {
            if uri[index] == "%", let end = uri.index(index, offsetBy: 3, limitedBy: uri.endIndex) {
                let escape = uri[index..<end].uppercased()
                if let match = decoded.first(where: { $0.escape == escape }) {
                    result += match.character
                    index = end
                    continue
                }
            }
            result.append(uri[index])
            index = uri.index(after: index)
        }
        return result
    }

    /// The base64 signature of a request (the value HubSpot puts in ``signatureHeader``).
    package static func sign(method: String, uri: String, body: Data, timestamp: String, clientSecret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: source(method: method, uri: uri, body: body, timestamp: timestamp), using: key(clientSecret)))
            .base64EncodedString()
    }

    /// Checks the request's signature and timestamp.
    /// - Throws: ``IntegrationRefusal`` (401): a header missing, a stale timestamp, a signature that does not match.
    package static func verify(_ request: IntegrationRequest, clientSecret: String) throws(IntegrationRefusal) {
        let (signature, timestamp) = try headers(request)
        guard let milliseconds = Int(timestamp), milliseconds >= 0, milliseconds < 253_402_300_800_000 else {
            throw .malformed(field: timestampHeader, problem: "is not a time in milliseconds since 1970")
        }
        // In whole milliseconds (a clock outside 1970…9999 clamped, never a trap), so no
        // floating-point rounding moves the 5-minute boundary.
        let now = (request.receivedAt.timeIntervalSince1970 * 1000).clampedInt(.down, in: 0...253_402_300_799_999)
        let age = now - milliseconds
        guard abs(age) <= maximumAgeSeconds * 1000 else {
            throw .staleTimestamp(header: timestampHeader, ageSeconds: age / 1000, limitSeconds: maximumAgeSeconds)
        }
        guard let presented = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)),
            HMAC<SHA256>.isValidAuthenticationCode(
                presented, authenticating: source(method: request.method, uri: request.uri, body: request.body, timestamp: timestamp),
                using: key(clientSecret))
        else { throw .badSignature(header: signatureHeader) }
    }

    /// The signature and timestamp headers.
    /// - Throws: ``IntegrationRefusal/missingHeader(_:)`` (401) for the first one absent: such a request did not come from HubSpot.
    package static func headers(_ request: IntegrationRequest) throws(IntegrationRefusal) -> (signature: String, timestamp: String) {
        guard let signature = request.header(signatureHeader) else { throw .missingHeader(signatureHeader) }
        guard let timestamp = request.header(timestampHeader)?.trimmingCharacters(in: .whitespaces) else {
            throw .missingHeader(timestampHeader)
        }
        return (signature, timestamp)
    }

    static func source(method: String, uri: String, body: Data, timestamp: String) -> Data {
        var data = Data(method.utf8)
        data.append(contentsOf: Array(decodedURI(uri).utf8))
        data.append(body)
        data.append(contentsOf: Array(timestamp.utf8))
        return data
    }

    static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }
}
