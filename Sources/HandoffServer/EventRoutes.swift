import Foundation
import HandoffFlow
import HandoffPersistence
import Hummingbird

/// One element of a posted batch: an event, or why it could not be read (so one bad element
/// does not hide the results of the others). `integration` is refused here: Baton's own event
/// shape is complete by definition (a `lead_created` without the model's fields is a 422), and
/// only the integration routes send leads a few fields at a time.
struct LenientEvent: Decodable {
    let result: Result<InboundEvent, DecodingError>
    init(from decoder: any Decoder) throws {
        do {
            let event = try InboundEvent(from: decoder)
            if event.integration != nil {
                result = .failure(
                    DecodingError.dataCorrupted(
                        .init(
                            codingPath: [IntegrationKey()],
                            debugDescription: "is set only by Baton's integration routes (/integrations/…); leave it out")))
            } else {
                result = .success(event)
            }
        } catch let error as DecodingError { result = .failure(error) }
    }

    struct IntegrationKey: CodingKey {
        var stringValue: String { "integration" }
        var intValue: Int? { nil }
        init() {}
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }
}

extension HandoffService {
    func addEventRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.post("/events") { request, context in
            _ = try context.require(.ingest)
            let body = try await request.bodyBytes(limit: context.bodyLimit)
            let contentType = request.headers[.contentType]
            let mode: CloudEventsInbound.ContentMode
            do {
                mode = try CloudEventsInbound.mode(
                    contentType: contentType, hasSpecVersionHeader: request.headers.contains { $0.name.canonicalName == "ce-specversion" })
            } catch let error as CloudEventsInbound.Refusal {
                throw APIError(.unsupportedMediaType, code: error.code, message: error.message, field: error.field)
            }
            switch mode {
            case .baton:
                return try await self.ingest(body)
            case .binary:
                let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
                return try await self.ingest(
                    [CloudEventsInbound.binary(headers: headers, contentType: contentType, body: body).mapError(Self.problem)], isBatch: false,
                    memberName: { _, member in CloudEventsInbound.Naming.headers.eventMember(member) })
            case .structured:
                return try await self.ingest(
                    [CloudEventsInbound.structured(body).mapError(Self.problem)], isBatch: false,
                    memberName: { _, member in CloudEventsInbound.Naming.members(prefix: "").eventMember(member) })
            case .batch:
                let items: [Result<InboundEvent, EventResult.Problem>]
                do { items = try CloudEventsInbound.batch(body).map { $0.mapError(Self.problem) } } catch let error as CloudEventsInbound.Refusal {
                    throw APIError(.badRequest, code: error.code, message: error.message, field: error.field)
                }
                return try await self.ingest(
                    items, isBatch: true, emptyAllowed: true,
                    memberName: { index, member in CloudEventsInbound.Naming.members(prefix: "[\(index)].").eventMember(member) })
            }
        }
    }

    static func problem(_ refusal: CloudEventsInbound.Refusal) -> EventResult.Problem {
        EventResult.Problem(code: refusal.code, field: refusal.field, message: refusal.message)
    }

    /// Applies a single event (object) or a batch (array), in order, each in its own unit of work.
    ///
    /// Single: 201 applied, 200 duplicate, 400 not the event schema, 422 refused by the flow
    /// (unknown lead or rep, out of order, …), both with `field`; 503 store unavailable.
    /// Batch: 200 with one result per element (`applied`, `duplicate`, `rejected`); when the store
    /// fails mid-batch the answer is 503, results say which elements are committed and the rest
    /// are `not_processed` — resending the whole batch is safe (committed ones come back duplicate).
    func ingest(_ body: Data) async throws -> Response {
        let firstByte = body.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        let isBatch = firstByte == UInt8(ascii: "[")
        let items = isBatch ? try JSONBody.decode([LenientEvent].self, from: body) : [try JSONBody.decode(LenientEvent.self, from: body)]
        return try await ingest(
            items.map { item in
                item.result.mapError { error in
                    EventResult.Problem(code: "invalid_event", field: error.fieldPath, message: "field \(error.fieldPath) \(error.problem)")
                }
            }, isBatch: isBatch)
    }

    /// Applies events already read (Baton's JSON or CloudEvents), or reports why each could not be.
    /// - Parameter emptyAllowed: an empty batch is answered with no results (the CloudEvents JSON
    ///   batch format allows it) rather than refused.
    /// - Parameter memberName: how the answer names the member of element `index` that the flow
    ///   refused (`lead_id` is `ce-subject` for a binary CloudEvent); default `[index].member` in a batch.
    func ingest(
        _ items: [Result<InboundEvent, EventResult.Problem>], isBatch: Bool, emptyAllowed: Bool = false,
        memberName: ((_ index: Int, _ member: String) -> String)? = nil
    ) async throws -> Response {
        guard !items.isEmpty || emptyAllowed else { throw APIError.invalid("(body)", "is an empty batch; send at least one event") }
        // A batch in which no element is an event is a bad request as a whole, not a 200 of rejections.
        if isBatch, case .failure(let first)? = items.first, items.allSatisfy({ if case .failure = $0 { true } else { false } }) {
            throw APIError(
                first.code == "unsupported_media_type" ? .unsupportedMediaType : .badRequest,
                code: first.code == "invalid_event" ? "invalid_request" : first.code,
                message: "\(first.message); no element of the batch is an event", field: first.field)
        }
        guard items.count <= configuration.maxBatchEvents else {
            throw APIError(
                .contentTooLarge, code: "batch_too_large",
                message: "a batch holds at most \(configuration.maxBatchEvents) events, this one \(items.count); split it", field: "(body)")
        }
        var results: [EventResult] = []
        var storeDown: EngineError?
        var counts = EventResult.Counts()
        for (index, item) in items.enumerated() {
            let prefix = isBatch ? "[\(index)]" : ""
            if storeDown != nil {
                results.append(EventResult(eventID: try? item.get().eventID, status: .notProcessed))
                counts.add(.notProcessed)
                continue
            }
            switch item {
            case .failure(let problem):
                results.append(EventResult(eventID: nil, status: .rejected, error: problem))
                counts.add(.rejected)
                await metrics.event(type: "unreadable", outcome: "rejected")
            case .success(let event):
                let started = Date()
                do {
                    let applied = try await applyRetryingRaces(event)
                    await metrics.ingestLatency(Date().timeIntervalSince(started))
                    await metrics.event(type: event.kind.rawValue, outcome: applied.status.rawValue)
                    let status = EventResult.Status(applied.status)
                    counts.add(status)
                    results.append(EventResult(eventID: event.eventID, status: status, effects: applied.effects.map(\.summary)))
                } catch {
                    if Self.isTransient(error) {
                        storeDown = error
                        results.append(EventResult(eventID: event.eventID, status: .notProcessed))
                        counts.add(.notProcessed)
                        logger.error("event \(event.eventID): store unavailable: \(error.description)")
                        continue
                    }
                    let field = Self.field(of: error)
                    await metrics.event(type: event.kind.rawValue, outcome: "rejected")
                    counts.add(.rejected)
                    results.append(
                        EventResult(
                            eventID: event.eventID, status: .rejected,
                            error: .init(
                                code: Self.code(of: error),
                                field: memberName?(index, field) ?? (prefix.isEmpty ? field : "\(prefix).\(field)"),
                                message: error.description)))
                }
            }
        }
        logger.info("POST /events: \(items.count) event(s): \(counts.applied) applied, \(counts.duplicate) duplicate, \(counts.rejected) rejected")
        if let storeDown {
            if !isBatch { throw APIError.storeUnavailable(storeDown.description) }
            return JSONResponse.make(
                BatchResults(
                    results: results, counts: counts,
                    error: .init(code: "store_unavailable", message: storeDown.description)),
                status: .serviceUnavailable)
        }
        if isBatch { return JSONResponse.make(BatchResults(results: results, counts: counts)) }
        let single = results[0]
        switch single.status {
        case .applied: return JSONResponse.make(single, status: .created)
        case .duplicate: return JSONResponse.make(single, status: .ok)
        case .rejected, .notProcessed:
            let problem = single.error
            // Schema violations are 400 (fix the payload), a reused event id 409, refusals by the flow 422.
            let status: HTTPResponse.Status =
                switch problem?.code {
                case "invalid_event", "unknown_type": .badRequest
                case "unsupported_media_type": .unsupportedMediaType
                case "event_id_conflict": .conflict
                default: .unprocessableContent
                }
            throw APIError(
                status, code: problem?.code ?? "rejected",
                message: problem?.message ?? "rejected", field: problem?.field)
        }
    }

    /// Applies `event`, again when another writer on the store (another instance, or another
    /// request here) took a round-robin turn or assigned the lead between this event's reads and
    /// its commit. The unit rolled back whole, so applying again re-reads and routes afresh; a
    /// sender should not see a 422 for a race it cannot fix.
    ///
    /// The event waits for the lead's earlier events and for any other request carrying the same
    /// event id (``LeadTurns``), and commits in a group with the concurrent ingests of other
    /// leads (``GroupCommit``). The event-id turn matters for an event that creates its lead:
    /// its journal row cannot lead its unit (it references the lead), so two such events with one
    /// id, computed at once, would both commit; one after the other, the second is a duplicate or a 409.
    func applyRetryingRaces(_ event: InboundEvent) async throws(EngineError) -> ApplyResult {
        // Always the event id first, then the lead: no request holds a lead's turn while it
        // waits for an id's, so two requests never wait for each other.
        try await leadTurns.inTurn(.event(event.eventID)) { () async throws(EngineError) -> ApplyResult in
            try await leadTurns.inTurn(.lead(event.leadID)) { () async throws(EngineError) -> ApplyResult in
                try await applyRetryingRacesInTurn(event)
            }
        }
    }

    private func applyRetryingRacesInTurn(_ event: InboundEvent) async throws(EngineError) -> ApplyResult {
        var attempt = 0
        while true {
            let engine = await runtime.current()
            let deliverer = self.deliverer
            let group = self.groupCommit
            let ticket = await group.enter()
            let result: Result<ApplyResult, EngineError>
            do throws(EngineError) {
                // The CRM sync row commits in the event's own unit of work.
                result = .success(
                    try await engine.apply(
                        event, receivedAt: now(),
                        extra: { effects in deliverer.crmOperations(event: event, effects: effects) },
                        commit: { unit async throws(StoreError) -> UnitResult in try await group.commit(unit, ticket: ticket) },
                        // Not announced while it waits for the routing turn, which a unit of the
                        // open group may hold until that group commits.
                        waitingForRouting: { waits in
                            if waits { await group.leave(ticket) } else { await group.reenter(ticket) }
                        }))
            } catch { result = .failure(error) }
            await group.leave(ticket)
            switch result {
            case .success(let applied): return applied
            case .failure(let error):
                guard attempt < Self.raceRetries, Self.isRace(error) else { throw error }
                attempt += 1
                await metrics.raceRetry()
                // A random pause (up to 2^attempt ms): contenders that collided do not retry in step.
                try? await Task.sleep(for: .microseconds(Int.random(in: 0...(1000 << attempt))))
            }
        }
    }

    static func isRace(_ error: EngineError) -> Bool {
        switch error {
        case .store(_, .routerStateConflict), .store(_, .leadAlreadyAssigned): true
        default: false
        }
    }

    /// Enough for a burst of instances routing at once (with the random pauses, about half a
    /// second at most); a conflict that persists is reported.
    static let raceRetries = 9

    /// Store errors that a retry may cure (server unreachable, connection lost, I/O, busy, disk
    /// full): the event is not acknowledged.
    static func isTransient(_ error: EngineError) -> Bool {
        if case let .store(_, storeError) = error { return StoreFailureMiddleware.isUnavailable(storeError) }
        return false
    }

    static func code(of error: EngineError) -> String {
        switch error {
        case .playbook: "playbook"
        case .model: "model"
        case .unknownLead: "unknown_lead"
        case .leadAlreadyExists: "lead_exists"
        case .eventIDReused: "event_id_conflict"
        case .unknownRep: "unknown_rep"
        case .outOfOrder: "out_of_order"
        case .missingFields: "missing_fields"
        case .badValue: "bad_value"
        case .invalidField: "invalid_field"
        case .sla: "sla"
        case .opportunity: "opportunity"
        case .store: "store"
        }
    }

    /// The event member an engine refusal is about.
    static func field(of error: EngineError) -> String {
        switch error {
        case .unknownLead, .leadAlreadyExists: "lead_id"
        case .eventIDReused: "event_id"
        case let .unknownRep(_, _, field, _): field
        case .outOfOrder: "occurred_at"
        case .missingFields, .badValue: "fields"
        case let .invalidField(_, field, _): field
        case .sla: "code"
        case .opportunity: "opportunity_id"
        case let .store(_, storeError):
            switch storeError {
            case let .unknownLead(_, _, field), let .unknownRep(_, _, field), let .unknownOpportunity(_, _, field): field
            case let .invalidField(_, field, _): field
            default: "(event)"
            }
        case .playbook, .model: "(event)"
        }
    }
}

