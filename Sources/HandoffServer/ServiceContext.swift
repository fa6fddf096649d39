import Hummingbird
import Logging
import NIOCore

/// The per-request context: who is calling (set by ``BearerAuthMiddleware``) and the body limit.
package struct ServiceContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The authenticated token, nil before authentication or on `/health`.
    package var principal: TokenRegistry.Entry?
    /// Bodies above this size are refused with 413 (set from the configuration by the middleware).
    package var bodyLimit: Int = 1 << 20

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    package var maxUploadSize: Int { bodyLimit }

    /// Throws 401 without a token and 403 when its role is not in `roles` (admin always passes).
    func require(_ roles: Role...) throws -> TokenRegistry.Entry {
        guard let principal else { throw APIError.unauthorized("a bearer token is required: send `Authorization: Bearer <token>`") }
        guard principal.role == .admin || roles.contains(principal.role) else {
            throw APIError(
                .forbidden, code: "forbidden",
                message:
                    "token '\(principal.name)' has role \(principal.role.rawValue); this route needs \(roles.map(\.rawValue).joined(separator: " or "))"
            )
        }
        return principal
    }
}
