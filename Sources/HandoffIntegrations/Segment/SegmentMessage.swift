import BatonSupport
import Crypto
import Foundation
import ScoringModelFormat

/// One message from Segment's Webhooks destination, verified and read: the Segment Spec's
/// `identify`, `track`, `group` and `alias` calls (segment.com/docs/connections/spec: "Common
/// Fields", "Identify", "Track", "Group", "Alias"); `page` and `screen` are read and change nothing.
///
/// **Authentication** (segment.com/docs/connections/destinations/catalog/webhooks, and the
/// Webhooks (Actions) page, "Getting started"): with a shared secret set on the destination,
/// Segment signs each request with an HMAC in the `X-Signature` header, "a hex-encoded SHA1 hash
/// generated using this shared secret and the request body". That is what ``read(_:secret:)``
/// checks, over the raw body, in constant time. Segment's batching (Webhooks (Actions)) signs only
/// the first event of a batch (Twilio support article "How Segment computes x-signature for
/// batched webhooks"), so an array body is refused: the rest could not be verified.
package struct SegmentMessage: Sendable, Equatable {
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        case identify, track, group, alias, page, screen
    }

    package var kind: Kind
    /// Segment's unique id of the message (the same on every retry): the idempotency key.
    package var messageID: String
    package var userID: String?
    package var anonymousID: String?
    /// `timestamp` (when the call happened, per the Spec's common fields).
    package var timestamp: Date
    /// `identify` / `group` traits, as text (scalars only; nested objects are not lead fields).
    package var traits: [String: String]
    /// `track`: the event name and its properties (scalars, as text).
    package var event: String?
    package var properties: [String: String]
    /// `group`: the account id.
    package var groupID: String?
    /// `alias`: the id the user had before.
    package var previousID: String?

    /// The longest `messageId` Baton takes (the stored event id adds the `segment:` prefix).
    package static let maximumMessageIDBytes = Identifier.maximumBytes - 8

    /// The Baton event id of this message.
    package var eventID: String { "segment:" + messageID }

    /// The lead id the Spec's identities give before any alias: `userId` when known, else
    /// `anonymousId`.
    package var leadID: String? { userID ?? anonymousID }

    /// The hex HMAC-SHA1 of `body` under `secret`, as Segment computes `X-Signature`.
    package static func signature(body: Data, secret: String) -> String {
        lowercaseHex(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
    }

    /// Verifies `X-Signature` and reads the message.
    ///
    /// - Throws: ``IntegrationRefusal``: `missingHeader`/`badSignature` (401) for a request not
    ///   signed with `secret`; `malformed` (400) naming the field for a body that is not one Spec message.
    package static func read(_ request: IntegrationRequest, secret: String) throws(IntegrationRefusal) -> SegmentMessage {
        guard let sent = request.header("X-Signature")?.trimmingCharacters(in: .whitespaces) else { throw .missingHeader("X-Signature") }
        guard constantTimeEqual(Array(sent.lowercased().utf8), Array(signature(body: request.body, secret: secret).utf8)) else {
            throw .badSignature(header: "X-Signature")
        }
        return try parse(request.body)
    }

    /// Reads a Spec message (the signature already checked).
    package static func parse(_ body: Data) throws(IntegrationRefusal) -> SegmentMessage {
        let value: JSONValue
        do { value = try CanonicalJSON.parse([UInt8](body)) } catch {
            throw .malformed(field: "(body)", problem: "is not JSON (\(error)); Segment sends one JSON message per request")
        }
        if case .array = value {
            throw .malformed(
                field: "(body)",
                problem:
                    "is a batch; turn batching off on the Webhooks destination (Segment signs only the first event of a batch, so the others could not be verified)"
            )
        }
        guard case .object(let members) = value else { throw .malformed(field: "(body)", problem: "must be a Segment message (a JSON object)") }
        let typeText = try text(members, "type")
        guard let kind = Kind(rawValue: typeText) else {
            throw .malformed(
                field: "type",
                problem: "`\(typeText.prefix(64))` is not a Segment call; Baton reads \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let messageID = try identifier(members, "messageId", required: true) ?? ""
        if messageID.utf8.count > maximumMessageIDBytes {
            throw .malformed(field: "messageId", problem: "is longer than \(maximumMessageIDBytes) bytes")
        }
        let timestampText = try text(members, "timestamp")
        guard let timestamp = RFC3339.secondsSince1970(timestampText, dateOnlyAllowed: false).map({ Date(timeIntervalSince1970: $0) }) else {
            throw .malformed(field: "timestamp", problem: "is not an ISO 8601 time with a zone, e.g. 2012-12-02T00:30:08.276Z")
        }
        var message = SegmentMessage(
            kind: kind, messageID: messageID, userID: try identifier(members, "userId", required: false),
            anonymousID: try identifier(members, "anonymousId", required: false), timestamp: timestamp, traits: [:], event: nil,
            properties: [:], groupID: nil, previousID: nil)
        switch kind {
        case .identify, .track, .page, .screen:
            guard message.leadID != nil else {
                throw .malformed(field: "userId", problem: "is required (or anonymousId): it names the lead")
            }
        case .group, .alias:
            break
        }
        switch kind {
        case .identify:
            message.traits = try scalars(members, "traits")
        case .track:
            message.event = try text(members, "event")
            message.properties = try scalars(members, "properties")
        case .group:
            guard message.leadID != nil else { throw .malformed(field: "userId", problem: "is required (or anonymousId): it names the lead") }
            message.groupID = try identifier(members, "groupId", required: true)
            message.traits = try scalars(members, "traits")
        case .alias:
            message.previousID = try identifier(members, "previousId", required: true)
            guard let user = message.userID else { throw .malformed(field: "userId", problem: "is required on an alias call (the new id)") }
            // The alias is kept under `segment-alias:<id>`, which must stay an id too.
            for (key, id) in [("previousId", message.previousID ?? ""), ("userId", user)] where id.utf8.count > Identifier.maximumBytes - 14 {
                throw .malformed(field: key, problem: "is longer than \(Identifier.maximumBytes - 14) bytes, the longest id an alias can link")
            }
        case .page, .screen:
            break
        }
        return message
    }

    static func text(_ members: [String: JSONValue], _ key: String) throws(IntegrationRefusal) -> String {
        guard let value = members[key], value != .null else { throw .malformed(field: key, problem: "is required") }
        guard case .string(let text) = value else { throw .malformed(field: key, problem: "must be a string") }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .malformed(field: key, problem: "is empty") }
        return trimmed
    }

    /// An id member: a string (or an integer, which some sources send for `userId`) that
    /// ``Identifier`` accepts.
    static func identifier(_ members: [String: JSONValue], _ key: String, required: Bool) throws(IntegrationRefusal) -> String? {
        let raw: String
        switch members[key] {
        case nil, .null?:
            if required { throw .malformed(field: key, problem: "is required") }
            return nil
        case .string(let text)?: raw = text.trimmingCharacters(in: .whitespaces)
        case .integer(let number)?: raw = String(number)
        default: throw .malformed(field: key, problem: "must be a string")
        }
        if raw.isEmpty {
            if required { throw .malformed(field: key, problem: "is empty") }
            return nil
        }
        if let problem = Identifier.problem(raw) { throw .malformed(field: key, problem: problem) }
        return raw
    }

    /// The scalar members of object `key` as text (numbers as written, booleans `true`/`false`,
    /// null as empty); nested objects and arrays are left out (they are not lead fields).
    static func scalars(_ members: [String: JSONValue], _ key: String) throws(IntegrationRefusal) -> [String: String] {
        guard let value = members[key], value != .null else { return [:] }
        guard case .object(let object) = value else { throw .malformed(field: key, problem: "must be an object") }
        var result: [String: String] = [:]
        for (name, member) in object {
            switch member {
            case .string(let text): result[name] = text
            case .integer(let number): result[name] = String(number)
            case .double(let number): result[name] = "\(number)"
            case .bool(let flag): result[name] = flag ? "true" : "false"
            case .null: result[name] = ""
            case .array, .object: continue
            }
        }
        return result
    }
}
