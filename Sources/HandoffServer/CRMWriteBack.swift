import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import ScoringModelFormat
import Yams

/// Writes Baton's view of a lead back into the CRM record it came from, in the CRM's own REST
/// API, from the outbox (one `crm-writeback` row per change, written with the change).
///
/// - HubSpot CRM v3 ("Update a contact", developers.hubspot.com/docs/api-reference/crm/objects/contacts/update-contact):
///   `PATCH {base_url}/crm/v3/objects/{object}/{id}` with `{"properties": {"name": "value"}}`;
///   values are strings, an empty string clears a property; 200 on success.
/// - Salesforce REST ("Update a Record", developer.salesforce.com/docs/platform/api-rest/guide/dome-update-fields):
///   `PATCH {base_url}/services/data/{api_version}/sobjects/{object}/{id}` with `{"Field": value}`;
///   numbers as JSON numbers, null clears a field; 204 No Content on success.
///
/// Both with `Authorization: Bearer <token>` (from `token_file`, mode 0600, or `BATON_CRM_TOKEN`;
/// never logged or shown). What is written is the lead's state *at delivery* (latest score and
/// qualification, current owner, open SLA clock), so a late or replayed row never writes an older
/// state over a newer one. A 4xx other than 408/425/429 goes to dead letter at once with the
/// CRM's error text; 429 and 5xx are retried (``OutboxRetryPolicy``).
///
/// The file (YAML), named by `crm_writeback` in the service configuration:
/// ```yaml
/// vendor: hubspot                  # or salesforce
/// base_url: https://api.hubapi.com # Salesforce: https://MyDomainName.my.salesforce.com
/// token_file: /etc/baton/crm-token # or the BATON_CRM_TOKEN environment variable
/// object: contacts                 # default: contacts (HubSpot), Lead (Salesforce)
/// api_version: v60.0               # Salesforce only (default v60.0)
/// record_id: lead_id               # or field:hs_object_id — the lead field holding the CRM id
/// strip_prefix: "hubspot:"         # optional: removed from the lead id / field value
/// handoff_link_base: https://baton.example.com   # for handoff_url
/// properties:                      # CRM property name: Baton value
///   baton_score: score
///   baton_points: points
///   baton_stage: stage
///   baton_owner: owner
///   baton_sla_due: sla_due
///   baton_handoff_url: handoff_url
/// ```
package struct CRMWriteBack: Sendable {
    package enum Vendor: String, Sendable, CaseIterable {
        case hubspot, salesforce
    }

    /// What Baton writes into a CRM property.
    package enum Value: String, Sendable, CaseIterable {
        /// The latest score's probability of winning (0–1, four decimals).
        case score
        /// The latest score in points (whole number).
        case points
        /// The latest qualification stage (`mql`, `sql`, …).
        case stage
        /// The latest qualification priority (`high`, `standard`).
        case priority
        /// Who holds the lead now: a rep id or a fallback queue name; empty when nobody does.
        case owner
        /// The open SLA clock's deadline (ISO 8601, UTC); empty when no clock runs.
        case slaDue = "sla_due"
        /// The latest SLA clock's state (`running`, `breached`, `met`, `cancelled`).
        case slaState = "sla_state"
        /// The lead's page in Baton (`handoff_link_base` + `/leads/{id}`).
        case handoffURL = "handoff_url"
        /// Baton's lead id.
        case leadID = "lead_id"
    }

    /// Where the CRM's record id comes from.
    package enum RecordID: Sendable, Hashable {
        case leadID
        case field(String)
    }

    package let vendor: Vendor
    package let baseURL: String
    package let object: String
    package let apiVersion: String
    package let recordID: RecordID
    package let stripPrefix: String?
    package let handoffLinkBase: String?
    /// CRM property name and value, in the file's order.
    package let properties: [(name: String, value: Value)]
    let token: String

    /// Reads and checks the file; every problem names the file, the key and the fix.
    package static func load(file: String, environment: [String: String]) throws(ServiceError) -> CRMWriteBack {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw .configuration(file: file, key: "crm_writeback", problem: "cannot be read (\(error.localizedDescription))")
        }
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw .configuration(file: file, key: nil, problem: "is not valid YAML (\(error))") }
        guard let map = root as? [String: Any] else {
            throw .configuration(file: file, key: nil, problem: "must be a mapping with vendor, base_url and properties")
        }
        let known = ["vendor", "base_url", "token_file", "object", "api_version", "record_id", "strip_prefix", "handoff_link_base", "properties"]
        for key in map.keys.sorted() where !known.contains(key) {
            let near = NearestName.closest(to: key, among: known).map { " (did you mean `\($0)`?)" } ?? ""
            throw .configuration(
                file: file, key: key, problem: "is not a setting of the CRM write-back\(near); known: \(known.joined(separator: ", "))")
        }
        func string(_ key: String) throws(ServiceError) -> String? {
            guard let value = map[key] else { return nil }
            guard let text = value as? String ?? (value as? CustomStringConvertible).map(\.description), !text.isEmpty, text.count <= 2048 else {
                throw .configuration(file: file, key: key, problem: "must be a non-empty text of at most 2048 characters")
            }
            return text
        }
        guard let vendorName = try string("vendor"), let vendor = Vendor(rawValue: vendorName.lowercased()) else {
            throw .configuration(file: file, key: "vendor", problem: "must be one of \(Vendor.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let base = try string("base_url"), let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false, url.query == nil
        else {
            throw .configuration(
                file: file, key: "base_url",
                problem: "must be an http(s) URL without query, e.g. https://api.hubapi.com or https://MyDomainName.my.salesforce.com")
        }
        let object = try string("object") ?? (vendor == .hubspot ? "contacts" : "Lead")
        let apiVersion = try string("api_version") ?? "v60.0"
        guard Self.isAPIName(object) else {
            throw .configuration(file: file, key: "object", problem: "`\(object)` is not an object API name (letters, digits, underscores)")
        }
        guard apiVersion.range(of: #"^v[0-9]{1,3}\.[0-9]$"#, options: .regularExpression) != nil else {
            throw .configuration(file: file, key: "api_version", problem: "`\(apiVersion)` is not a Salesforce API version such as v60.0")
        }
        var recordID = RecordID.leadID
        if let spec = try string("record_id"), spec != "lead_id" {
            guard spec.hasPrefix("field:"), Self.isAPIName(String(spec.dropFirst(6))) else {
                throw .configuration(file: file, key: "record_id", problem: "must be `lead_id` or `field:<lead field name>`, got `\(spec)`")
            }
            recordID = .field(String(spec.dropFirst(6)))
        }
        let linkBase = try string("handoff_link_base")
        if let linkBase, URL(string: linkBase)?.host == nil {
            throw .configuration(file: file, key: "handoff_link_base", problem: "must be an absolute URL such as https://baton.example.com")
        }
        guard let rawProperties = map["properties"] as? [String: Any], !rawProperties.isEmpty else {
            throw .configuration(file: file, key: "properties", problem: "must map at least one CRM property name to a Baton value")
        }
        var properties: [(name: String, value: Value)] = []
        let values = Value.allCases.map(\.rawValue)
        for name in rawProperties.keys.sorted() {
            guard Self.isAPIName(name) else {
                throw .configuration(file: file, key: "properties.\(name)", problem: "is not a CRM property API name (letters, digits, underscores)")
            }
            guard let raw = rawProperties[name] as? String, let value = Value(rawValue: raw) else {
                let given = "\(rawProperties[name] ?? "")"
                let near = NearestName.closest(to: given, among: values).map { " (did you mean `\($0)`?)" } ?? ""
                throw .configuration(
                    file: file, key: "properties.\(name)",
                    problem: "`\(given)` is not a Baton value\(near); use one of \(values.joined(separator: ", "))")
            }
            if value == .handoffURL && linkBase == nil {
                throw .configuration(file: file, key: "handoff_link_base", problem: "is required to write handoff_url (properties.\(name))")
            }
            properties.append((name, value))
        }
        let token: String
        if let tokenFile = try string("token_file") {
            token = try SecretFilePermissions.readPrivate(tokenFile, key: "token_file").trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let fromEnvironment = environment["BATON_CRM_TOKEN"] {
            token = fromEnvironment.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            throw .configuration(file: file, key: "token_file", problem: "is required (or set BATON_CRM_TOKEN): the CRM's bearer token")
        }
        guard !token.isEmpty, token.count <= 4096, token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .configuration(file: file, key: "token_file", problem: "the token must be one line of printable ASCII without spaces")
        }
        return CRMWriteBack(
            vendor: vendor, baseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, object: object, apiVersion: apiVersion,
            recordID: recordID, stripPrefix: try string("strip_prefix"),
            handoffLinkBase: linkBase.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 },
            properties: properties, token: token)
    }

    static func isAPIName(_ name: String) -> Bool {
        name.count <= 100 && name.range(of: "^[A-Za-z][A-Za-z0-9_]*$", options: .regularExpression) != nil
    }

    /// The CRM's id of the lead's record (path-safe), from the lead id or one of its fields.
    func recordID(of timeline: LeadTimeline) throws -> String {
        var id: String
        switch recordID {
        case .leadID:
            id = timeline.lead.id
        case .field(let name):
            guard let value = timeline.lead.fieldValues[name], !value.isEmpty else {
                throw DeliveryError.noRecordID(leadID: timeline.lead.id, problem: "its field `\(name)` is empty; send it with the lead")
            }
            id = value
        }
        if let stripPrefix, id.hasPrefix(stripPrefix) { id.removeFirst(stripPrefix.count) }
        guard !id.isEmpty, id.count <= 255,
            id.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) })
        else {
            throw DeliveryError.noRecordID(leadID: timeline.lead.id, problem: "`\(id)` is not a CRM record id (letters, digits, - _ .)")
        }
        return id
    }

    /// The value Baton writes for `value`, as text, or nil to clear the property.
    func text(of value: Value, _ state: LeadCRMState) -> String? {
        switch value {
        case .score: return state.probability.map { String(format: "%.4f", $0) }
        case .points: return state.points.map(\.wholeText)
        case .stage: return state.stage?.rawValue
        case .priority: return state.priority?.rawValue
        case .owner: return state.ownerID
        case .slaDue: return state.slaDue.map(EventTime.format)
        case .slaState: return state.slaState?.rawValue
        case .handoffURL: return handoffLinkBase.map { "\($0)/leads/\(Self.pathSegment(state.leadID))" }
        case .leadID: return state.leadID
        }
    }

    /// `text` percent-encoded for one path segment (RFC 3986: `/` encoded too).
    package static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? ""
    }

    /// The PATCH for the lead's record, in the vendor's shape.
    func request(for timeline: LeadTimeline) throws -> OutboundRequest {
        let id = try recordID(of: timeline)
        let state = LeadCRMState(timeline)
        let body: Data
        let path: String
        switch vendor {
        case .hubspot:
            var values: [String: String] = [:]
            for property in properties { values[property.name] = text(of: property.value, state) ?? "" }
            body = try JSONEncoder.sorted.encode(["properties": values])
            path = "/crm/v3/objects/\(object)/\(id)"
        case .salesforce:
            var values: [String: JSONValue] = [:]
            for property in properties {
                let text = text(of: property.value, state)
                switch (property.value, text) {
                case (_, nil): values[property.name] = .null
                case (.score, let t?), (.points, let t?): values[property.name] = Double(t).map(JSONValue.double) ?? .null
                case (_, let t?): values[property.name] = .string(t)
                }
            }
            body = try JSONEncoder.sorted.encode(values)
            path = "/services/data/\(apiVersion)/sobjects/\(object)/\(id)"
        }
        return OutboundRequest(
            method: "PATCH", url: baseURL + path,
            headers: [("Content-Type", "application/json"), ("Accept", "application/json"), ("Authorization", "Bearer \(token)")], body: body)
    }
}
