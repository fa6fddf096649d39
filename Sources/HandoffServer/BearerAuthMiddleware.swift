import Foundation
import HandoffFlow
import Hummingbird

/// Authenticates every request but `GET /health` and the vendors' `POST /integrations/…`: `Authorization: Bearer <token>`, or, for a
/// browser on `GET /dashboard` and its same-origin `POST`/`DELETE /dashboard/push-subscription`
/// only, the `baton_token` cookie that `/dashboard?token=…` sets.
/// Unknown or missing tokens get 401 before any handler runs; roles are checked per route.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = ServiceContext
    let tokens: TokenRegistry
    let bodyLimit: Int
    let now: @Sendable () -> Date
    /// No data behind these: probes, and the dashboard's web app manifest, service worker and icon.
    static let openPaths: Set<String> = [
        "/health", "/ready", DashboardWebApp.manifestPath, DashboardWebApp.workerPath, DashboardWebApp.iconPath,
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = bodyLimit
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        // Vendors authenticate with their own mechanism (a signature, an organisation id), checked by the route.
        if request.uri.path.hasPrefix("/integrations/") && request.method == .post { return try await next(request, context) }
        // A push alert's button carries its own signed, expiring, single-use token (ActionRoutes).
        if request.uri.path.hasPrefix("/actions/") && (request.method == .post || request.method == .get) {
            return try await next(request, context)
        }
        // The dashboard's token exchange checks its token itself (DashboardSession).
        if request.uri.path == "/dashboard/session" && request.method == .post { return try await next(request, context) }
        if request.uri.path == "/dashboard" && request.method == .get && request.uri.queryParameters.get("token") != nil {
            return try await next(request, context)
        }
        guard let token = Self.token(in: request) else {
            throw APIError.unauthorized("a bearer token is required: send `Authorization: Bearer <token>`")
        }
        // A store that cannot be reached fails the request with 503 (StoreFailureMiddleware), not 401:
        // the token may well be valid.
        context.principal = try Self.accepted(try await tokens.check(token, at: now()), unknown: "the bearer token")
        return try await next(request, context)
    }

    /// The entry of an accepted token, or the 401 that says why it is not (`what` names where the
    /// token came from: "the bearer token", "the dashboard link's token").
    static func accepted(_ verdict: TokenRegistry.Verdict, unknown what: String) throws(APIError) -> TokenRegistry.Entry {
        switch verdict {
        case .accepted(let entry):
            return entry
        case .expired(let entry):
            throw APIError.unauthorized(
                "the token '\(entry.name)' expired at \(entry.expiresAt.map(EventTime.format) ?? "?"); an admin issues a new one (POST /tokens or `baton tokens issue`)",
                code: "token_expired", presented: true)
        case .unknown:
            throw APIError.unauthorized("\(what) is not a known token (revoked, mistyped, or from another store)", presented: true)
        }
    }

    static func token(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return String(parts[1]).trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
        // The cookie opens the dashboard page (a GET with no effects) and lets that page's
        // subscribe button store or drop this browser's push subscription for the token's rep,
        // from this origin only; a browser session can write nothing else.
        if request.uri.path == "/dashboard", request.method == .get { return DashboardSession.cookieToken(request) }
        if request.uri.path == DashboardWebApp.subscriptionPath, request.method == .post || request.method == .delete,
            DashboardSession.isSameOrigin(request)
        {
            return DashboardSession.cookieToken(request)
        }
        return nil
    }
}
