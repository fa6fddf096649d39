import BatonSupport
import Foundation
import HTTPTypes
import HandoffFlow
import HandoffPersistence
import Hummingbird
import ScoringModelFormat

/// The outbox read and mended from outside (issue 14), for the `admin` role:
///
/// - `GET /outbox?state=pending|failed|dead|delivered&cursor=&limit=`: rows in store order
///   (all states when `state` is absent), `limit` 1–500 (default 100), `next_cursor` and a
///   `Link: <…>; rel="next"` header while more match.
/// - `GET /outbox/{id}`: one row (the id percent-encoded: `e-1%2F1-new-high-priority`).
/// - `POST /outbox/{id}/replay`: a dead (or still failing) row goes back in line now with its
///   attempt count reset (202); a delivered row is never sent twice (409); unknown, 404.
/// - `GET /outbox/endpoints`: per-endpoint health (also on `/metrics` and the dashboard).
extension HandoffService {
    func addOutboxRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/outbox") { request, context in
            _ = try context.require(.admin)
            let query = try Self.outboxQuery(request.uri.queryParameters)
            let page = try await self.store.outbox(query)
            var response = JSONResponse.make(OutboxList(entries: page.entries.map(self.outboxView), nextCursor: page.next.map(String.init)))
            if let next = page.next {
                var items: [URLQueryItem] = []
                if let state = query.state { items.append(URLQueryItem(name: "state", value: state.rawValue)) }
                items.append(URLQueryItem(name: "limit", value: String(query.limit)))
                items.append(URLQueryItem(name: "cursor", value: String(next)))
                var components = URLComponents()
                components.path = "/outbox"
                components.queryItems = items
                response.headers[.link] = "<\(components.string ?? "/outbox")>; rel=\"next\""
            }
            return response
        }
        router.get("/outbox/endpoints") { _, context in
            _ = try context.require(.admin)
            return JSONResponse.make(OutboxEndpoints(endpoints: try await self.outboxHealth()))
        }
        router.get("/outbox/{id}") { _, context in
            _ = try context.require(.admin)
            let id = try context.pathIdentifier("id")
            guard let entry = try await self.store.outboxEntry(id: id) else { throw APIError.notFound("no outbox row has id \(id)") }
            return JSONResponse.make(self.outboxView(entry))
        }
        router.post("/outbox/{id}/replay") { _, context in
            let caller = try context.require(.admin)
            let id = try context.pathIdentifier("id")
            guard let entry = try await self.store.outboxEntry(id: id) else { throw APIError.notFound("no outbox row has id \(id)") }
            guard entry.alert.state != .delivered else {
                throw APIError(
                    .conflict, code: "already_delivered",
                    message:
                        "outbox row \(id) was delivered at \(EventTime.format(entry.alert.deliveredAt ?? entry.alert.createdAt)); replaying it would send it twice"
                )
            }
            try await self.store.apply(.replayAlert(alertID: id, at: self.now()))
            self.logger.notice("outbox row \(id) replayed by \(caller.name)")
            let replayed = try await self.store.outboxEntry(id: id) ?? entry
            return JSONResponse.make(self.outboxView(replayed), status: .accepted)
        }
    }

    static func outboxQuery(_ parameters: Hummingbird.Parameters) throws -> OutboxQuery {
        let known: Set<String> = ["state", "cursor", "limit"]
        for (name, _) in parameters where !known.contains(String(name)) {
            let shown = Identifier.problem(String(name)) == nil && name.count <= 64 ? String(name) : "(query)"
            throw APIError.invalid(shown, "is not an outbox parameter; use state, cursor or limit")
        }
        var query = OutboxQuery()
        if let state = parameters.get("state") {
            guard let value = OutboxState(rawValue: state) else {
                throw APIError.invalid("state", "must be one of \(OutboxState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.state = value
        }
        if let cursor = parameters.get("cursor") {
            guard let value = Int64(cursor), value > 0 else {
                throw APIError.invalid("cursor", "must be next_cursor from the previous page, unchanged")
            }
            query.afterSequence = value
        }
        if let limit = parameters.get("limit") {
            guard let value = Int(limit), (1...OutboxQuery.maximumLimit).contains(value) else {
                throw APIError.invalid("limit", "must be a whole number from 1 to \(OutboxQuery.maximumLimit)")
            }
            query.limit = value
        }
        return query
    }

    func outboxView(_ entry: OutboxEntry) -> OutboxRow {
        let a = entry.alert
        return OutboxRow(
            id: a.id, kind: a.kind, type: OutboundCloudEvent.type(ofKind: a.kind), leadID: a.leadID, target: a.target,
            endpoint: AlertDeliverer.endpoint(kind: a.kind, target: a.target, channels: configuration.alertChannels), state: a.state,
            createdAt: EventTime.format(a.createdAt), attempts: a.attempts, lastError: a.lastError,
            nextAttemptAt: a.state == .pending || a.state == .failed ? a.nextAttemptAt.map(EventTime.format) : nil,
            deliveredAt: a.deliveredAt.map(EventTime.format), deadAt: a.deadAt.map(EventTime.format), replayedAt: a.replayedAt.map(EventTime.format),
            payload: JSONResponse.embed(a.payload.text))
    }

    /// Per-endpoint health: the store's counts (every instance's rows) with this instance's view
    /// of consecutive failures.
    func outboxHealth() async throws -> [OutboxEndpointHealth] {
        let instant = now()
        var byEndpoint: [String: OutboxEndpointHealth] = [:]
        for summary in try await store.outboxSummary() {
            let name = AlertDeliverer.endpoint(kind: summary.kind, target: summary.target, channels: configuration.alertChannels)
            var health = byEndpoint[name] ?? OutboxEndpointHealth(endpoint: name)
            health.undelivered += summary.undelivered
            health.failing += summary.failing
            health.dead += summary.dead
            if let oldest = summary.oldestUndeliveredAt, health.oldest.map({ oldest < $0 }) ?? true { health.oldest = oldest }
            if let last = summary.lastDeliveredAt, health.lastDelivered.map({ last > $0 }) ?? true { health.lastDelivered = last }
            byEndpoint[name] = health
        }
        for (name, seen) in await metrics.endpoints {
            var health = byEndpoint[name] ?? OutboxEndpointHealth(endpoint: name)
            health.consecutiveFailures = seen.consecutiveFailures
            health.lastFailure = seen.lastFailureAt
            byEndpoint[name] = health
        }
        return byEndpoint.values.sorted { $0.endpoint < $1.endpoint }.map { $0.finished(at: instant) }
    }
}

/// `GET /outbox`.
struct OutboxList: Encodable, Sendable {
    let entries: [OutboxRow]
    @Nullable var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case entries
        case nextCursor = "next_cursor"
    }
}

