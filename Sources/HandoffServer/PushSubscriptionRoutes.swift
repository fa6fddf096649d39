import BatonSupport
import Crypto
import Foundation
import HandoffPersistence
import Hummingbird

/// Web Push subscriptions per rep, as the dashboard's service worker sends them:
///
/// - `GET /push/vapid-public-key`: `{"public_key": …}`, the `applicationServerKey` to subscribe with
///   (RFC 8292 §3.2; base64url of the uncompressed P-256 point).
/// - `POST /push/subscriptions?rep=ID`: the browser's `PushSubscription.toJSON()` (W3C Push API:
///   `endpoint`, `expirationTime`, `keys.p256dh`, `keys.auth`). 201 for a new endpoint, 200 when the
///   same browser subscribes again (its keys are replaced).
/// - `DELETE /push/subscriptions?rep=ID` with `{"endpoint": …}`: 204, or 404 when the rep has no such subscription.
/// - `POST` / `DELETE /dashboard/push-subscription`: the same two for the dashboard's *Turn on*
///   button, authenticated by the dashboard's cookie from a same-origin page (see
///   ``BearerAuthMiddleware``), so the rep is the dashboard token's name.
///
/// The rep is `rep`, else the token's name; it must be on the roster. Roles sales and sales-manager
/// (and admin). All 404 while no `webpush` channel is configured.
extension HandoffService {
    func addPushSubscriptionRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/push/vapid-public-key") { _, context in
            _ = try context.require(.sales, .salesManager)
            return JSONResponse.make(VAPIDPublicKey(publicKey: try self.vapid().publicKey))
        }
        router.post("/push/subscriptions") { request, context in
            try await self.subscribe(request, context: context)
        }
        router.delete("/push/subscriptions") { request, context in
            try await self.unsubscribe(request, context: context)
        }
        // The dashboard's own button (DashboardWebApp): the same, with the page's cookie.
        router.post(RouterPath(DashboardWebApp.subscriptionPath)) { request, context in
            try await self.subscribe(request, context: context)
        }
        router.delete(RouterPath(DashboardWebApp.subscriptionPath)) { request, context in
            try await self.unsubscribe(request, context: context)
        }
    }

    func subscribe(_ request: Request, context: ServiceContext) async throws -> Response {
        let principal = try context.require(.sales, .salesManager)
        _ = try vapid()
        let rep = try await subscribingRep(request, principal: principal)
        let body = try JSONBody.decode(BrowserPushSubscription.self, from: try await request.bodyBytes(limit: context.bodyLimit))
        let record = try body.record(rep: rep, at: now())
        let created = try await store.savePushSubscription(record)
        logger.info("Web Push subscription \(created ? "added" : "renewed") for rep '\(rep)' at \(AlertDeliverer.origin(record.endpoint))")
        return JSONResponse.make(PushSubscriptionStored(rep: rep, endpoint: record.endpoint, created: created), status: created ? .created : .ok)
    }

    func unsubscribe(_ request: Request, context: ServiceContext) async throws -> Response {
        let principal = try context.require(.sales, .salesManager)
        _ = try vapid()
        let rep = try await subscribingRep(request, principal: principal)
        let body = try JSONBody.decode(PushUnsubscribe.self, from: try await request.bodyBytes(limit: context.bodyLimit))
        guard try await store.removePushSubscription(endpoint: body.endpoint, rep: rep) else {
            throw APIError.notFound("rep '\(rep)' has no Web Push subscription with this endpoint")
        }
        return Response(status: .noContent)
    }

    func vapid() throws -> VAPIDToken {
        guard let vapid = push?.vapid else {
            throw APIError.notFound("Web Push is not configured: add an alert channel of kind webpush and public_base_url")
        }
        return vapid
    }

    /// `?rep=` or the token's name; a rep on the roster.
    func subscribingRep(_ request: Request, principal: TokenRegistry.Entry) async throws -> String {
        let rep = request.uri.queryParameters.get("rep") ?? principal.name
        if let problem = Identifier.problem(rep) { throw APIError.invalid("rep", problem) }
        let reps = try await store.reps()
        guard reps.contains(where: { $0.id == rep }) else {
            throw APIError.invalid("rep", "'\(rep)' is not a rep on the roster; pass ?rep= with one of: \(reps.map(\.id).joined(separator: ", "))")
        }
        return rep
    }
}

struct VAPIDPublicKey: Codable, Sendable {
    let publicKey: String
    enum CodingKeys: String, CodingKey { case publicKey = "public_key" }
}

struct PushSubscriptionStored: Codable, Sendable {
    let rep: String
    let endpoint: String
    let created: Bool
}

struct PushUnsubscribe: Codable, Sendable {
    let endpoint: String
}

/// `PushSubscription.toJSON()` (https://w3c.github.io/push-api/#dom-pushsubscription-tojson).
struct BrowserPushSubscription: Codable, Sendable {
    struct Keys: Codable, Sendable {
        let p256dh: String
        let auth: String
    }
    let endpoint: String
    let expirationTime: Double?
    let keys: Keys

    /// The record to store, after checking what the encryption needs: `p256dh` an uncompressed
    /// P-256 point on the curve (65 bytes), `auth` 16 bytes (RFC 8291 §3), both base64url.
    func record(rep: String, at date: Date) throws -> PushSubscriptionRecord {
        guard endpoint.utf8.count <= 2048, PushSubscriptionRecord.isPushEndpoint(endpoint) else {
            throw APIError.invalid("endpoint", "must be the push service's https URL (at most 2048 bytes), as PushSubscription.endpoint gives it")
        }
        let p256dhText = keys.p256dh.trimmingCharacters(in: CharacterSet(charactersIn: "="))
        let authText = keys.auth.trimmingCharacters(in: CharacterSet(charactersIn: "="))
        guard let point = Base64URL.decode(p256dhText), point.count == 65, point.first == 0x04,
            (try? P256.KeyAgreement.PublicKey(x963Representation: point)) != nil
        else {
            throw APIError.invalid("keys.p256dh", "must be the browser's P-256 public key: 65 bytes (uncompressed point) in base64url")
        }
        guard let secret = Base64URL.decode(authText), secret.count == 16 else {
            throw APIError.invalid("keys.auth", "must be the browser's 16-byte authentication secret in base64url")
        }
        return PushSubscriptionRecord(
            endpoint: endpoint, rep: rep, p256dh: Base64URL.encode(point), auth: Base64URL.encode(secret), createdAt: date)
    }
}
