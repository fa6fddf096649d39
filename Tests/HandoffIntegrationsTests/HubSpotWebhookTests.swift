import Foundation
import HandoffFlow
import HandoffIntegrations
import Testing

/// Deliveries shaped like the examples of HubSpot's webhooks API reference, read by the adapter.
@Suite struct HubSpotWebhookTests {
    static let secret = "app-client-secret"
    static let uri = "https://baton.example.com/integrations/hubspot"
    static let mapping = try? FieldMapping.parse(
        yaml: """
            hubspot:
              numberofemployees:
                field: company_size
                ranges: [{below: 11, value: "1-10"}, {from: 1000, value: "1000+"}]
              lifecyclestage: {field: stage_in_hubspot, values: {subscriber: subscriber}}
            """, file: "mapping.yaml")

    static func read(_ json: String, portal: Int64? = nil) throws(IntegrationRefusal) -> IntegrationDelivery {
        let body = Data(json.utf8)
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        let timestamp = String(Int64(now.timeIntervalSince1970 * 1000))
        let signature = HubSpotSignature.sign(method: "POST", uri: uri, body: body, timestamp: timestamp, clientSecret: secret)
        let request = IntegrationRequest(
            method: "POST", uri: uri,
            headers: ["Content-Type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": timestamp],
            body: body, receivedAt: now)
        return try HubSpotWebhook(clientSecret: secret, portalID: portal, mapping: mapping ?? FieldMapping()).read(request)
    }

