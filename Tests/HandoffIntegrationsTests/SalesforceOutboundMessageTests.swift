import Foundation
import HandoffFlow
import HandoffIntegrations
import Testing

/// Outbound messages shaped like the Outbound Messaging WSDL's `notifications` (developer.salesforce.com,
/// "Understanding the Outbound Messaging WSDL"), read by the adapter.
@Suite struct SalesforceOutboundMessageTests {
    // 15 characters; 00D5e000000KQ2eEAG is the 18-character form a real outbound message carries
    // (groups 00D5e → D at 2 → 4 → E, 00000 → A, 0KQ2e → K at 1, Q at 2 → 6 → G).
    static let organization = "00D5e000000KQ2e"
    static let mapping = try? FieldMapping.parse(
        yaml: """
            salesforce_lead:
              NumberOfEmployees: {field: company_size, ranges: [{below: 11, value: "1-10"}, {from: 1000, value: "1000+"}], otherwise: "1-10"}
              Budget_Authority__c: {field: budget_authority, values: {"true": "yes", "false": "no"}}
            salesforce_contact:
              Email: email
            """, file: "mapping.yaml")

    static func envelope(organization: String = "00D5e000000KQ2eEAG", _ notifications: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>\(organization)</OrganizationId>
           <ActionId>04k5e000000CaRkAAK</ActionId>
           <SessionId xsi:nil="true"/>
           <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/59.0/00D5e000000KQ2e</EnterpriseUrl>
           <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/59.0/00D5e000000KQ2e</PartnerUrl>
           \(notifications)
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """
    }

    static let lead = """
        <Notification><Id>04l5e00000Gx7QzAAJ</Id>
         <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
          <sf:Id>00Q5e00000AbCdE</sf:Id><sf:NumberOfEmployees>2500</sf:NumberOfEmployees><sf:Budget_Authority__c>true</sf:Budget_Authority__c>
          <sf:LastModifiedDate>2026-03-02T10:00:00.000Z</sf:LastModifiedDate><sf:Website xsi:nil="true"/>
         </sObject></Notification>
        """

    static func read(_ xml: String, contentType: String = "text/xml; charset=utf-8") throws(IntegrationRefusal) -> IntegrationDelivery {
        let request = IntegrationRequest(
            method: "POST", uri: "https://baton.example.com/integrations/salesforce", headers: ["Content-Type": contentType],
            body: Data(xml.utf8), receivedAt: Date(timeIntervalSince1970: 1_772_445_600))
        return try SalesforceOutboundMessage(organizationID: organization, mapping: mapping ?? FieldMapping()).read(request)
    }

    @Test func eighteenCharacterIdsCarryTheCaseOfTheFifteen() {
        #expect(SalesforceID.canonical("00D5e000000KQ2e") == "00D5e000000KQ2eEAG")
        #expect(SalesforceID.canonical("00D5e000000KQ2eeag") == "00D5e000000KQ2eEAG")
        #expect(SalesforceID.canonical("001000000000001") == "001000000000001AAA")
        #expect(SalesforceID.canonical("00D5e000000KQ2eAAA") == nil)
        #expect(SalesforceID.canonical("00D5e000000KQ2") == nil && SalesforceID.canonical("00D5e000000KQ2-") == nil)
    }

    @Test func leadsAndContactsBecomeIntegrationLeadEvents() throws {
        let contact = """
            <Notification><Id>04l5e00000Gx7R0AAJ</Id>
             <sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>0035e00000XyZaB</sf:Id><sf:Email>ana@example.com</sf:Email></sObject>
            </Notification>
            <Notification><Id>04l5e00000Gx7R1AAJ</Id>
             <sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>0015e00000ZkM3h</sf:Id></sObject>
            </Notification>
            """
        let delivery = try Self.read(Self.envelope(Self.lead + contact))
        #expect(delivery.events.map(\.eventID) == ["salesforce-04l5e00000Gx7QzAAJ", "salesforce-04l5e00000Gx7R0AAJ"])
        // AbCdE and XyZaB: upper case at 0, 2 and 4 → 1 + 4 + 16 = 21 → V; 00Q5e → Q at 2 → E.
        #expect(delivery.events.map(\.leadID) == ["salesforce-00Q5e00000AbCdEEAV", "salesforce-0035e00000XyZaBAAV"])
        #expect(delivery.events[0].occurredAt == Date(timeIntervalSince1970: 1_772_445_600))
        guard case .lead(let first) = delivery.events[0].body, case .lead(let second) = delivery.events[1].body else { return }
        #expect(first.fields == ["company_size": "1000+", "budget_authority": "yes"] && first.integration == "salesforce")
        #expect(second.fields == ["email": "ana@example.com"])
        #expect(delivery.skipped.map(\.reason) == ["sObject type Account is not a Lead, Contact or Opportunity"])
    }

    @Test func closedOpportunitiesBecomeAStageAndAnOutcome() throws {
        let opportunity = """
            <Notification><Id>04l5e00000Gx7R2AAJ</Id>
             <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
              <sf:Id>0065e00000OpP1q</sf:Id><sf:ContactId>0035e00000XyZaB</sf:ContactId><sf:StageName>Closed Won</sf:StageName>
              <sf:Amount>12500.00</sf:Amount><sf:CloseDate>2026-04-30</sf:CloseDate><sf:IsClosed>true</sf:IsClosed><sf:IsWon>true</sf:IsWon>
              <sf:CurrencyIsoCode>EUR</sf:CurrencyIsoCode>
             </sObject></Notification>
            """
        let delivery = try Self.read(Self.envelope(opportunity))
        #expect(delivery.events.map(\.kind) == [.opportunity, .won])
        #expect(delivery.events.map(\.eventID) == ["salesforce-04l5e00000Gx7R2AAJ-stage", "salesforce-04l5e00000Gx7R2AAJ"])
        #expect(Set(delivery.events.map(\.leadID)) == ["salesforce-0035e00000XyZaBAAV"])
        guard case .outcome(let won) = delivery.events[1].body, case .opportunity(let open) = delivery.events[0].body else { return }
        #expect(won.amount == Decimal(string: "12500.00") && won.closeDate == Date(timeIntervalSince1970: 1_777_507_200))
        #expect(open.currency == "EUR" && open.stage == "Closed Won" && open.opportunityID == "salesforce-0065e00000OpP1qAAF")  // OpP1q: 1 + 4 → F
    }

    @Test(arguments: [
        (envelope(organization: "00D000000000062", lead), 403, "notifications.OrganizationId"),
        ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><lolz>&lol;</lolz>", 400, "(body)"),
        ("<notifications/>", 400, "(body)"),
        ("not xml at all", 400, "(body)"),
        (envelope("<Notification><Id>04l5e00000Gx7QzAAJ</Id></Notification>"), 400, "notifications.Notification[0].sObject"),
        (envelope(String(repeating: lead, count: 101)), 400, "notifications.Notification"),
        (
            envelope(
                "<Notification><Id>04l5e00000Gx7QzAAJ</Id><sObject xsi:type=\"sf:Opportunity\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\"><sf:Id>0065e00000OpP1q</sf:Id><sf:ContactId>0035e00000XyZaB</sf:ContactId><sf:StageName>Prospecting</sf:StageName><sf:Amount>-5</sf:Amount></sObject></Notification>"
            ), 422, "notifications.Notification[0].sObject.Amount"
        ),
    ])
    func foreignHostileAndMalformedMessagesAreRefused(xml: String, status: Int, field: String) {
        do {
            let delivery = try Self.read(xml)
            Issue.record("accepted: \(delivery)")
        } catch {
            #expect(error.status == status && error.field == field, "\(error.status) \(error.field ?? "-"): \(error.description)")
        }
    }

    @Test func answersAreTheWSDLsAcknowledgementAndSOAPFaults() {
        #expect(
            SalesforceOutboundMessage.acknowledgement.contains(
                #"<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>"#))
        let fault = SalesforceOutboundMessage.fault(code: "foreign_account", message: "OrganizationId <x> & y", client: true)
        #expect(fault.contains("<faultcode>soapenv:Client</faultcode><faultstring>foreign_account: OrganizationId &lt;x&gt; &amp; y</faultstring>"))
    }
}
