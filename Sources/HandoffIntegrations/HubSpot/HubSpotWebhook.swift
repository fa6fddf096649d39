import BatonSupport
import Foundation
import HandoffFlow

/// `POST /integrations/hubspot`: a HubSpot app's webhook deliveries, verified
/// (``HubSpotSignature``) and turned into Baton events.
///
/// What each subscription type becomes (classic `contact.X` and generic `object.X` with
/// `objectTypeId` `0-1` alike; other objects are skipped with the reason):
/// - `creation`: a `lead_created` from the `hubspot` integration with no fields: the lead
///   `hubspot-<objectId>` is stored, incomplete until its properties arrive.
/// - `propertyChange`: a `lead_updated` with the one mapped field (``FieldMapping`` section
///   `hubspot`); a property the mapping does not list, or a cleared (empty) value, is skipped.
/// - `merge`: for every contact id that stops existing (`mergedObjectIds`, and the primary when
///   the merge made a new record), a Baton `merge` of that lead into the surviving one, with the
///   event id ``aliasEventID(mergedObjectID:)`` (see `EventWork+Merge` in HandoffFlow: fields
///   merged, histories joined, the hand-off kept). When Baton never stored the old contact the
///   server records it as a note on the survivor under the same id instead, which it reads to send
///   later events for the old id to the survivor.
/// - `deletion`, `privacyDeletion`: a `lead_updated` with no fields and a note on the lead, when
///   Baton holds it (``IntegrationDelivery/onlyForStoredLeads``); nothing else changes (see README).
/// - `restore`, `associationChange` and other types: skipped with the reason.
///
/// Event ids are `hubspot-<portalId>-<subscriptionId>-<eventId>` (HubSpot does not promise an
/// `eventId` unique across subscriptions), so a redelivery (`attemptNumber` > 0) is a duplicate.
package struct HubSpotWebhook: Sendable, CustomStringConvertible {
    /// The app's client secret (the HMAC key); never printed.
    package var clientSecret: String
    /// When set, deliveries for another HubSpot account (`portalId`) are refused (403).
    package var portalID: Int64?
    package var mapping: FieldMapping

    package init(clientSecret: String, portalID: Int64? = nil, mapping: FieldMapping) {
        self.clientSecret = clientSecret
        self.portalID = portalID
        self.mapping = mapping
    }

    package var description: String { "HubSpotWebhook(portal: \(portalID.map(String.init) ?? "any"), client secret: set)" }

    /// The integration name recorded on the events.
    package static let integration = "hubspot"
    /// The contact object's `objectTypeId` in the generic form.
    static let contactTypeID = "0-1"

    /// The Baton lead id of a HubSpot contact.
    package static func leadID(objectID: Int64) -> String { "hubspot-\(objectID)" }

    /// The id of the event that records a merged-away contact: its lead is the survivor.
    package static func aliasEventID(mergedObjectID: Int64) -> String { "hubspot-merged-\(mergedObjectID)" }

    /// The HubSpot contact id of a Baton lead id made by ``leadID(objectID:)``, nil for others.
    package static func objectID(leadID: String) -> Int64? {
        guard leadID.hasPrefix("hubspot-") else { return nil }
        return Int64(leadID.dropFirst("hubspot-".count))
    }

    /// Verifies `request` and reads its events, oldest first (HubSpot may batch them out of order).
    /// - Throws: ``IntegrationRefusal``: 401 signature or timestamp, 415 not JSON, 400 not the
    ///   documented array, 403 another portal, 422 a value the mapping cannot place.
    package func read(_ request: IntegrationRequest) throws(IntegrationRefusal) -> IntegrationDelivery {
        try HubSpotSignature.verify(request, clientSecret: clientSecret)
        if let type = request.header("Content-Type"), !type.lowercased().hasPrefix("application/json") {
            throw .unsupportedMediaType(received: type, expected: "application/json")
        }
        let items: [HubSpotEvent]
        do {
            items = try JSONDecoder().decode([HubSpotEvent].self, from: request.body)
        } catch let error as DecodingError {
            throw .malformed(field: error.hubSpotPath, problem: error.hubSpotProblem)
        } catch {
            throw .malformed(field: "(body)", problem: "is not JSON")
        }
        guard !items.isEmpty else { throw .malformed(field: "(body)", problem: "is an empty array; HubSpot sends at least one event") }
        var delivery = IntegrationDelivery()
        var dated: [(at: Int64, index: Int, event: InboundEvent)] = []
        for (index, item) in items.enumerated() {
            for event in try events(item, at: "[\(index)]", delivery: &delivery) { dated.append((item.occurredAt, index, event)) }
        }
        delivery.events = dated.sorted { ($0.at, $0.index) < ($1.at, $1.index) }.map(\.event)
        return delivery
    }

    func events(_ item: HubSpotEvent, at path: String, delivery: inout IntegrationDelivery) throws(IntegrationRefusal) -> [InboundEvent] {
        if let portalID, item.portalId != portalID {
            throw .foreignAccount(field: "\(path).portalId", received: String(item.portalId), expected: String(portalID))
        }
        guard (0..<253_402_300_800_000).contains(item.occurredAt) else {
            throw .malformed(field: "\(path).occurredAt", problem: "is not a time in milliseconds since 1970")
        }
        let vendorID = "\(item.portalId)-\(item.subscriptionId)-\(item.eventId)"
        let id = "hubspot-\(vendorID)"
        let parts = item.subscriptionType.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw .malformed(field: "\(path).subscriptionType", problem: "is `\(item.subscriptionType.prefix(64))`, not an `object.action` type")
        }
        let (object, action) = (parts[0], parts[1])
        let isContact = object == "contact" || (object == "object" && item.objectTypeId == Self.contactTypeID)
        if object == "object", item.objectTypeId == nil {
            throw .malformed(field: "\(path).objectTypeId", problem: "is required with an object.* subscription type")
        }
        guard isContact else {
            delivery.skipped.append(
                .init(
                    vendorID: vendorID,
                    reason:
                        "\(item.subscriptionType)\(item.objectTypeId.map { " (objectTypeId \($0))" } ?? "") is not about a contact; Baton reads contacts"
                ))
            return []
        }
        let occurred = Date(timeIntervalSince1970: Double(item.occurredAt) / 1000)
        func objectID() throws(IntegrationRefusal) -> Int64 {
            guard let objectID = item.objectId else {
                throw .malformed(field: "\(path).objectId", problem: "is required with \(item.subscriptionType)")
            }
            return objectID
        }
        func leadEvent(_ kind: InboundEvent.Kind, id: String, lead: Int64, fields: [String: String] = [:], note: String? = nil) -> InboundEvent {
            InboundEvent(
                eventID: id, kind: kind, occurredAt: occurred, leadID: Self.leadID(objectID: lead),
                body: .lead(.init(fields: fields, source: nil, integration: Self.integration, note: note)))
        }
        let source = item.changeSource.map { ", change source \($0.prefix(64))" } ?? ""
        switch action {
        case "creation":
            return [leadEvent(.leadCreated, id: id, lead: try objectID())]
        case "propertyChange":
            guard let property = item.propertyName, Identifier.problem(property) == nil else {
                throw .malformed(field: "\(path).propertyName", problem: "is required with propertyChange (printable text)")
            }
            let value = item.propertyValue ?? ""
            guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                delivery.skipped.append(.init(vendorID: vendorID, reason: "property \(property) was cleared; Baton keeps the value it has"))
                return []
            }
            guard let (field, mapped) = try mapping.map(section: "hubspot", property: property, value: value, at: "\(path).propertyValue") else {
                delivery.skipped.append(
                    .init(vendorID: vendorID, reason: "property \(property) is not mapped (field mapping section `hubspot`)"))
                return []
            }
            return [leadEvent(.leadUpdated, id: id, lead: try objectID(), fields: [field: mapped])]
        case "merge":
            guard let primary = item.primaryObjectId, let merged = item.mergedObjectIds, !merged.isEmpty else {
                throw .malformed(field: "\(path).mergedObjectIds", problem: "and primaryObjectId are required with a merge")
            }
            let survivor = item.newObjectId ?? primary
            let gone = Array(Set(merged + (survivor == primary ? [] : [primary]))).filter { $0 != survivor }.sorted()
            return gone.map { old in
                InboundEvent(
                    eventID: Self.aliasEventID(mergedObjectID: old), kind: .merge, occurredAt: occurred, leadID: Self.leadID(objectID: survivor),
                    body: .merge(
                        .init(
                            mergedLeadID: Self.leadID(objectID: old),
                            note: "HubSpot merged contact \(old) into \(survivor) (eventId \(item.eventId)\(source))")))
            }
        case "deletion", "privacyDeletion":
            let what = action == "deletion" ? "deleted" : "deleted for privacy (GDPR) reasons"
            let event = leadEvent(
                .leadUpdated, id: id, lead: try objectID(),
                note: "HubSpot \(what) contact \(try objectID()) (eventId \(item.eventId)\(source)); Baton keeps the lead's history")
            delivery.onlyForStoredLeads.insert(id)
            return [event]
        default:
            delivery.skipped.append(.init(vendorID: vendorID, reason: "\(item.subscriptionType) changes nothing Baton reads"))
            return []
        }
    }
}

extension DecodingError {
    /// `[2].occurredAt` for an error in the third element's `occurredAt`.
    var hubSpotPath: String {
        let path: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: path = []
        }
        let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let trimmed = text.hasPrefix(".") ? String(text.dropFirst()) : text
        return trimmed.isEmpty ? "(body)" : trimmed
    }

    var hubSpotProblem: String {
        switch self {
        case .keyNotFound: "is required (HubSpot sends it in every event)"
        case .typeMismatch(let type, let context):
            type == String.self
                ? "must be text" : context.debugDescription.hasPrefix("must") ? context.debugDescription : "is not the documented type"
        case .valueNotFound: "must not be null"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "is not JSON: HubSpot sends a JSON array of events" : context.debugDescription
        @unknown default: "is not the documented shape"
        }
    }
}
