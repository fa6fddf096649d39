import Foundation
import HandoffFlow
import HandoffIntegrations
import TestSupport
import Testing

/// The Marketo adapter on the shipped templates (`Notebooks-md/marketo/`) rendered as Marketo
/// renders them, Marketo's wall-clock `{{system.dateTime}}`, and each refusal.
@Suite struct MarketoWebhookTests {
    static let secret = "3b9d0c5e8f41a7c2d6e0b1f4a9c8d7e6"
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static let adapter = MarketoWebhook(secret: secret, timeZone: chicago)

    static func template(_ name: String) throws -> String {
        try String(contentsOf: SharedData.projectRoot.appendingPathComponent("Notebooks-md/marketo/\(name)"), encoding: .utf8)
    }

    /// A person as Marketo holds it: string fields (some empty), the numeric id.
    static func person(region: String = "north_america", company: String = "Acme Rockets") -> [String: MarketoTemplateRenderer.Value] {
        [
            "lead.Id": .number(1001), "lead.Email Address": .text("ana@acme.example"), "lead.First Name": .text("Ana"),
            "lead.Last Name": .text("Lima"), "company.Company Name": .text(company), "lead.Company Size": .text("201-1000"),
            "lead.Industry": .text("software"), "lead.Region": .text(region), "lead.Job Seniority": .text("director"),
            "lead.Budget Authority": .text("yes"), "lead.Purchase Timeline": .text("0-3_months"), "lead.Lead Source": .text("event"),
            "lead.Department": .text("sales"), "lead.Current Solution": .text("spreadsheet"), "lead.Product Interest": .text("core"),
            "lead.Acquisition Program Name": .text("2026 Spring Webinar Series"),
        ]
    }

    static func request(_ body: String, secret: String? = MarketoWebhookTests.secret) -> IntegrationRequest {
        var headers = ["Content-Type": "application/json"]
        if let secret { headers[MarketoWebhook.secretHeader] = secret }
        return IntegrationRequest(
            method: "POST", uri: "https://baton.example.com/integrations/marketo", headers: headers, body: Data(body.utf8), receivedAt: Date())
    }

    static func render(
        _ name: String, person: [String: MarketoTemplateRenderer.Value] = person(), at seconds: Double = 1_795_557_201
    ) throws
        -> String
    {
        try MarketoTemplateRenderer(values: person, now: Date(timeIntervalSince1970: seconds), timeZone: chicago).render(template(name))
    }

    // MARK: {{system.dateTime}}

    @Test func wallClockIsReadInTheSubscriptionsZone() throws {
        // 2026-11-24 15:53:21 in Chicago (CST, UTC−6) is 21:53:21Z.
        #expect(try MarketoDateTime.instant("2026-11-24 15:53:21", in: Self.chicago) == Date(timeIntervalSince1970: 1_795_557_201))
        // Summer (CDT, UTC−5).
        #expect(try MarketoDateTime.instant("2026-07-01 12:00:00", in: Self.chicago) == Date(timeIntervalSince1970: 1_782_925_200))
        #expect(try MarketoDateTime.instant("2026-07-01 12:00:00", in: TimeZone(identifier: "UTC")!) == Date(timeIntervalSince1970: 1_782_907_200))
    }

