import BatonSupport
import Foundation
import HandoffFlow

/// `POST /integrations/salesforce`: Salesforce Outbound Messages (a SOAP `notifications`
/// envelope of up to 100 `Notification`s, each an `Id` and an `sObject` with the fields chosen
/// when the message was set up), checked against the configured organisation and turned into
/// Baton events.
///
/// - `sf:Lead`, `sf:Contact`: a `lead_updated` from the `salesforce` integration for lead
///   `salesforce-<18-character record id>`, with the fields of ``FieldMapping`` section
///   `salesforce_lead` / `salesforce_contact` (creates the lead when new; incomplete until the
///   model's fields are known).
/// - `sf:Opportunity` (select `ContactId`, `StageName`, `Amount`, `CloseDate`, `IsClosed`,
///   `IsWon`, and `CurrencyIsoCode` in a multi-currency org): an `opportunity` event (stage,
///   amount) for lead `salesforce-<ContactId>`, followed, when `IsClosed` is true, by `won` or `lost`.
/// - other types: skipped with the reason.
///
/// Event ids are `salesforce-<notification Id>` (and `…-stage` for an opportunity's stage), so
/// Salesforce's retries (for up to 24 hours, possibly out of order) are duplicates. The event
/// time is the record's `LastModifiedDate` when selected, else the arrival.
package struct SalesforceOutboundMessage: Sendable {
    /// The organisation whose messages are accepted (15 or 18 characters).
    package var organizationID: String
    package var mapping: FieldMapping
    /// The currency of amounts without `CurrencyIsoCode` (a single-currency org's currency); nil
    /// refuses such an opportunity (422) rather than guessing.
    package var currency: String?

    package init(organizationID: String, mapping: FieldMapping, currency: String? = nil) {
        self.organizationID = organizationID
        self.mapping = mapping
        self.currency = currency
    }

    package static let integration = "salesforce"

    /// The answer Salesforce waits for: `notificationsResponse` with `Ack` true (the WSDL's
    /// acknowledgement for every notification of the message).
    package static let acknowledgement = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>\
        <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>\
        </soapenv:Body></soapenv:Envelope>
        """

    /// A SOAP 1.1 fault: `soapenv:Client` for a message Baton refuses, `soapenv:Server` for a
    /// failure on Baton's side (retry); the fault string holds the code and what to do.
    package static func fault(code: String, message: String, client: Bool) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>\
        <faultcode>soapenv:\(client ? "Client" : "Server")</faultcode><faultstring>\(xmlEscaped("\(code): \(message)"))</faultstring>\
        </soapenv:Fault></soapenv:Body></soapenv:Envelope>
        """
    }

    /// Reads a message.
    /// - Throws: ``IntegrationRefusal``: 400 not the documented envelope (or a DTD), 403 another
    ///   organisation, 415 not XML, 422 a value that cannot become a Baton field.
    package func read(_ request: IntegrationRequest) throws(IntegrationRefusal) -> IntegrationDelivery {
        if let type = request.header("Content-Type")?.lowercased(), !type.hasPrefix("text/xml"), !type.hasPrefix("application/soap+xml"),
            !type.hasPrefix("application/xml")
        {
            throw .unsupportedMediaType(received: type, expected: "text/xml")
        }
        let envelope: OutboundEnvelope
        switch OutboundMessageParser.parse(request.body) {
        case .success(let parsed): envelope = parsed
        case .failure(let refusal): throw refusal
        }
        guard let expected = SalesforceID.canonical(organizationID) else {
            throw .notConfigured(integration: "Salesforce", setting: "salesforce_organization_id (a 15- or 18-character id)")
        }
        guard let received = SalesforceID.canonical(envelope.organizationID), received == expected else {
            throw .foreignAccount(
                field: "notifications.OrganizationId", received: String(envelope.organizationID.prefix(64)), expected: organizationID)
        }
        var delivery = IntegrationDelivery()
        for (index, notification) in envelope.notifications.enumerated() {
            delivery.events += try events(notification, at: "notifications.Notification[\(index)]", arrived: request.receivedAt, delivery: &delivery)
        }
        return delivery
    }

    func events(
        _ notification: OutboundEnvelope.Notification, at path: String, arrived: Date, delivery: inout IntegrationDelivery
    ) throws(IntegrationRefusal) -> [InboundEvent] {
        guard let notificationID = SalesforceID.canonical(notification.id) else {
            throw .malformed(field: "\(path).Id", problem: "is not a Salesforce id (15 or 18 letters and digits)")
        }
        let id = "salesforce-\(notificationID)"
        func record(_ field: String) throws(IntegrationRefusal) -> String {
            guard let raw = notification.fields[field], let canonical = SalesforceID.canonical(raw) else {
                throw .unmappable(
                    field: "\(path).sObject.\(field)", problem: "is required and must be a Salesforce id; select it in the outbound message")
            }
            return canonical
        }
        var occurred = arrived
        if let modified = notification.fields["LastModifiedDate"] {
            guard let date = EventTime.parse(modified) else {
                throw .malformed(field: "\(path).sObject.LastModifiedDate", problem: "is not an xsd:dateTime with a zone")
            }
            occurred = date
        }
        switch notification.type {
        case "Lead", "Contact":
            let section = notification.type == "Lead" ? "salesforce_lead" : "salesforce_contact"
            var properties = notification.fields
            properties["Id"] = nil
            let fields = try mapping.fields(section: section, properties: properties, path: "\(path).sObject")
            return [
                InboundEvent(
                    eventID: id, kind: .leadUpdated, occurredAt: occurred, leadID: "salesforce-\(try record("Id"))",
                    body: .lead(.init(fields: fields, integration: Self.integration)))
            ]
        case "Opportunity":
            let lead = "salesforce-\(try record("ContactId"))"
            let opportunity = try record("Id")
            guard let stage = notification.fields["StageName"], !stage.isEmpty, Identifier.problem(stage) == nil else {
                throw .unmappable(field: "\(path).sObject.StageName", problem: "is required; select it in the outbound message")
            }
            let amountText = notification.fields["Amount"] ?? ""
            guard amountText.range(of: #"^[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil,
                let amount = Decimal(string: amountText, locale: Locale(identifier: "en_US_POSIX"))
            else {
                throw .unmappable(
                    field: "\(path).sObject.Amount", problem: "is \"\(amountText.prefix(32))\", not an amount ≥ 0; select Amount and fill it in")
            }
            guard let currency = notification.fields["CurrencyIsoCode"] ?? self.currency else {
                throw .unmappable(
                    field: "\(path).sObject.CurrencyIsoCode",
                    problem: "is not in the message and no salesforce_currency is configured; select it, or set the org's currency")
            }
            let isClosed = notification.fields["IsClosed"] == "true"
            let closeDate = notification.fields["CloseDate"].flatMap { EventTime.parse($0, dateOnlyAllowed: true) }
            // A closed opportunity Baton sees for the first time must open no later than it
            // closes (the closed loop refuses the reverse): its stage is placed at the close date
            // when that is earlier than the message.
            let stageTime = isClosed ? min(occurred, closeDate ?? occurred) : occurred
            var events = [
                InboundEvent(
                    eventID: "\(id)-stage", kind: .opportunity, occurredAt: stageTime, leadID: lead,
                    body: .opportunity(.init(opportunityID: "salesforce-\(opportunity)", amount: amount, currency: currency, stage: stage)))
            ]
            if isClosed {
                guard let close = closeDate else {
                    throw .unmappable(field: "\(path).sObject.CloseDate", problem: "is required on a closed opportunity (an xsd:date)")
                }
                events.append(
                    InboundEvent(
                        eventID: id, kind: notification.fields["IsWon"] == "true" ? .won : .lost, occurredAt: occurred, leadID: lead,
                        body: .outcome(.init(opportunityID: "salesforce-\(opportunity)", amount: amount, closeDate: close, reason: stage))))
            }
            return events
        default:
            delivery.skipped.append(
                .init(vendorID: notificationID, reason: "sObject type \(notification.type.prefix(64)) is not a Lead, Contact or Opportunity"))
            return []
        }
    }
}
