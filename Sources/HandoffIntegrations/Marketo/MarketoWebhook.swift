import BatonSupport
import Crypto
import Foundation
import HandoffFlow
import ScoringModelFormat

/// A Marketo webhook call, verified and read into one Baton event.
///
/// Marketo webhooks have no payload of their own (Marketo Developer Guide, "Webhooks",
/// experienceleague.adobe.com/en/docs/marketo-developer/marketo/webhooks/webhooks): the sender
/// writes a *payload template* in any format, tokens (`{{lead.Email Address}}`,
/// `{{system.dateTime}}`) are filled per person, and with *Request Token Encoding* JSON "string-type
/// tokens are automatically enclosed in double quotes" and escaped, while number tokens
/// (`{{lead.Id}}`) are inserted bare. *Custom Headers* (Webhooks Actions → Set Custom Header) are
/// sent as written. Marketo signs nothing and does not retry a failed call.
///
/// So Baton ships the templates (`Notebooks-md/marketo/`): each posts Baton's own event shape
/// (`type`, `lead_id`, `occurred_at`, `fields` / `event_type`, …, as on `POST /events`) with a
/// shared secret in the ``secretHeader`` custom header. What this adapter adds to that shape is
/// what Marketo's tokens force on it:
/// - `lead_id` may be a JSON number (`{{lead.Id}}`): Baton's lead is `marketo-<Id>` (a numeric id
///   alone could collide with another system's lead ids); a text `lead_id` is kept as sent.
/// - `occurred_at` may be `{{system.dateTime}}` (`2026-11-24 15:53:21`, no zone): read in the
///   configured ``timeZone`` (``MarketoDateTime``); an RFC 3339 time with a zone is kept.
/// - `event_id` may be absent: the id is then `marketo:` + 32 hex digits of SHA-256 of the raw
///   body, so a call sent twice with the same content (a proxy's retry, a campaign run twice in
///   the same second) is one event. A template that has an id of its own sends it (`marketo:<id>`).
/// - A blank token renders as `""`: empty and null fields are left out (unknown, not a value).
/// - Lead events are *integration* lead events (``InboundEvent/LeadFields/integration``): Marketo
///   cannot know whether Baton holds the person, so `lead_created` and `lead_updated` both create
///   the lead when it is new and merge into it when it is stored, and a lead lacking some of the
///   model's fields is stored unscored until later calls complete it.
/// - Field names pass through the `marketo` section of the field mapping when it lists them
///   (with its recodes); names it does not list are Baton field names as sent.
///
/// Only `lead_created`, `lead_updated` and `engagement` come from marketing automation; anything
/// else (a disposition, an opportunity) is the CRM's and is refused (400).
package struct MarketoWebhook: Sendable {
    /// The custom header carrying the shared secret (set with Webhooks Actions → Set Custom Header).
    package static let secretHeader = "X-Baton-Marketo-Secret"
    /// The `integration` of Marketo's lead events.
    package static let integration = "marketo"
    /// The event types a Marketo webhook may send.
    package static let acceptedKinds: [InboundEvent.Kind] = [.leadCreated, .leadUpdated, .engagement]

    package var secret: String
    /// The Marketo subscription's time zone, in which `{{system.dateTime}}` is written.
    package var timeZone: TimeZone
    package var mapping: FieldMapping

    package init(secret: String, timeZone: TimeZone, mapping: FieldMapping = FieldMapping()) {
        self.secret = secret
        self.timeZone = timeZone
        self.mapping = mapping
    }

    /// The Baton lead id of a Marketo person id (`{{lead.Id}}`).
    package static func leadID(personID: Int64) -> String { "marketo-\(personID)" }

    /// Checks the shared secret and reads the call.
    ///
    /// - Throws: ``IntegrationRefusal``: `missingHeader` / `wrongSecret` (401) without the secret;
    ///   `malformed` (400) naming the member for a body that is not one Baton event of an accepted
    ///   type; `unmappable` (422) for a value the mapping cannot recode.
    package func read(_ request: IntegrationRequest) throws(IntegrationRefusal) -> InboundEvent {
        guard let sent = request.header(Self.secretHeader) else { throw .missingHeader(Self.secretHeader) }
        guard constantTimeEqual(Array(sent.trimmingCharacters(in: .whitespaces).utf8), Array(secret.utf8)) else {
            throw .wrongSecret(header: Self.secretHeader)
        }
        return try parse(request.body)
    }

    /// Reads a call whose secret is already checked.
    package func parse(_ body: Data) throws(IntegrationRefusal) -> InboundEvent {
        let bytes = [UInt8](body)
        let value: JSONValue
        do { value = try CanonicalJSON.parse(bytes) } catch {
            throw .malformed(
                field: "(body)",
                problem:
                    "is not JSON (\(error)); set the webhook's Request Token Encoding to JSON and leave string tokens unquoted (Marketo adds the quotes)"
            )
        }
        guard case .object(var members) = value else {
            throw .malformed(field: "(body)", problem: "must be one Baton event (a JSON object); see Notebooks-md/marketo/")
        }
        guard case .string(let typeText) = members["type"] ?? .null else {
            throw .malformed(field: "type", problem: "is required (text): one of \(Self.acceptedKinds.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind = InboundEvent.Kind(rawValue: typeText), Self.acceptedKinds.contains(kind) else {
            throw .malformed(
                field: "type",
                problem:
                    "`\(typeText.prefix(64))` is not an event Marketo sends to Baton; use one of \(Self.acceptedKinds.map(\.rawValue).joined(separator: ", ")) (outcomes come from the CRM)"
            )
        }
        if members["integration"] != nil {
            throw .malformed(field: "integration", problem: "is set by Baton for Marketo's lead events; leave it out")
        }
        switch members["lead_id"] {
        case .integer(let id)?:
            guard id > 0 else { throw .malformed(field: "lead_id", problem: "must be a positive Marketo person id ({{lead.Id}}) or a text id") }
            members["lead_id"] = .string(Self.leadID(personID: id))
        case .string?, nil:
            break  // text is kept; absent is named by the event's own decoding
        default:
            throw .malformed(field: "lead_id", problem: "must be {{lead.Id}} (a number) or a text id")
        }
        switch members["event_id"] {
        case nil, .null?:
            let digest = lowercaseHex(SHA256.hash(data: body))
            members["event_id"] = .string("marketo:" + digest.prefix(32))
        case .string(let id)?:
            members["event_id"] = .string("marketo:" + id)
        case .integer(let id)?:
            members["event_id"] = .string("marketo:\(id)")
        default:
            throw .malformed(field: "event_id", problem: "must be text or a number (or left out: the body's hash is the id)")
        }
        if case .string(let time)? = members["occurred_at"], RFC3339.secondsSince1970(time) == nil {
            do {
                let instant = try MarketoDateTime.instant(time.trimmingCharacters(in: .whitespaces), in: timeZone)
                members["occurred_at"] = .string(RFC3339.text(secondsSince1970: instant.timeIntervalSince1970))
            } catch .skipped(let zone) {
                throw .malformed(
                    field: "occurred_at",
                    problem: "`\(time.prefix(32))` is a time the clocks skip in \(zone); check marketo_time_zone against Marketo's Admin → Location")
            } catch {
                throw .malformed(
                    field: "occurred_at",
                    problem: "`\(time.prefix(32))` is neither {{system.dateTime}} (2026-11-24 15:53:21) nor an RFC 3339 time with a zone")
            }
        }
        if case .object(let fields)? = members["fields"] {
            members["fields"] = .object(try mapped(fields))
        }
        let event: InboundEvent
        do {
            event = try JSONDecoder().decode(InboundEvent.self, from: Data(CanonicalJSON.canonicalBytes(.object(members))))
        } catch let error as DecodingError {
            throw .malformed(field: error.fieldPath, problem: error.problem)
        } catch {
            throw .malformed(field: "(body)", problem: "could not be read: \(error)")
        }
        guard case .lead(var lead) = event.body else { return event }
        lead.integration = Self.integration
        return InboundEvent(eventID: event.eventID, kind: event.kind, occurredAt: event.occurredAt, leadID: event.leadID, body: .lead(lead))
    }

    /// The template's fields as Baton fields: blanks left out, scalars as text, names the
    /// `marketo` mapping section lists renamed and recoded.
    func mapped(_ fields: [String: JSONValue]) throws(IntegrationRefusal) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            let text: String
            switch value {
            case .null: continue
            case .string(let s):
                guard !s.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                text = s
            case .integer(let i): text = "\(i)"
            case .double(let d): text = "\(d)"
            case .bool(let b): text = b ? "true" : "false"
            case .array, .object:
                throw .malformed(field: "fields.\(name)", problem: "must be text, a number, true/false or null")
            }
            if let (field, recoded) = try mapping.map(section: "marketo", property: name, value: text, at: "fields.\(name)") {
                if !recoded.isEmpty { out[field] = .string(recoded) }
            } else {
                out[name] = .string(text)
            }
        }
        return out
    }
}
