import BatonSupport
import Crypto
import Foundation
import HandoffFlow
import ScoringModelFormat

/// CloudEvents 1.0 into Baton events: the pure part of `POST /events` in binary, structured and
/// batched content mode (no I/O; the route applies what this returns).
///
/// Specifications followed (github.com/cloudevents/spec, v1.0.2):
/// - `cloudevents/spec.md`: the required attributes `id`, `source`, `specversion` (`1.0`), `type`;
///   the optional `datacontenttype`, `dataschema`, `subject`, `time` (RFC 3339); extension
///   attributes are allowed and ignored here.
/// - `cloudevents/formats/json-format.md`: the structured event is one JSON object; `data` holds a
///   JSON value when `datacontenttype` is JSON (or absent), `data_base64` the base64 of binary data;
///   never both. The JSON batch format (§4) is a JSON array of such objects and may be empty.
/// - `cloudevents/bindings/http-protocol-binding.md` §3: binary mode maps each attribute to a
///   `ce-<name>` header (names case-insensitive; values quoted-string-unescaped, then
///   percent-decoded once, invalid UTF-8 refused; §3.1.3.2), `Content-Type` is `datacontenttype`
///   and a `ce-datacontenttype` header must not be present; structured mode is
///   `Content-Type: application/cloudevents+json`, batched mode `application/cloudevents-batch+json`.
///
/// **Baton's use of the attributes.** `type` is one of ``typeNames`` (an `io.baton.` name per Baton
/// event type); `subject` is the lead id (or `data.lead_id` when there is no subject; both given
/// must agree); `time` is required (Baton orders a lead's events by it); `data` is a JSON object
/// holding the Baton event's type-specific members (`fields`, `event_type`, `rep_id`, `amount`, …,
/// as `InboundEvent` documents them); `event_id`, `type` and `occurred_at` come from the envelope
/// and must not be repeated in `data`. Idempotency is by `source` + `id` (two sources may reuse an
/// id): the stored event id is ``eventID(source:id:)``.
package enum CloudEventsInbound {
    /// How a `POST /events` request carries its event(s).
    package enum ContentMode: Equatable, Sendable {
        /// Baton's own event JSON (an object, or an array of them).
        case baton
        case binary
        case structured
        case batch
    }

    /// Why an event (or a whole request) is refused: `code` as the API answers it
    /// (`invalid_event`, `unsupported_media_type`), `field` the attribute, header or data member at fault.
    package struct Refusal: Error, Sendable, Equatable {
        package let code: String
        package let field: String
        package let message: String

        static func invalid(_ field: String, _ problem: String) -> Refusal {
            Refusal(code: "invalid_event", field: field, message: "field \(field) \(problem)")
        }

        static func mediaType(_ field: String, _ problem: String) -> Refusal {
            Refusal(code: "unsupported_media_type", field: field, message: "\(field) \(problem)")
        }
    }

    /// The CloudEvents `type` of each Baton event type.
    package static let typeNames: [(kind: InboundEvent.Kind, type: String)] = [
        (.leadCreated, "io.baton.lead.created"),
        (.leadUpdated, "io.baton.lead.updated"),
        (.engagement, "io.baton.lead.engaged"),
        (.contactAttempt, "io.baton.lead.contact_attempted"),
        (.disposition, "io.baton.lead.dispositioned"),
        (.assign, "io.baton.lead.assigned"),
        (.release, "io.baton.lead.released"),
        (.slaPause, "io.baton.lead.sla_paused"),
        (.slaResume, "io.baton.lead.sla_resumed"),
        (.merge, "io.baton.lead.merged"),
        (.unmerge, "io.baton.lead.unmerged"),
        (.opportunity, "io.baton.opportunity.updated"),
        (.won, "io.baton.opportunity.won"),
        (.lost, "io.baton.opportunity.lost"),
    ]

    package static func kind(ofType type: String) -> InboundEvent.Kind? {
        typeNames.first { $0.type == type }?.kind
    }

    /// The longest CloudEvents `id` Baton takes: the stored event id (``eventID(source:id:)``)
    /// adds 20 bytes and must stay within ``Identifier/maximumBytes``.
    package static let maximumIDBytes = Identifier.maximumBytes - 20
    /// The longest `source` (it is hashed, but it is still read whole and may appear in messages).
    package static let maximumSourceBytes = 4096

    /// The Baton event id of CloudEvent (`source`, `id`): `ce:` + the first 8 bytes of
    /// SHA-256(`source`) in hex + `:` + `id`. Distinct sources give distinct ids (2⁻⁶⁴ chance of a
    /// clash per pair), the same pair always the same one, so a redelivery is a duplicate.
    package static func eventID(source: String, id: String) -> String {
        "ce:" + lowercaseHex(SHA256.hash(data: Data(source.utf8)).prefix(8)) + ":" + id
    }

    // MARK: Content mode

    /// The content mode from `Content-Type` and the presence of `ce-specversion` (binding §3:
    /// a CloudEvents media type means structured or batched; otherwise `ce-` headers mean binary).
    ///
    /// - Throws: a `unsupported_media_type` refusal for a CloudEvents event format other than JSON.
    package static func mode(contentType: String?, hasSpecVersionHeader: Bool) throws(Refusal) -> ContentMode {
        let media = mediaType(contentType)
        if media.hasPrefix("application/cloudevents-batch") {
            guard media == "application/cloudevents-batch+json" else {
                throw .mediaType("Content-Type", "`\(media)` is an event format Baton does not read; send application/cloudevents-batch+json")
            }
            return .batch
        }
        if media.hasPrefix("application/cloudevents") {
            guard media == "application/cloudevents+json" else {
                throw .mediaType("Content-Type", "`\(media)` is an event format Baton does not read; send application/cloudevents+json")
            }
            return .structured
        }
        return hasSpecVersionHeader ? .binary : .baton
    }

    /// The media type of a `Content-Type` value, lower-cased, without parameters.
    static func mediaType(_ contentType: String?) -> String {
        guard let contentType else { return "" }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// JSON data: `application/json` or any `+json` structured syntax suffix (RFC 6839).
    static func isJSON(_ media: String) -> Bool {
        media == "application/json" || media == "text/json" || media.hasSuffix("+json")
    }

    // MARK: Binary mode

    /// One event in binary mode: attributes from the `ce-` headers, data from the body.
    /// - Parameter headers: every request header (name, raw value); only `ce-*` are read.
    package static func binary(headers: [(name: String, value: String)], contentType: String?, body: Data) -> Result<InboundEvent, Refusal> {
        var attributes: [String: String] = [:]
        for (name, raw) in headers {
            let lower = name.lowercased()
            guard lower.hasPrefix("ce-"), lower.count > 3 else { continue }
            let attribute = String(lower.dropFirst(3))
            guard attributes[attribute] == nil else {
                return .failure(.invalid(lower, "appears twice; send each CloudEvents attribute header once"))
            }
            guard let value = headerValue(raw) else {
                return .failure(
                    .invalid(lower, "is not a valid percent-encoded UTF-8 header value (CloudEvents HTTP binding §3.1.3.2)"))
            }
            attributes[attribute] = value
        }
        if attributes["datacontenttype"] != nil {
            return .failure(
                .invalid("ce-datacontenttype", "must not be sent in binary mode: the data's media type is the Content-Type header"))
        }
        let media = mediaType(contentType)
        if !media.isEmpty, !isJSON(media) {
            return .failure(
                .mediaType("Content-Type", "`\(media)` is not JSON; a Baton event's data is a JSON object (application/json)"))
        }
        let data: JSONValue
        if body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            data = .object([:])
        } else {
            do { data = try CanonicalJSON.parse([UInt8](body)) } catch {
                return .failure(.invalid("data", "(the request body) \(syntaxProblem(error, in: [UInt8](body)))"))
            }
        }
        return event(attributes: attributes.mapValues { JSONValue.string($0) }, data: data, naming: .headers)
    }

    /// Reverses a header value's encoding (binding §3.1.3.2): quoted-string escaping (RFC 7230
    /// §3.2.6) when the value is double-quoted, then one round of percent-decoding; nil when a
    /// `%` is not followed by two hex digits or the bytes are not UTF-8 (overlong forms included).
    package static func headerValue(_ raw: String) -> String? {
        var text = Substring(raw.trimmingSpacesAndTabs())
        if text.count >= 2, text.first == "\"", text.last == "\"" {
            var unquoted = ""
            var escaped = false
            for character in text.dropFirst().dropLast() {
                if escaped {
                    unquoted.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else {
                    unquoted.append(character)
                }
            }
            if escaped { return nil }
            text = Substring(unquoted)
        }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = hexDigit(utf8[index + 1]), let low = hexDigit(utf8[index + 2]) else { return nil }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: Structured and batched mode

    /// One event in structured mode (`application/cloudevents+json`).
    package static func structured(_ body: Data) -> Result<InboundEvent, Refusal> {
        let bytes = [UInt8](body)
        let value: JSONValue
        do { value = try CanonicalJSON.parse(bytes) } catch {
            return .failure(.invalid("(body)", syntaxProblem(error, in: bytes)))
        }
        return structured(value, prefix: "")
    }

    /// A batch (`application/cloudevents-batch+json`): one result per element, in order.
    ///
    /// - Throws: a refusal of the whole request when the body is not a JSON array.
    package static func batch(_ body: Data) throws(Refusal) -> [Result<InboundEvent, Refusal>] {
        let bytes = [UInt8](body)
        let value: JSONValue
        do { value = try CanonicalJSON.parse(bytes) } catch { throw .invalid("(body)", syntaxProblem(error, in: bytes)) }
        guard case .array(let items) = value else {
            throw .invalid("(body)", "must be a JSON array of CloudEvents (JSON batch format) for application/cloudevents-batch+json")
        }
        return items.enumerated().map { index, item in structured(item, prefix: "[\(index)].") }
    }

    static func structured(_ value: JSONValue, prefix: String) -> Result<InboundEvent, Refusal> {
        guard case .object(var members) = value else {
            return .failure(.invalid(prefix.isEmpty ? "(body)" : String(prefix.dropLast()), "must be a CloudEvent (a JSON object)"))
        }
        let data = members.removeValue(forKey: "data")
        let base64 = members.removeValue(forKey: "data_base64")
        var content: JSONValue = .object([:])
        switch (data, base64) {
        case (let data?, let base64?) where data != .null && base64 != .null:
            return .failure(.invalid(prefix + "data_base64", "must not be sent together with data (CloudEvents JSON format §3.1)"))
        case (let data?, _) where data != .null:
            content = data
        case (_, .string(let text)?):
            guard let decoded = Data(base64Encoded: text) else {
                return .failure(.invalid(prefix + "data_base64", "is not base64 (RFC 4648)"))
            }
            do { content = try CanonicalJSON.parse([UInt8](decoded)) } catch {
                return .failure(.invalid(prefix + "data_base64", "does not decode to JSON: \(syntaxProblem(error, in: [UInt8](decoded)))"))
            }
        case (_, let other?) where other != .null:
            return .failure(.invalid(prefix + "data_base64", "must be a base64 string"))
        default:
            break
        }
        if let type = members["datacontenttype"] {
            guard case .string(let text) = type else { return .failure(.invalid(prefix + "datacontenttype", "must be a string")) }
            let media = mediaType(text)
            guard isJSON(media) else {
                return .failure(
                    .mediaType(prefix + "datacontenttype", "`\(media)` is not JSON; a Baton event's data is a JSON object (application/json)"))
            }
        }
        return event(attributes: members, data: content, naming: .members(prefix: prefix))
    }

    // MARK: The event

    /// How a field is named in answers: the header (`ce-time`) or the member (`[2].time`).
    enum Naming {
        case headers
        case members(prefix: String)

        func attribute(_ name: String) -> String {
            switch self {
            case .headers: "ce-\(name)"
            case .members(let prefix): prefix + name
            }
        }

        /// Where a member of the Baton event came from: the envelope's `id`, `type`, `time` or
        /// `subject` (the lead id; or `data.lead_id` when there was no subject, named subject all the same), else `data`.
        func eventMember(_ member: String) -> String {
            switch member {
            case "event_id": attribute("id")
            case "type": attribute("type")
            case "occurred_at": attribute("time")
            case "lead_id": attribute("subject")
            case "(event)": member
            default: data(member)
            }
        }

        func data(_ path: String) -> String {
            switch self {
            case .headers: path.isEmpty ? "data" : "data.\(path)"
            case .members(let prefix): path.isEmpty ? "\(prefix)data" : "\(prefix)data.\(path)"
            }
        }
    }

    /// The attributes Baton reads and the CloudEvents type each must have (all strings here).
    static let stringAttributes = ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema"]
    /// Members of `data` the envelope sets.
    static let envelopeMembers = ["event_id": "id", "type": "type", "occurred_at": "time"]

    static func event(attributes: [String: JSONValue], data: JSONValue, naming: Naming) -> Result<InboundEvent, Refusal> {
        var text: [String: String] = [:]
        for name in stringAttributes {
            switch attributes[name] {
            case nil, .null?: continue
            case .string(let value)?: text[name] = value
            default: return .failure(.invalid(naming.attribute(name), "must be a string"))
            }
        }
        for name in ["specversion", "id", "source", "type"] where (text[name] ?? "").isEmpty {
            return .failure(.invalid(naming.attribute(name), "is required (a non-empty string; CloudEvents 1.0 REQUIRED attribute)"))
        }
        guard text["specversion"] == "1.0" else {
            return .failure(.invalid(naming.attribute("specversion"), "must be \"1.0\": Baton reads CloudEvents 1.0"))
        }
        let id = (text["id"] ?? "").trimmingCharacters(in: .whitespaces)
        if id.isEmpty { return .failure(.invalid(naming.attribute("id"), "is blank; send a non-empty id")) }
        if let problem = Identifier.problem(id) { return .failure(.invalid(naming.attribute("id"), problem)) }
        if id.utf8.count > maximumIDBytes {
            return .failure(
                .invalid(naming.attribute("id"), "is \(id.utf8.count) bytes long; Baton takes CloudEvents ids of at most \(maximumIDBytes) bytes"))
        }
        let source = text["source"] ?? ""
        if source.utf8.count > maximumSourceBytes {
            return .failure(.invalid(naming.attribute("source"), "is longer than \(maximumSourceBytes) bytes"))
        }
        // A URI-reference (RFC 3986) is printable ASCII without spaces; IRIs are percent-encoded.
        if source.unicodeScalars.contains(where: { !(0x21...0x7E).contains($0.value) }) {
            return .failure(
                .invalid(naming.attribute("source"), "must be a URI-reference: printable ASCII without spaces (percent-encode the rest)"))
        }
        let typeText = text["type"] ?? ""
        guard let kind = kind(ofType: typeText) else {
            let near = NearestName.closest(to: typeText, among: typeNames.map(\.type)).map { " (did you mean \($0)?)" } ?? ""
            return .failure(
                Refusal(
                    code: "unknown_type", field: naming.attribute("type"),
                    message:
                        "field \(naming.attribute("type")) `\(typeText)` is not a Baton event type\(near); use one of \(typeNames.map(\.type).joined(separator: ", "))"
                ))
        }
        guard let time = text["time"] else {
            return .failure(.invalid(naming.attribute("time"), "is required by Baton (an RFC 3339 time such as 2026-03-02T14:05:00Z)"))
        }
        guard case .object(var members) = data else {
            return .failure(.invalid(naming.data(""), "must be a JSON object holding the Baton event's members (fields, event_type, rep_id, …)"))
        }
        for (member, attribute) in envelopeMembers.sorted(by: { $0.key < $1.key }) where members[member] != nil {
            return .failure(
                .invalid(naming.data(member), "is set by the CloudEvents attribute `\(attribute)`; leave it out of data"))
        }
        if members["integration"] != nil {
            return .failure(.invalid(naming.data("integration"), "is set only by Baton's integration routes (/integrations/…); leave it out"))
        }
        let leadField: String
        if let subject = text["subject"] {
            if let dataLead = members["lead_id"], dataLead != .string(subject) {
                return .failure(.invalid(naming.data("lead_id"), "differs from the subject; the subject is the lead id (send one or the same)"))
            }
            members["lead_id"] = .string(subject)
            leadField = naming.attribute("subject")
        } else {
            guard members["lead_id"] != nil else {
                return .failure(.invalid(naming.attribute("subject"), "is required: it carries the lead id (or put lead_id in data)"))
            }
            leadField = naming.data("lead_id")
        }
        members["event_id"] = .string(eventID(source: source, id: id))
        members["type"] = .string(kind.rawValue)
        members["occurred_at"] = .string(time)
        do {
            let json = try JSONEncoder().encode(JSONValue.object(members))
            return .success(try JSONDecoder().decode(InboundEvent.self, from: json))
        } catch let error as DecodingError {
            let path = error.fieldPath
            let field: String =
                switch path {
                case "event_id": naming.attribute("id")
                case "type": naming.attribute("type")
                case "occurred_at": naming.attribute("time")
                case "lead_id": leadField
                default: naming.data(path)
                }
            return .failure(.invalid(field, error.problem))
        } catch {
            return .failure(.invalid(naming.data(""), "could not be read: \(error)"))
        }
    }

    static func syntaxProblem(_ error: any Error, in bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return "is empty; send a CloudEvent" }
        if case CanonicalJSONError.syntax(let offset, let detail) = error {
            let before = bytes.prefix(offset)
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return "is not valid JSON at line \(line), column \(column) (byte \(offset)): \(detail)"
        }
        return "is not valid JSON: \(error)"
    }
}
