import Foundation
import HandoffFlow
import HandoffPersistence
import Hummingbird
import Logging

/// Turns a store failure that escapes a route (or the token lookup) into `503 Service
/// Unavailable` with the usual JSON error body, instead of an empty 500.
///
/// A lost PostgreSQL connection, a server that is down, or an SQLite I/O error: the store ran
/// the request's unit of work in one transaction, so nothing of it is stored (or, for a commit
/// in flight, all of it — a retry is safe, ids are idempotent). The client retries later or on
/// another instance. Refusals (unknown lead, conflicts) keep their own statuses in the routes.
struct StoreFailureMiddleware: RouterMiddleware {
    typealias Context = ServiceContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreError where Self.isUnavailable(error) {
            throw unavailable(error.description, request)
        } catch let error as EngineError {
            guard case let .store(_, storeError) = error, Self.isUnavailable(storeError) else { throw error }
            throw unavailable(error.description, request)
        } catch let error as ServiceError {
            guard case let .store(storeError) = error, Self.isUnavailable(storeError) else { throw error }
            throw unavailable(error.description, request)
        }
    }

    private func unavailable(_ message: String, _ request: Request) -> APIError {
        logger.error("\(request.method) \(request.uri.path): store unavailable: \(message)")
        return .storeUnavailable(message)
    }

    /// Failures a retry may cure: the server unreachable or the connection lost, I/O, disk
    /// full, busy. Not refusals of the data, which a retry repeats.
    static func isUnavailable(_ error: StoreError) -> Bool {
        switch error {
        case .unavailable, .database, .cannotOpen: true
        case let .batchHalted(_, _, cause): isUnavailable(cause)
        default: false
        }
    }
}

extension APIError {
    /// 503 `store_unavailable`: nothing of the request is half-written; retry.
    static func storeUnavailable(_ message: String) -> APIError {
        APIError(.serviceUnavailable, code: "store_unavailable", message: message)
    }
}
