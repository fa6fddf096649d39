import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` (RFC 9110 §15.5.6) for a known path asked with a method it does not
/// serve (`DELETE /events`, `TRACE /health`), where the router alone would answer 404; an unknown
/// path stays 404. ``routes`` lists every route of the service (a test checks it against them).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ServiceContext

    /// Path templates (`{x}` = one segment) and the methods each serves.
    static let routes: [(path: String, methods: [HTTPRequest.Method])] = [
        ("/health", [.get]), ("/ready", [.get]), ("/metrics", [.get]), ("/openapi.yaml", [.get]), ("/dashboard", [.get]),
        ("/dashboard/session", [.post]),
        ("/sla", [.get]),
        ("/events", [.post]), ("/integrations/hubspot", [.post]), ("/integrations/salesforce", [.post]), ("/leads", [.get]), ("/leads/{id}", [.get]),
        ("/leads/{id}/assign", [.post]),
        ("/reps/{id}/handoffs", [.get]),
        ("/models", [.get, .post]), ("/models/rollback", [.post]), ("/models/{sha}/promote", [.post]),
        ("/tokens", [.get, .post]), ("/tokens/{name}", [.delete]),
        ("/outbox", [.get]), ("/outbox/endpoints", [.get]), ("/outbox/{id}", [.get]), ("/outbox/{id}/replay", [.post]),
        ("/integrations/segment", [.post]), ("/integrations/marketo", [.post]),
    ]

    /// The methods `path` is served with (empty when no route has it). `HEAD` goes with `GET`.
    static func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var found: [HTTPRequest.Method] = []
        for route in routes {
            let template = route.path.split(separator: "/", omittingEmptySubsequences: false)
            guard template.count == segments.count else { continue }
            let matches = zip(template, segments).allSatisfy { t, s in t == s || (t.hasPrefix("{") && t.hasSuffix("}") && !s.isEmpty) }
            if matches { found += route.methods.filter { !found.contains($0) } }
        }
        return found
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = Self.methods(for: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method), !(request.method == .head && allowed.contains(.get)) else {
            return try await next(request, context)
        }
        let list = (allowed.contains(.get) ? allowed + [.head] : allowed).map(\.rawValue).joined(separator: ", ")
        var error = APIError(
            .methodNotAllowed, code: "method_not_allowed", message: "\(request.uri.path) answers \(list), not \(request.method.rawValue)")
        error.headers[.allow] = list
        throw error
    }
}
