import HTTPTypes
import Hummingbird
import Synchronization

/// Answers 405 with `Allow` (RFC 9110 §15.5.6) for a known path asked with a method it does not
/// serve (`DELETE /events`, `TRACE /health`), where the router alone would answer 404; an unknown
/// path stays 404. The paths and methods are the router's own (``RouteTable``, filled once every
/// route is added), so a new route can never be missing from it.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ServiceContext

    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = table.methods(for: request.uri.path)
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

/// The service's routes (path templates, `{x}` = one segment, and methods), read off the router
/// after every route is added; set once, read by every request.
final class RouteTable: Sendable {
    private let routes = Mutex<[(path: [Substring], method: HTTPRequest.Method)]>([])

    /// Takes the router's routes (``Router/routes``); call once all routes are added.
    func fill<Context>(from router: Router<Context>) {
        let all = router.routes.map { (path: "\($0.path)".split(separator: "/", omittingEmptySubsequences: false), method: $0.method) }
        routes.withLock { $0 = all }
    }

    /// The methods `path` is served with (empty when no route has it), in the router's order.
    /// `HEAD` goes with `GET`.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.withLock { routes in
            var found: [HTTPRequest.Method] = []
            for route in routes where route.path.count == segments.count && !found.contains(route.method) {
                let matches = zip(route.path, segments).allSatisfy { t, s in t == s || (t.hasPrefix("{") && t.hasSuffix("}") && !s.isEmpty) }
                if matches { found.append(route.method) }
            }
            return found
        }
    }
}