    @Test func theRepeatedHourTakesTheEarlierInstantAndTheSkippedHourIsRefused() throws {
        // 2026-11-01: clocks go back at 02:00 CDT; 01:30 happens at 06:30Z (CDT) and 07:30Z (CST).
        #expect(try MarketoDateTime.instant("2026-11-01 01:30:00", in: Self.chicago) == Date(timeIntervalSince1970: 1_793_514_600))
        // 2026-03-08: clocks go forward at 02:00 CST; 02:30 never happens.
        #expect(throws: MarketoDateTime.Problem.skipped(zone: "America/Chicago")) {
            try MarketoDateTime.instant("2026-03-08 02:30:00", in: Self.chicago)
        }
        #expect(try MarketoDateTime.instant("2026-03-08 03:00:00", in: Self.chicago) == Date(timeIntervalSince1970: 1_772_956_800))
    }

    @Test(arguments: [
        "2026-02-30 10:00:00", "2026-11-24T15:53:21", "2026-11-24 24:00:00", "2026-11-24 15:53", "", "Nov 24, 2026", "0000-01-01 00:00:00",
    ])
    func notAWallClock(_ text: String) {
        #expect(throws: MarketoDateTime.Problem.notWallClock) { try MarketoDateTime.instant(text, in: Self.chicago) }
    }

    // MARK: the shipped templates

    @Test func personCreatedRendersIntoAnIntegrationLeadEvent() throws {
        let body = try Self.render("person-created.json")
        let event = try Self.adapter.read(Self.request(body))
        #expect(event.kind == .leadCreated)
        #expect(event.leadID == "marketo-1001")
        #expect(event.occurredAt == Date(timeIntervalSince1970: 1_795_557_201))
        #expect(event.eventID.hasPrefix("marketo:") && event.eventID.count == "marketo:".count + 32)
        guard case .lead(let lead) = event.body else {
            Issue.record("not a lead event")
            return
        }
        #expect(lead.integration == "marketo")
        #expect(lead.campaign == "2026 Spring Webinar Series")
        #expect(lead.fields["company_size"] == "201-1000" && lead.fields["email"] == "ana@acme.example")
        #expect(lead.fields["pricing_page_views"] == "0" && lead.fields["days_since_last_activity"] == "0")
        #expect(lead.fields.count == 29, "\(lead.fields.keys.sorted())")
    }

    @Test func theSameCallIsTheSameEventAndAnotherSecondIsAnother() throws {
        let once = try Self.adapter.read(Self.request(try Self.render("engagement.json")))
        let again = try Self.adapter.read(Self.request(try Self.render("engagement.json")))
        let later = try Self.adapter.read(Self.request(try Self.render("engagement.json", at: 1_795_557_202)))
        #expect(once.eventID == again.eventID)
        #expect(once.eventID != later.eventID)
        #expect(once.kind == .engagement && once.leadID == "marketo-1001")
        guard case .engagement(let engagement) = once.body else {
            Issue.record("not an engagement")
            return
        }
        #expect(engagement.eventType == "pricing_page_view")
    }

    @Test func blankTokensAreLeftOutAndTextIsKeptExactly() throws {
        let company = "Acme \"Rockets\" & Sons\n\\ Ünïcødé ✓"
        let body = try Self.render("person-updated.json", person: Self.person(region: "", company: company))
        let event = try Self.adapter.read(Self.request(body))
        guard case .lead(let lead) = event.body else {
            Issue.record("not a lead event")
            return
        }
        #expect(event.kind == .leadUpdated)
        #expect(lead.fields["region"] == nil)
        #expect(lead.fields["company"] == company)
    }

    @Test func theMarketoSectionOfTheMappingRecodes() throws {
        let mapping = try FieldMapping.parse(
            yaml: """
                marketo:
                  industry: {field: industry, values: {Software: software}, otherwise: other}
                  Employees:
                    field: company_size
                    ranges:
                      - {below: 201, value: "1-200"}
                      - {from: 201, value: "201+"}
                """, file: "mapping.yaml")
        let adapter = MarketoWebhook(secret: Self.secret, timeZone: Self.chicago, mapping: mapping)
        let body =
            #"{"type":"lead_updated","lead_id":7,"occurred_at":"2026-11-24T21:53:21Z","fields":{"industry":"Software","Employees":450,"region":"emea"}}"#
        let event = try adapter.read(Self.request(body))
        guard case .lead(let lead) = event.body else {
            Issue.record("not a lead event")
            return
        }
        #expect(lead.fields == ["industry": "software", "company_size": "201+", "region": "emea"])
        #expect(event.leadID == "marketo-7")
    }

    // MARK: refusals

    @Test func withoutTheSecretOrWithAnotherOne() throws {
        let body = try Self.render("engagement.json")
        #expect(throws: IntegrationRefusal.missingHeader(MarketoWebhook.secretHeader)) { try Self.adapter.read(Self.request(body, secret: nil)) }
        for wrong in ["3b9d0c5e8f41a7c2d6e0b1f4a9c8d7e7", "3b9d0c5e8f41a7c2d6e0b1f4a9c8d7e", Self.secret + "0", ""] {
            #expect(throws: IntegrationRefusal.wrongSecret(header: MarketoWebhook.secretHeader)) {
                try Self.adapter.read(Self.request(body, secret: wrong))
            }
        }
        #expect(IntegrationRefusal.wrongSecret(header: "h").status == 401)
        #expect(!IntegrationRefusal.wrongSecret(header: "h").description.contains(Self.secret))
    }

    /// Each malformed call is refused naming the member, before anything could be stored.
    @Test(arguments: [
        (#"{"type":"lead_created","lead_id":1001,"occurred_at":"2026-11-24 15:53:21","fields":{"email":"a@b.example",}}"#, "(body)"),
        (#"[{"type":"engagement"}]"#, "(body)"),
        (#"{"type":"disposition","lead_id":1001,"occurred_at":"2026-11-24 15:53:21"}"#, "type"),
        (#"{"lead_id":1001,"occurred_at":"2026-11-24 15:53:21"}"#, "type"),
        (#"{"type":"engagement","lead_id":-4,"occurred_at":"2026-11-24 15:53:21","event_type":"x"}"#, "lead_id"),
        (#"{"type":"engagement","lead_id":[1],"occurred_at":"2026-11-24 15:53:21","event_type":"x"}"#, "lead_id"),
        (#"{"type":"engagement","lead_id":1001,"occurred_at":"2026-03-08 02:30:00","event_type":"x"}"#, "occurred_at"),
        (#"{"type":"engagement","lead_id":1001,"occurred_at":"24/11/2026 15:53","event_type":"x"}"#, "occurred_at"),
        (#"{"type":"engagement","lead_id":1001,"occurred_at":"2026-11-24 15:53:21"}"#, "event_type"),
        (#"{"type":"lead_updated","lead_id":1001,"occurred_at":"2026-11-24 15:53:21","fields":{"a":{"b":1}}}"#, "fields.a"),
        (#"{"type":"lead_updated","lead_id":1001,"occurred_at":"2026-11-24 15:53:21","integration":"hubspot","fields":{}}"#, "integration"),
        (#"{"type":"engagement","event_id":{"x":1},"lead_id":1001,"occurred_at":"2026-11-24 15:53:21","event_type":"x"}"#, "event_id"),
    ])
    func malformedCallsNameTheMember(_ body: String, _ field: String) {
        do throws(IntegrationRefusal) {
            _ = try Self.adapter.read(Self.request(body))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.status == 400 && error.field == field, "\(body): \(error.field ?? "-") \(error.description)")
        }
    }
}
