/// Why an integration route refuses a delivery, with the HTTP status the vendor documents for it
/// (or, where the vendor is silent, the one that makes it stop or retry as it should). Nothing of
/// a refused delivery is stored.
///
/// Vendors retry on 5xx and on time-outs and give up on most 4xx (HubSpot retries 4xx too, up to
/// its limit): a signature that does not verify is never going to, so it is a 401, not a 5xx.
package enum IntegrationRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The route's integration is not configured (no secret / organisation id): 404, so a
    /// misdirected vendor sees the route as absent rather than as a failing one.
    case notConfigured(integration: String, setting: String)
    /// A header the vendor always sends is absent: 401.
    case missingHeader(String)
    /// The signature header does not match the one computed over the request: 401.
    case badSignature(header: String)
    /// The shared-secret header does not hold the configured secret (Marketo, which signs nothing): 401.
    case wrongSecret(header: String)
    /// The request's timestamp is older (or further in the future) than the vendor allows: 401.
    case staleTimestamp(header: String, ageSeconds: Int, limitSeconds: Int)
    /// The delivery names another organisation / account than the configured one: 403.
    case foreignAccount(field: String, received: String, expected: String)
    /// The body is larger than the route accepts: 413.
    case tooLarge(bytes: Int, limit: Int)
    /// The body is not of the media type the vendor sends: 415.
    case unsupportedMediaType(received: String?, expected: String)
    /// The body is not the vendor's documented shape (a field path and what is wrong): 400.
    case malformed(field: String, problem: String)
    /// The body is well formed but a value cannot become a Baton field (an unmappable value): 422.
    case unmappable(field: String, problem: String)

    /// The HTTP status of the refusal.
    package var status: Int {
        switch self {
        case .notConfigured: 404
        case .missingHeader, .badSignature, .wrongSecret, .staleTimestamp: 401
        case .foreignAccount: 403
        case .tooLarge: 413
        case .unsupportedMediaType: 415
        case .malformed: 400
        case .unmappable: 422
        }
    }

    /// A stable machine-readable code (the `code` of the JSON error body).
    package var code: String {
        switch self {
        case .notConfigured: "integration_not_configured"
        case .missingHeader: "missing_header"
        case .badSignature: "bad_signature"
        case .wrongSecret: "bad_secret"
        case .staleTimestamp: "stale_timestamp"
        case .foreignAccount: "foreign_account"
        case .tooLarge: "body_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .malformed: "malformed_delivery"
        case .unmappable: "unmappable_value"
        }
    }

    /// The field or header the refusal is about.
    package var field: String? {
        switch self {
        case .notConfigured: nil
        case .missingHeader(let header), .badSignature(let header), .wrongSecret(let header), .staleTimestamp(let header, _, _): header
        case .foreignAccount(let field, _, _), .malformed(let field, _), .unmappable(let field, _): field
        case .tooLarge, .unsupportedMediaType: "(body)"
        }
    }

    /// What is wrong and what to do. Never holds a secret or a signature value.
    package var description: String {
        switch self {
        case let .notConfigured(integration, setting):
            return "the \(integration) integration is not configured on this service; set `\(setting)` in the service configuration"
        case .missingHeader(let header):
            return "header \(header) is missing; the vendor always sends it, so this request did not come from it"
        case .badSignature(let header):
            return
                "header \(header) does not match the signature of this request; check that the configured secret is the vendor's current one and that the public base URL is the address the vendor calls"
        case .wrongSecret(let header):
            return
                "header \(header) does not hold the configured shared secret; set the same secret on the sender's custom header and in Baton's configuration"
        case let .staleTimestamp(header, age, limit):
            return
                "header \(header) is \(age) s away from this server's clock (at most \(limit) s accepted); a replayed or delayed request, or a clock out of sync"
        case let .foreignAccount(field, received, expected):
            return "\(field) is \(received), not the configured \(expected); this delivery belongs to another account"
        case let .tooLarge(bytes, limit):
            return "the body is \(bytes) bytes; at most \(limit) are accepted"
        case let .unsupportedMediaType(received, expected):
            return "Content-Type is \(received ?? "absent"); send \(expected)"
        case let .malformed(field, problem):
            return "field \(field) \(problem)"
        case let .unmappable(field, problem):
            return "field \(field) \(problem)"
        }
    }
}
