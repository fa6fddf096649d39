import Foundation
import HandoffFlow
import HandoffPersistence
import Hummingbird

/// One element of a posted batch: an event, or why it could not be read (so one bad element
/// does not hide the results of the others).
struct LenientEvent: Decodable {
    let result: Result<InboundEvent, DecodingError>
    init(from decoder: any Decoder) throws {
        do { result = .success(try InboundEvent(from: decoder)) } catch let error as DecodingError { result = .failure(error) }
    }
}

extension HandoffService {
    func addEventRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.post("/events") { request, context in
            _ = try context.require(.ingest)
            return try await self.ingest(try await request.bodyBytes(limit: context.bodyLimit))
        }
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
        let decoder = JSONDecoder()
        let items: [LenientEvent]
        do {
            items = isBatch ? try decoder.decode([LenientEvent].self, from: body) : [try decoder.decode(LenientEvent.self, from: body)]
        } catch let error as DecodingError {
            throw APIError.invalid(error.fieldPath, error.problem)
        }
        guard !items.isEmpty else { throw APIError.invalid("(body)", "is an empty batch; send at least one event") }
        guard items.count <= configuration.maxBatchEvents else {
            throw APIError(.contentTooLarge, code: "batch_too_large",
                           message: "a batch holds at most \(configuration.maxBatchEvents) events, this one \(items.count); split it", field: "(body)")
        }
        var results: [[String: Any]] = []
        var storeDown: EngineError?
        var counts = ["applied": 0, "duplicate": 0, "rejected": 0, "not_processed": 0]
        for (index, item) in items.enumerated() {
            let prefix = isBatch ? "[\(index)]" : ""
            if storeDown != nil {
                let id: Any = (try? item.result.get().eventID) ?? NSNull()
                results.append(["event_id": id, "status": "not_processed"])
                counts["not_processed", default: 0] += 1
                continue
            }
            switch item.result {
            case .failure(let error):
                let field = error.fieldPath
                results.append(["event_id": NSNull(), "status": "rejected",
                                "error": ["code": "invalid_event", "field": field, "message": "field \(field) \(error.problem)"]])
                counts["rejected", default: 0] += 1
                await metrics.event(type: "unreadable", outcome: "rejected")
            case .success(let event):
                let started = Date()
                do {
                    let applied = try await applyRetryingRaces(event)
                    await metrics.ingestLatency(Date().timeIntervalSince(started))
                    await metrics.event(type: event.kind.rawValue, outcome: applied.status.rawValue)
                    counts[applied.status.rawValue, default: 0] += 1
                    results.append(["event_id": event.eventID, "status": applied.status.rawValue,
                                    "effects": applied.effects.map(\.summary)])
                } catch {
                    if Self.isTransient(error) {
                        storeDown = error
                        results.append(["event_id": event.eventID, "status": "not_processed"])
                        counts["not_processed", default: 0] += 1
                        logger.error("event \(event.eventID): store unavailable: \(error.description)")
                        continue
                    }
                    let field = Self.field(of: error)
                    await metrics.event(type: event.kind.rawValue, outcome: "rejected")
                    counts["rejected", default: 0] += 1
                    results.append(["event_id": event.eventID, "status": "rejected",
                                    "error": ["code": Self.code(of: error), "field": prefix.isEmpty ? field : "\(prefix).\(field)",
                                              "message": error.description]])
                }
            }
        }
        logger.info("POST /events: \(items.count) event(s): \(counts["applied"] ?? 0) applied, \(counts["duplicate"] ?? 0) duplicate, \(counts["rejected"] ?? 0) rejected")
        if let storeDown {
            if !isBatch { throw APIError.storeUnavailable(storeDown.description) }
            return JSONResponse.make(["results": results, "counts": counts, "error": ["code": "store_unavailable", "message": storeDown.description]],
                                     status: .serviceUnavailable)
        }
        if isBatch { return JSONResponse.make(["results": results, "counts": counts]) }
        let single = results[0]
        switch single["status"] as? String {
        case "applied": return JSONResponse.make(single, status: .created)
        case "duplicate": return JSONResponse.make(single, status: .ok)
        default:
            let err = single["error"] as? [String: String] ?? [:]
            // Schema violations are 400 (fix the payload); refusals by the flow are 422.
            throw APIError(err["code"] == "invalid_event" ? .badRequest : .unprocessableContent, code: err["code"] ?? "rejected", message: err["message"] ?? "rejected", field: err["field"])
        }
    }

    /// Applies `event`, again when another writer on the store (another instance, or another
    /// request here) took a round-robin turn or assigned the lead between this event's reads and
    /// its commit. The unit rolled back whole, so applying again re-reads and routes afresh; a
    /// sender should not see a 422 for a race it cannot fix.
    func applyRetryingRaces(_ event: InboundEvent) async throws(EngineError) -> ApplyResult {
        var attempt = 0
        while true {
            let engine = await runtime.current()
            let deliverer = self.deliverer
            let result: Result<ApplyResult, EngineError>
            do throws(EngineError) {
                // The CRM sync row commits in the event's own unit of work.
                result = .success(try await engine.apply(event, receivedAt: now()) { effects in
                    deliverer.crmSyncOperation(event: event, effects: effects).map { [$0] } ?? []
                })
            } catch { result = .failure(error) }
            switch result {
            case .success(let applied): return applied
            case .failure(let error):
                guard attempt < Self.raceRetries, Self.isRace(error) else { throw error }
                attempt += 1
            }
        }
    }

    static func isRace(_ error: EngineError) -> Bool {
        switch error {
        case .store(_, .routerStateConflict), .store(_, .leadAlreadyAssigned): true
        default: false
        }
    }

    /// Enough for a burst of instances routing at once; a conflict that persists is reported.
    static let raceRetries = 8

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
