import Foundation
import HandoffFlow
import HandoffIntegrations
import HandoffPersistence
import Hummingbird

extension HandoffService {
    /// `POST /integrations/…`: vendor deliveries, authenticated by the vendor's own mechanism
    /// (no bearer token: ``BearerAuthMiddleware`` lets these paths through), verified and mapped
    /// by the pure adapters of `HandoffIntegrations`, then applied like `POST /events`, each
    /// event in its own unit of work, and acknowledged only after the commits.
    func addIntegrationRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.post("/integrations/hubspot") { request, context in
            let incoming = try await self.integrationRequest(request, context: context)
            let delivery: IntegrationDelivery
            do throws(IntegrationRefusal) {
                // Without HubSpot's headers the request is not HubSpot's (401) whether or not the
                // integration is configured; with them, an unconfigured integration is absent (404).
                _ = try HubSpotSignature.headers(incoming)
                guard let hubspot = self.integrations.hubspot else {
                    throw .notConfigured(integration: "HubSpot", setting: "hubspot_client_secret_file")
                }
                delivery = try hubspot.read(incoming)
            } catch {
                await self.metrics.event(type: "hubspot", outcome: "refused")
                self.logger.warning("POST /integrations/hubspot refused (\(error.status)): \(error.description)")
                throw Self.apiError(error)
            }
            let (results, status) = try await self.apply(delivery, integration: "hubspot") { leadID in
                try await self.survivingHubSpotLead(leadID)
            }
            return JSONResponse.make(results, status: status)
        }
        router.post("/integrations/salesforce") { request, context in
            // Every answer is SOAP: the WSDL's acknowledgement after the commits, or a fault
            // (HTTP 500, as SOAP 1.1 §6.2 requires), which makes Salesforce retry the message.
            func fault(_ code: String, _ message: String, client: Bool, status: HTTPResponse.Status = .internalServerError) -> Response {
                Response(
                    status: status, headers: [.contentType: "text/xml; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: SalesforceOutboundMessage.fault(code: code, message: message, client: client))))
            }
            guard let salesforce = self.integrations.salesforce else {
                let refusal = IntegrationRefusal.notConfigured(integration: "Salesforce", setting: "salesforce_organization_id")
                // Not a fault of a message but an absent route: 404, as for HubSpot.
                return fault(refusal.code, refusal.description, client: true, status: .notFound)
            }
            let incoming: IntegrationRequest
            do { incoming = try await self.integrationRequest(request, context: context) } catch let error as APIError {
                return fault(error.code, error.message, client: true)
            }
            let delivery: IntegrationDelivery
            do throws(IntegrationRefusal) { delivery = try salesforce.read(incoming) } catch {
                await self.metrics.event(type: "salesforce", outcome: "refused")
                self.logger.warning("POST /integrations/salesforce refused (\(error.code)): \(error.description)")
                return fault(error.code, error.description, client: true)
            }
            let (results, status) = try await self.apply(delivery, integration: "salesforce") { $0 }
            switch status {
            case .ok:
                return Response(
                    status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: SalesforceOutboundMessage.acknowledgement)))
            case .serviceUnavailable:
                return fault("store_unavailable", results.error?.message ?? "the store is unavailable; Salesforce will retry", client: false)
            default:
                let refused = results.results.first { $0.status == .rejected }
                return fault(refused?.error?.code ?? "rejected", refused?.error?.message ?? "an event was refused", client: true)
            }
        }
        router.post("/integrations/marketo") { request, context in
            let incoming = try await self.integrationRequest(request, context: context)
            let event: InboundEvent
            do throws(IntegrationRefusal) {
                // Without the secret header the request is not one of the configured webhooks (401)
                // whether or not Marketo is configured; with it, an unconfigured integration is absent (404).
                guard incoming.header(MarketoWebhook.secretHeader) != nil else { throw .missingHeader(MarketoWebhook.secretHeader) }
                guard let marketo = self.integrations.marketo else {
                    throw .notConfigured(integration: "Marketo", setting: "marketo_secret_file")
                }
                event = try marketo.read(incoming)
            } catch {
                await self.metrics.event(type: "marketo", outcome: "refused")
                self.logger.warning("POST /integrations/marketo refused (\(error.status)): \(error.description)")
                throw Self.apiError(error)
            }
            let (results, status) = try await self.apply(IntegrationDelivery(events: [event]), integration: "marketo") { $0 }
            return JSONResponse.make(results, status: status)
        }
    }

    /// The request as the adapters see it: the full URI the vendor signed (``ServiceConfiguration/publicBaseURL``,
    /// or the scheme and Host header of this request), headers by lower-cased name, the raw body.
    func integrationRequest(_ request: Request, context: ServiceContext) async throws -> IntegrationRequest {
        let body = try await request.bodyBytes(limit: context.bodyLimit)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let base: String
        if let configured = integrations.publicBaseURL {
            base = configured.hasSuffix("/") ? String(configured.dropLast()) : configured
        } else {
            base = "\(tls == nil ? "http" : "https")://\(request.head.authority ?? headers["host"] ?? "localhost")"
        }
        return IntegrationRequest(
            method: request.method.rawValue, uri: base + request.uri.description, headers: headers, body: body, receivedAt: now())
    }

    /// The lead a HubSpot contact's events now belong to: the survivor of the merges recorded
    /// for it (``HubSpotWebhook/aliasEventID(mergedObjectID:)``), followed up to 8 merges deep.
    func survivingHubSpotLead(_ leadID: String) async throws -> String {
        var lead = leadID
        for _ in 0..<8 {
            guard let objectID = HubSpotWebhook.objectID(leadID: lead),
                let merge = try await store.event(id: HubSpotWebhook.aliasEventID(mergedObjectID: objectID)), merge.leadID != lead
            else { break }
            lead = merge.leadID
        }
        return lead
    }

    /// A vendor's merge as Baton can apply it: a `merge` when both leads are stored; when the
    /// survivor is new (HubSpot made a new record), a `lead_updated` creating it first; when Baton
    /// never stored the merged lead, a note on the survivor under the merge's id (the alias row
    /// ``survivingHubSpotLead(_:)`` follows), as there is nothing to merge.
    func mergesTheStoreCanTake(_ events: [InboundEvent], integration: String) async throws -> [InboundEvent] {
        var result: [InboundEvent] = []
        for event in events {
            guard event.kind == .merge, case .merge(let merge) = event.body, try await store.event(id: event.eventID) == nil else {
                result.append(event)
                continue
            }
            guard try await store.lead(id: merge.mergedLeadID) != nil else {
                result.append(
                    InboundEvent(
                        eventID: event.eventID, kind: .leadUpdated, occurredAt: event.occurredAt, leadID: event.leadID,
                        body: .lead(
                            .init(
                                fields: [:], integration: integration,
                                note: (merge.note ?? "merged \(merge.mergedLeadID)") + "; later events for \(merge.mergedLeadID) apply to this lead"))
                    ))
                continue
            }
            if try await store.lead(id: event.leadID) == nil {
                result.append(
                    InboundEvent(
                        eventID: event.eventID + "-survivor", kind: .leadUpdated, occurredAt: event.occurredAt, leadID: event.leadID,
                        body: .lead(.init(fields: [:], integration: integration, note: "the survivor of a merge, new to Baton"))))
            }
            result.append(event)
        }
        return result
    }

    /// Applies a delivery's events in order; the status is 200 when every event is applied,
    /// duplicate or skipped (with the reason); 422 when the flow refused one (the others are
    /// committed; the vendor's retry brings them back as duplicates); 503 when the store failed,
    /// with what was committed before.
    func apply(
        _ delivery: IntegrationDelivery, integration: String, resolveLead: (String) async throws -> String
    ) async throws -> (IntegrationResults, HTTPResponse.Status) {
        var results: [EventResult] = []
        var counts = EventResult.Counts()
        var skipped = delivery.skipped.map { IntegrationResults.Skipped(vendorID: $0.vendorID, reason: $0.reason) }
        var storeDown: EngineError?
        for var event in try await mergesTheStoreCanTake(delivery.events, integration: integration) {
            if storeDown != nil {
                results.append(EventResult(eventID: event.eventID, status: .notProcessed))
                counts.add(.notProcessed)
                continue
            }
            // A vendor item's id is the vendor's own: stored means this is a redelivery (Salesforce
            // resends a notification with nothing that dates it, HubSpot may merge in between), so
            // it is a duplicate whatever the arrival time or the lead's merges now say.
            if try await store.event(id: event.eventID) != nil {
                await metrics.event(type: integration, outcome: "duplicate")
                counts.add(.duplicate)
                results.append(EventResult(eventID: event.eventID, status: .duplicate, effects: []))
                continue
            }
            event.leadID = try await resolveLead(event.leadID)
            if delivery.onlyForStoredLeads.contains(event.eventID), try await store.lead(id: event.leadID) == nil {
                skipped.append(.init(vendorID: event.eventID, reason: "lead \(event.leadID) is not stored in Baton; nothing to record"))
                continue
            }
            do {
                let applied = try await applyRetryingRaces(event)
                await metrics.event(type: integration, outcome: applied.status.rawValue)
                let status = EventResult.Status(applied.status)
                counts.add(status)
                var result = EventResult(eventID: event.eventID, status: status, effects: applied.effects.map(\.summary))
                result.missingFields = applied.missingFields.isEmpty ? nil : applied.missingFields
                results.append(result)
            } catch {
                if Self.isTransient(error) {
                    storeDown = error
                    results.append(EventResult(eventID: event.eventID, status: .notProcessed))
                    counts.add(.notProcessed)
                    logger.error("\(integration) event \(event.eventID): store unavailable: \(error.description)")
                    continue
                }
                await metrics.event(type: integration, outcome: "rejected")
                counts.add(.rejected)
                logger.warning("\(integration) event \(event.eventID) refused: \(error.description)")
                results.append(
                    EventResult(
                        eventID: event.eventID, status: .rejected,
                        error: .init(code: Self.code(of: error), field: Self.field(of: error), message: error.description)))
            }
        }
        for item in skipped { logger.info("\(integration) item \(item.vendorID) skipped: \(item.reason)") }
        logger.info(
            "POST /integrations/\(integration): \(counts.applied) applied, \(counts.duplicate) duplicate, \(counts.rejected) rejected, \(skipped.count) skipped"
        )
        let answer = IntegrationResults(
            results: results, skipped: skipped, counts: counts,
            error: storeDown.map { .init(code: "store_unavailable", message: $0.description) })
        let status: HTTPResponse.Status = storeDown != nil ? .serviceUnavailable : counts.rejected > 0 ? .unprocessableContent : .ok
        return (answer, status)
    }

    /// The JSON error answer of a refused delivery (nothing of it stored).
    static func apiError(_ refusal: IntegrationRefusal) -> APIError {
        APIError(HTTPResponse.Status(code: refusal.status), code: refusal.code, message: refusal.description, field: refusal.field)
    }
}

/// The answer to an integration delivery: one result per Baton event, the vendor items that
/// became none (with why), the counts.
struct IntegrationResults: Encodable, Sendable {
    struct Skipped: Encodable, Sendable {
        let vendorID: String
        let reason: String
        enum CodingKeys: String, CodingKey {
            case vendorID = "vendor_id"
            case reason
        }
    }

    let results: [EventResult]
    let skipped: [Skipped]
    let counts: EventResult.Counts
    var error: BatchResults.Failure?
}
