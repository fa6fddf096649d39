import Foundation
import PostgresTestSupport
import Testing

/// Salesforce outbound messages through the real `baton serve` on loopback: acknowledged only
/// after the commits, retries are duplicates, a foreign organisation and hostile XML get a SOAP
/// fault and store nothing, a closed-won opportunity reaches the lead.
@Suite(.serialized) struct SalesforceIntegrationTests {
    static let mapping = """
        salesforce_lead:
          NumberOfEmployees: {field: company_size, ranges: [{below: 11, value: "1-10"}, {from: 1000, value: "1000+"}], otherwise: "1-10"}
          Budget_Authority__c: {field: budget_authority, values: {"true": "yes", "false": "no"}}
          Email_Opens__c: email_opens
          Country: {field: region, values: {United States: na, Germany: emea}}
        salesforce_contact:
          NumberOfEmployees__c: {field: company_size, ranges: [{below: 11, value: "1-10"}, {from: 1000, value: "1000+"}], otherwise: "1-10"}
          Budget_Authority__c: {field: budget_authority, values: {"true": "yes", "false": "no"}}
          Email_Opens__c: email_opens
          MailingCountry: {field: region, values: {United States: na, Germany: emea}}
        """

    static func envelope(organization: String = "00D5e000000KQ2eEAG", _ notifications: String) -> Data {
        Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
             <soapenv:Body>
              <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
               <OrganizationId>\(organization)</OrganizationId><ActionId>04k5e000000CaRkAAK</ActionId><SessionId xsi:nil="true"/>
               <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/59.0/00D5e000000KQ2e</EnterpriseUrl>
               <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/59.0/00D5e000000KQ2e</PartnerUrl>
               \(notifications)
              </notifications>
             </soapenv:Body>
            </soapenv:Envelope>
            """.utf8)
    }

    static func notification(_ id: String, _ type: String, _ fields: [(String, String)]) -> String {
        let body = fields.map { "<sf:\($0.0)>\($0.1)</sf:\($0.0)>" }.joined()
        return """
            <Notification><Id>\(id)</Id><sObject xsi:type="sf:\(type)" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">\(body)</sObject></Notification>
            """
    }

    static func scenario(db: String?) async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let mappingFile = files.folder.appendingPathComponent("mapping.yaml").path
        try Self.mapping.write(toFile: mappingFile, atomically: true, encoding: .utf8)
        let config = files.folder.appendingPathComponent("serve.json").path
        let settings: [String: Any] = [
            "known_fields": ["region", "demo_requests"], "field_mapping": mappingFile, "salesforce_organization_id": "00D5e000000KQ2e",
            "salesforce_currency": "EUR",
            // The fixtures are dated in the past: a scheduler turn during a slow run would fire their SLA steps.
            "tick_interval_seconds": 86_400,
        ]
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: config))
        let process = try await ServeProcess.start(
            arguments: ["--db", db ?? files.db, "--playbook", files.playbook, "--model", files.model, "--config", config])
        defer { process.stop() }
        let token = try #require(process.printedToken)
        func post(_ body: Data) async -> (status: Int, text: String) {
            let answer = await process.send("POST", "/integrations/salesforce", headers: ["Content-Type": "text/xml; charset=utf-8"], body: body)
            return (answer?.status ?? 0, String(decoding: answer?.body ?? Data(), as: UTF8.self))
        }
        func lead(_ id: String) async -> (status: Int, json: [String: Any]) {
            guard let answer = await process.request("GET", "/leads/\(id)", token: token) else { return (0, [:]) }
            return (answer.status, (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:])
        }
        let leadID = "salesforce-00Q5e00000AbCdEEAV"
        // A lead with some of its fields: acknowledged, stored incomplete.
        var answer = await post(
            Self.envelope(Self.notification("04l5e00000Gx7QzAAJ", "Lead", [("Id", "00Q5e00000AbCdE"), ("NumberOfEmployees", "2500")])))
        #expect(answer.status == 200 && answer.text.contains("<Ack>true</Ack>"), "\(answer.text)")
        #expect(await lead(leadID).json["missing_fields"] as? [String] == ["budget_authority", "email_opens"])
        // The rest: scored, qualified, routed; the same message again changes nothing.
        let rest = Self.envelope(
            Self.notification(
                "04l5e00000Gx7R0AAJ", "Lead",
                [("Id", "00Q5e00000AbCdEEAV"), ("Budget_Authority__c", "true"), ("Email_Opens__c", "3"), ("Country", "United States")]))
        answer = await post(rest)
        #expect(answer.status == 200 && answer.text.contains("<Ack>true</Ack>"), "\(answer.text)")
        answer = await post(rest)
        #expect(answer.status == 200 && answer.text.contains("<Ack>true</Ack>"), "\(answer.text)")
        var stored = await lead(leadID).json
        #expect(stored["missing_fields"] as? [String] == [] && stored["scores"] as? Int == 1, "\(stored)")
        #expect((stored["qualification"] as? [String: Any])?["stage"] as? String == "sql")
        #expect((stored["assignments"] as? [[String: Any]])?.count == 1)

        // Refused with a SOAP fault, nothing stored: another organisation, a DTD, not the envelope.
        let other = Self.notification("04l5e00000Gx7R5AAJ", "Lead", [("Id", "00Q5e00000ZzZzZ"), ("NumberOfEmployees", "5")])
        for (body, code) in [
            (Self.envelope(organization: "00D000000000062", other), "foreign_account"),
            (Data(#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>"#.utf8), "malformed_delivery"),
            (
                Data("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body/></soapenv:Envelope>".utf8),
                "malformed_delivery"
            ),
        ] {
            answer = await post(body)
            #expect(
                answer.status == 500 && answer.text.contains("<faultcode>soapenv:Client</faultcode>") && answer.text.contains(code), "\(answer.text)")
        }
        #expect(await lead("salesforce-00Q5e00000ZzZzZAAV").status == 404)

        // A contact, then its opportunity closed won: the outcome reaches the lead.
        let contact = "salesforce-0035e00000XyZaBAAV"
        answer = await post(
            Self.envelope(
                Self.notification(
                    "04l5e00000Gx7R6AAJ", "Contact",
                    [
                        ("Id", "0035e00000XyZaB"), ("NumberOfEmployees__c", "5"), ("Budget_Authority__c", "false"), ("Email_Opens__c", "0"),
                        ("LastModifiedDate", "2026-03-01T09:00:00.000Z"),
                    ])))
        #expect(answer.status == 200, "\(answer.text)")
        answer = await post(
            Self.envelope(
                Self.notification(
                    "04l5e00000Gx7R7AAJ", "Opportunity",
                    [
                        ("Id", "0065e00000OpP1q"), ("ContactId", "0035e00000XyZaB"), ("StageName", "Closed Won"), ("Amount", "12500.00"),
                        ("CloseDate", "2026-04-30"), ("IsClosed", "true"), ("IsWon", "true"), ("LastModifiedDate", "2026-05-02T15:30:00.000Z"),
                    ])))
        #expect(answer.status == 200 && answer.text.contains("<Ack>true</Ack>"), "\(answer.text)")
        stored = await lead(contact).json
        #expect((stored["outcomes"] as? [[String: Any]])?.first?["result"] as? String == "won", "\(stored)")
    }

    @Test func outboundMessagesOnSQLite() async throws { try await Self.scenario(db: nil) }
}

@Suite(.serialized, .enabled(if: ScratchPostgres.isExpected, ScratchPostgres.skipNote)) struct SalesforceIntegrationPostgresTests {
    @Test func outboundMessagesOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            try await SalesforceIntegrationTests.scenario(db: ScratchPostgres.url(of: location))
        }
    }
}