/// What happened to one posted event.
struct EventResult: Encodable, Sendable {
    enum Status: String, Encodable, Sendable {
        case applied, duplicate, rejected
        /// Not looked at: the store failed on an earlier element of the batch.
        case notProcessed = "not_processed"

        init(_ status: ApplyResult.Status) {
            switch status {
            case .applied: self = .applied
            case .duplicate: self = .duplicate
            }
        }
    }

    /// Why an event was refused; `field` is the member at fault (`[3].occurred_at`).
    struct Problem: Encodable, Sendable, Error {
        let code: String
        let field: String
        let message: String
    }

    /// The counts per status of a batch (every status, zero included).
    struct Counts: Encodable, Sendable {
        var applied = 0
        var duplicate = 0
        var rejected = 0
        var notProcessed = 0

        mutating func add(_ status: Status) {
            switch status {
            case .applied: applied += 1
            case .duplicate: duplicate += 1
            case .rejected: rejected += 1
            case .notProcessed: notProcessed += 1
            }
        }

        enum CodingKeys: String, CodingKey {
            case applied, duplicate, rejected
            case notProcessed = "not_processed"
        }
    }

    @Nullable var eventID: String?
    let status: Status
    /// What the flow did (applied and duplicate events only).
    var effects: [String]?
    var error: Problem?
    /// The model fields an integration's lead still lacks (it is stored, not yet scored).
    var missingFields: [String]?

    enum CodingKeys: String, CodingKey {
        case status, effects, error
        case eventID = "event_id"
        case missingFields = "missing_fields"
    }
}

/// The answer to a posted batch: one result per element, in order.
struct BatchResults: Encodable, Sendable {
    struct Failure: Encodable, Sendable {
        let code: String
        let message: String
    }

    let results: [EventResult]
    let counts: EventResult.Counts
    /// Set when the store failed mid-batch (503).
    var error: Failure?
}
