import Foundation
import HandoffFlow
import HandoffIntegrations
import HandoffPersistence
import Hummingbird

extension HandoffService {
    /// `POST /integrations/segment`: one message of Segment's Webhooks destination, verified by its
    /// `X-Signature` (``SegmentMessage``), mapped (``SegmentAdapter``) and applied, acknowledged
    /// only after commit. 201 applied, 200 duplicate (the same `messageId` again; a repeated alias)
    /// or skipped (a call or a property that changes nothing, with the reason); 401 unsigned or
    /// wrongly signed, 400 not a Spec message (naming the field), 404 no `segment_secret_file`,
    /// 409 a `messageId` reused for other content, 422 refused by the flow (an unknown lead, two
    /// leads an alias would merge), 503 store unavailable (Segment retries).
    func addSegmentRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.post("/integrations/segment") { request, context in
            // An unsigned request is refused as such (401) whether or not the route is configured.
            guard request.headers.contains(where: { $0.name.canonicalName == "x-signature" }) else {
                throw Self.apiError(.missingHeader("X-Signature"))
            }
            guard let secret = self.integrations.segmentSecret else {
                throw Self.apiError(.notConfigured(integration: "Segment", setting: "segment_secret_file"))
            }
            let body = try await request.bodyBytes(limit: context.bodyLimit)
            let headers = Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
            let vendorRequest = IntegrationRequest(method: "POST", uri: request.uri.description, headers: headers, body: body, receivedAt: self.now())
            let message: SegmentMessage
            switch Result(catching: { () throws(IntegrationRefusal) in try SegmentMessage.read(vendorRequest, secret: secret) }) {
            case .success(let read): message = read
            case .failure(let refusal):
                await self.metrics.event(type: "segment", outcome: "rejected")
                throw Self.apiError(refusal)
            }
            return try await self.applySegment(message)
        }
    }

    /// The answer to one Segment message.
    struct SegmentResult: Encodable, Sendable {
        enum Status: String, Encodable, Sendable { case applied, duplicate, skipped }
        let status: Status
        let messageID: String
        @Nullable var eventID: String?
        @Nullable var leadID: String?
        var effects: [String] = []
        @Nullable var reason: String?

        enum CodingKeys: String, CodingKey {
            case status, effects, reason
            case messageID = "message_id", eventID = "event_id", leadID = "lead_id"
        }
    }

    static func answer(_ result: SegmentResult) -> Response {
        JSONResponse.make(result, status: result.status == .applied ? .created : .ok)
    }

    func applySegment(_ message: SegmentMessage) async throws -> Response {
        let delivery: IntegrationDelivery
        if message.kind == .alias {
            let previousLead = try await segmentLead(message.previousID.map { [$0] } ?? [])
            let userLead = try await segmentLead(message.userID.map { [$0] } ?? [])
            var latest: [String: Date] = [:]
            for lead in [previousLead, userLead].compactMap({ $0 }) {
                latest[lead] = try await store.leadTimeline(leadID: lead)?.events.map(\.occurredAt).max()
            }
            let latestEventAt = latest
            let alias = Result { () throws(IntegrationRefusal) in
                try SegmentAdapter.aliasEvent(message, previousLead: previousLead, userLead: userLead, latestEventAt: latestEventAt)
            }
            switch alias {
            case .failure(let refusal): throw Self.apiError(refusal)
            case .success(let linked) where linked.alreadyLinked:
                return Self.answer(
                    SegmentResult(
                        status: .duplicate, messageID: message.messageID, eventID: nil, leadID: previousLead,
                        reason: "both ids already reach this lead"))
            case .success(let linked): delivery = linked.delivery
            }
        } else {
            // A retry of a message already applied: answered before anything is rebuilt (an identify
            // that created the lead would otherwise come back as an update of it).
            if let stored = try await store.event(id: message.eventID) {
                return Self.answer(SegmentResult(status: .duplicate, messageID: message.messageID, eventID: stored.id, leadID: stored.leadID))
            }
            let candidates = [message.userID, message.anonymousID].compactMap { $0 }
            let lead = try await segmentLead(candidates) ?? message.leadID ?? ""
            let exists = try await store.lead(id: lead) != nil
            let mapping = integrations.mapping
            let types = integrations.segmentEvents
            let built = Result { () throws(IntegrationRefusal) in
                try SegmentAdapter.delivery(message, leadID: lead, leadExists: exists, mapping: mapping, engagementTypes: types)
            }
            switch built {
            case .failure(let refusal): throw Self.apiError(refusal)
            case .success(let value): delivery = value
            }
        }
        guard let event = delivery.events.first else {
            let reason = delivery.skipped.map(\.reason).joined(separator: "; ")
            logger.info("POST /integrations/segment: message \(message.messageID) (\(message.kind.rawValue)) skipped: \(reason)")
            await metrics.event(type: "segment", outcome: "skipped")
            return Self.answer(SegmentResult(status: .skipped, messageID: message.messageID, eventID: nil, leadID: message.leadID, reason: reason))
        }
        var outcome = await applyOnce(event)
        if case .failure(let error) = outcome, case .leadAlreadyExists = error, case .lead(let fields) = event.body {
            // Another delivery created the lead between the look-up and this commit.
            outcome = await applyOnce(
                InboundEvent(eventID: event.eventID, kind: .leadUpdated, occurredAt: event.occurredAt, leadID: event.leadID, body: .lead(fields)))
        }
        let applied: ApplyResult
        switch outcome {
        case .success(let result): applied = result
        case .failure(let error): throw Self.segmentRefusal(error)
        }
        await metrics.event(type: event.kind.rawValue, outcome: applied.status.rawValue)
        logger.info("POST /integrations/segment: message \(message.messageID) (\(message.kind.rawValue)) \(applied.status.rawValue)")
        return Self.answer(
            SegmentResult(
                status: applied.status == .applied ? .applied : .duplicate, messageID: message.messageID, eventID: event.eventID,
                leadID: event.leadID,
                effects: applied.effects.map(\.summary)))
    }

    private func applyOnce(_ event: InboundEvent) async -> Result<ApplyResult, EngineError> {
        do { return .success(try await applyRetryingRaces(event)) } catch { return .failure(error) }
    }

    private static func segmentRefusal(_ error: EngineError) -> APIError {
        if isTransient(error) { return APIError.storeUnavailable(error.description) }
        let status: HTTPResponse.Status = code(of: error) == "event_id_conflict" ? .conflict : .unprocessableContent
        return APIError(status, code: code(of: error), message: error.description, field: field(of: error))
    }

    /// The stored lead the first of `ids` with a recorded alias reaches, else nil.
    func segmentLead(_ ids: [String]) async throws -> String? {
        for id in ids {
            if let alias = try await store.event(id: SegmentAdapter.aliasEventID(of: id)) { return alias.leadID }
        }
        for id in ids where try await store.lead(id: id) != nil { return id }
        return nil
    }
}