/// One outbox row as the API shows it.
struct OutboxRow: Encodable, Sendable {
    let id: String
    let kind: String
    /// The CloudEvents `type` its webhook body carries.
    let type: String
    @Nullable var leadID: String?
    let target: String
    let endpoint: String
    let state: OutboxState
    let createdAt: String
    let attempts: Int
    @Nullable var lastError: String?
    @Nullable var nextAttemptAt: String?
    @Nullable var deliveredAt: String?
    @Nullable var deadAt: String?
    @Nullable var replayedAt: String?
    let payload: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, kind, type, target, endpoint, state, attempts, payload
        case leadID = "lead_id"
        case createdAt = "created_at"
        case lastError = "last_error"
        case nextAttemptAt = "next_attempt_at"
        case deliveredAt = "delivered_at"
        case deadAt = "dead_at"
        case replayedAt = "replayed_at"
    }
}

/// `GET /outbox/endpoints`.
struct OutboxEndpoints: Encodable, Sendable {
    let endpoints: [OutboxEndpointHealth]
}

/// How one endpoint fares: rows waiting, failing and dead (store), the oldest waiting, the last
/// delivery, and failed attempts in a row since the last success (this instance).
struct OutboxEndpointHealth: Encodable, Sendable {
    let endpoint: String
    var undelivered = 0
    var failing = 0
    var dead = 0
    var oldest: Date?
    var lastDelivered: Date?
    var lastFailure: Date?
    var consecutiveFailures = 0
    private(set) var oldestUndeliveredSeconds: Double?

    init(endpoint: String) { self.endpoint = endpoint }

    func finished(at instant: Date) -> OutboxEndpointHealth {
        var copy = self
        copy.oldestUndeliveredSeconds = oldest.map { max(0, instant.timeIntervalSince($0).rounded()) }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case endpoint, undelivered, failing, dead
        case oldest = "oldest_undelivered_at"
        case oldestUndeliveredSeconds = "oldest_undelivered_seconds"
        case lastDelivered = "last_delivered_at"
        case lastFailure = "last_failure_at"
        case consecutiveFailures = "consecutive_failures"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(undelivered, forKey: .undelivered)
        try c.encode(failing, forKey: .failing)
        try c.encode(dead, forKey: .dead)
        try c.encode(oldest.map(EventTime.format), forKey: .oldest)
        try c.encode(oldestUndeliveredSeconds, forKey: .oldestUndeliveredSeconds)
        try c.encode(lastDelivered.map(EventTime.format), forKey: .lastDelivered)
        try c.encode(lastFailure.map(EventTime.format), forKey: .lastFailure)
        try c.encode(consecutiveFailures, forKey: .consecutiveFailures)
    }
}
