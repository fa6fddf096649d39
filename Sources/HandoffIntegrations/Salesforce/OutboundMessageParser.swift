import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The parts of a Salesforce outbound message that Baton reads (the `notifications` element of
/// the Outbound Messaging WSDL, developer.salesforce.com "Understanding the Outbound Messaging WSDL").
struct OutboundEnvelope: Sendable, Equatable {
    struct Notification: Sendable, Equatable {
        var id: String
        /// The sObject's type, from `xsi:type` without its prefix (`Lead`, `Contact`, `Opportunity`).
        var type: String
        /// The selected fields by API name (`xsi:nil` ones left out).
        var fields: [String: String]
    }

    var organizationID = ""
    var actionID = ""
    var notifications: [Notification] = []
}

/// Reads the SOAP envelope with FoundationXML's `XMLParser`, namespaces on, refusing any DTD or
/// entity declaration (an outbound message never has one: they are how billion-laughs and
/// external-entity attacks come in) and anything but the documented structure.
final class OutboundMessageParser: NSObject, XMLParserDelegate {
    static let soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"
    static let outboundNamespace = "http://soap.sforce.com/2005/09/outbound"
    static let instanceNamespace = "http://www.w3.org/2001/XMLSchema-instance"
    /// The WSDL's `maxOccurs` for Notification.
    static let maximumNotifications = 100

    private var path: [String] = []
    private var text = ""
    private var envelope = OutboundEnvelope()
    private var current: OutboundEnvelope.Notification?
    private var fieldIsNil = false
    private var failure: (field: String, problem: String)?

    /// The envelope, or the first problem (a field path and what is wrong).
    static func parse(_ body: Data) -> Result<OutboundEnvelope, IntegrationRefusal> {
        // Checked on the raw bytes first, so no parser ever sees a declaration.
        let lowered = String(decoding: body.prefix(1 << 20), as: UTF8.self).lowercased()
        if lowered.contains("<!doctype") || lowered.contains("<!entity") {
            return .failure(.malformed(field: "(body)", problem: "holds a DTD or entity declaration, which an outbound message never has"))
        }
        let delegate = OutboundMessageParser()
        let parser = XMLParser(data: body)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let parsed = parser.parse()
        if let failure = delegate.failure { return .failure(.malformed(field: failure.field, problem: failure.problem)) }
        guard parsed else {
            return .failure(
                .malformed(
                    field: "(body)",
                    problem:
                        "is not well-formed XML (line \(parser.lineNumber), column \(parser.columnNumber)): \(parser.parserError.map { "\($0)" } ?? "parse error")"
                ))
        }
        guard !delegate.envelope.organizationID.isEmpty else {
            return .failure(.malformed(field: "notifications.OrganizationId", problem: "is required (a SOAP notifications envelope)"))
        }
        return .success(delegate.envelope)
    }

    private func fail(_ field: String, _ problem: String, _ parser: XMLParser) {
        if failure == nil { failure = (field, problem) }
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        let depth = path.count
        let namespace = namespaceURI ?? ""
        switch depth {
        case 0 where name == "Envelope" && namespace == Self.soapNamespace, 1 where name == "Body" && namespace == Self.soapNamespace:
            break
        case 0, 1:
            fail("(body)", "must be a SOAP 1.1 Envelope with a Body; found <\(qualifiedName ?? name)>", parser)
        case 2 where name == "notifications" && namespace == Self.outboundNamespace:
            break
        case 2:
            fail("Body", "must hold a notifications element of \(Self.outboundNamespace); found <\(qualifiedName ?? name)>", parser)
        case 3 where name == "Notification":
            if envelope.notifications.count == Self.maximumNotifications {
                fail("notifications.Notification", "occurs more than \(Self.maximumNotifications) times (the WSDL's maxOccurs)", parser)
            }
            current = OutboundEnvelope.Notification(id: "", type: "", fields: [:])
        case 4 where name == "sObject" && current != nil:
            let type = attributes.first { $0.key == "xsi:type" || $0.key == "type" || $0.key.hasSuffix(":type") }?.value ?? ""
            current?.type = String(type.split(separator: ":").last ?? "")
        default:
            break
        }
        fieldIsNil = attributes.contains { ($0.key == "xsi:nil" || $0.key.hasSuffix(":nil") || $0.key == "nil") && $0.value == "true" }
        path.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
        if text.utf8.count > 131_072 { fail(path.joined(separator: "."), "holds more than 128 KiB of text", parser) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let depth = path.count - 1
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch (depth, name) {
        case (3, "OrganizationId"): envelope.organizationID = value
        case (3, "ActionId"): envelope.actionID = value
        case (4, "Id") where path.count >= 4 && path[3] == "Notification": current?.id = value
        case (5, _) where path.count >= 5 && path[4] == "sObject":
            if !fieldIsNil { current?.fields[name] = value }
        case (3, "Notification"):
            guard let notification = current, !notification.id.isEmpty else {
                fail("notifications.Notification[\(envelope.notifications.count)].Id", "is required", parser)
                return
            }
            guard !notification.type.isEmpty else {
                fail(
                    "notifications.Notification[\(envelope.notifications.count)].sObject", "needs xsi:type (sf:Lead, sf:Contact, sf:Opportunity)",
                    parser)
                return
            }
            envelope.notifications.append(notification)
            current = nil
        default:
            break
        }
        path.removeLast()
        fieldIsNil = false
        text = ""
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail("(body)", "declares an entity, which an outbound message never does", parser)
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail("(body)", "declares an external entity, which an outbound message never does", parser)
    }
}