    @Test func theDocumentedExampleBecomesIntegrationLeadEventsOldestFirst() throws {
        // The reference's example (property change, then a creation), with a mapped property added.
        let delivery = try Self.read(
            """
            [{"objectId":1246965,"propertyName":"lifecyclestage","propertyValue":"subscriber","changeSource":"ACADEMY","eventId":3816279340,"subscriptionId":25,"portalId":33,"appId":1160452,"occurredAt":1462216307945,"subscriptionType":"contact.propertyChange","attemptNumber":0},
             {"objectId":1246978,"changeSource":"IMPORT","eventId":3816279480,"subscriptionId":22,"portalId":33,"appId":1160452,"occurredAt":1462216307945,"subscriptionType":"contact.creation","attemptNumber":0},
             {"objectId":1246978,"propertyName":"numberofemployees","propertyValue":"2500","eventId":3816279481,"subscriptionId":26,"portalId":33,"appId":1160452,"occurredAt":1462216307946,"subscriptionType":"object.propertyChange","objectTypeId":"0-1","attemptNumber":1},
             {"objectId":1246978,"propertyName":"hs_lastmodifieddate","propertyValue":"1462216307946","eventId":3816279482,"subscriptionId":27,"portalId":33,"occurredAt":1462216307946,"subscriptionType":"contact.propertyChange"},
             {"objectId":88,"eventId":9,"subscriptionId":28,"portalId":33,"occurredAt":1462216307000,"subscriptionType":"object.creation","objectTypeId":"0-3"}]
            """)
        #expect(delivery.events.map(\.eventID) == ["hubspot-33-25-3816279340", "hubspot-33-22-3816279480", "hubspot-33-26-3816279481"])
        #expect(delivery.events.map(\.kind) == [.leadUpdated, .leadCreated, .leadUpdated])
        #expect(delivery.events.map(\.leadID) == ["hubspot-1246965", "hubspot-1246978", "hubspot-1246978"])
        #expect(delivery.events.allSatisfy { $0.integration == "hubspot" })
        #expect(delivery.events[0].occurredAt == Date(timeIntervalSince1970: 1_462_216_307.945))
        guard case .lead(let size) = delivery.events[2].body else { return }
        #expect(size.fields == ["company_size": "1000+"])
        #expect(
            delivery.skipped.map(\.reason) == [
                "property hs_lastmodifieddate is not mapped (field mapping section `hubspot`)",
                "object.creation (objectTypeId 0-3) is not about a contact; Baton reads contacts",
            ])
    }

    @Test func mergesNameTheSurvivorAndDeletionsAreNotesOnStoredLeads() throws {
        let delivery = try Self.read(
            """
            [{"eventId":100,"subscriptionId":30,"portalId":33,"occurredAt":1462216308000,"subscriptionType":"contact.merge","objectId":501,"primaryObjectId":501,"mergedObjectIds":[502,503],"numberOfPropertiesMoved":4},
             {"eventId":101,"subscriptionId":31,"portalId":33,"occurredAt":1462216309000,"subscriptionType":"contact.deletion","objectId":600,"changeSource":"CRM_UI"},
             {"eventId":102,"subscriptionId":32,"portalId":33,"occurredAt":1462216309500,"subscriptionType":"contact.privacyDeletion","objectId":601},
             {"eventId":103,"subscriptionId":33,"portalId":33,"occurredAt":1462216310000,"subscriptionType":"contact.restore","objectId":600},
             {"eventId":104,"subscriptionId":30,"portalId":33,"occurredAt":1462216311000,"subscriptionType":"contact.merge","objectId":700,"primaryObjectId":700,"mergedObjectIds":[701],"newObjectId":799}]
            """)
        #expect(
            delivery.events.map(\.eventID) == [
                "hubspot-merged-502", "hubspot-merged-503", "hubspot-33-31-101", "hubspot-33-32-102", "hubspot-merged-700", "hubspot-merged-701",
            ])
        #expect(delivery.events.map(\.leadID) == ["hubspot-501", "hubspot-501", "hubspot-600", "hubspot-601", "hubspot-799", "hubspot-799"])
        #expect(delivery.onlyForStoredLeads == ["hubspot-33-31-101", "hubspot-33-32-102"])
        #expect(delivery.events.map(\.kind.rawValue) == ["merge", "merge", "lead_updated", "lead_updated", "merge", "merge"])
        guard case .merge(let merge) = delivery.events[0].body, case .lead(let privacy) = delivery.events[3].body else {
            Issue.record("a HubSpot merge is a Baton merge")
            return
        }
        #expect(merge.mergedLeadID == "hubspot-502" && merge.note?.contains("HubSpot merged contact 502 into 501") == true)
        #expect(privacy.note?.contains("deleted for privacy (GDPR) reasons") == true)
        #expect(delivery.skipped.map(\.vendorID) == ["33-33-103"])
        #expect(HubSpotWebhook.objectID(leadID: "hubspot-799") == 799 && HubSpotWebhook.objectID(leadID: "L1") == nil)
    }

    @Test(arguments: [
        ("{}", 400, "(body)"),
        ("[]", 400, "(body)"),
        ("[{\"eventId\":1}]", 400, "[0].subscriptionId"),
        (
            "[{\"eventId\":\"x\",\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":1,\"subscriptionType\":\"contact.creation\",\"objectId\":1}]",
            400, "[0].eventId"
        ),
        (
            "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":1.5,\"subscriptionType\":\"contact.creation\",\"objectId\":1}]", 400,
            "[0].occurredAt"
        ),
        (
            "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":-5,\"subscriptionType\":\"contact.creation\",\"objectId\":1}]", 400,
            "[0].occurredAt"
        ),
        ("[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":1,\"subscriptionType\":\"contact.creation\"}]", 400, "[0].objectId"),
        (
            "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":1,\"subscriptionType\":\"object.creation\",\"objectId\":1}]", 400,
            "[0].objectTypeId"
        ),
        (
            "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":1,\"subscriptionType\":\"contact.merge\",\"objectId\":1}]", 400,
            "[0].mergedObjectIds"
        ),
        (
            "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":34,\"occurredAt\":1,\"subscriptionType\":\"contact.creation\",\"objectId\":1}]", 403,
            "[0].portalId"
        ),
        (
            "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":1,\"subscriptionType\":\"contact.propertyChange\",\"objectId\":1,\"propertyName\":\"numberofemployees\",\"propertyValue\":\"500\"}]",
            422, "[0].propertyValue"
        ),
        (
            "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":33,\"occurredAt\":1,\"subscriptionType\":\"contact.propertyChange\",\"objectId\":1,\"propertyName\":\"a\\nb\",\"propertyValue\":\"5\"}]",
            400, "[0].propertyName"
        ),
    ])
    func malformedDeliveriesAreRefusedNamingTheField(json: String, status: Int, field: String) {
        do {
            let delivery = try Self.read(json, portal: 33)
            Issue.record("accepted: \(delivery)")
        } catch {
            #expect(error.status == status && error.field == field, "\(error.status) \(error.field ?? "-"): \(error.description)")
        }
    }
}
