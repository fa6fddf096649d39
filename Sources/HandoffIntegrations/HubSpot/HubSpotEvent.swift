import Foundation

/// One element of the JSON array HubSpot POSTs to a webhook target, with the keys of HubSpot's
/// webhooks API reference (developers.hubspot.com/docs/api/webhooks, "Webhook payloads"):
/// classic `contact.*` subscriptions and the generic `object.*` form with `objectTypeId`.
///
/// ```json
/// [{"eventId": 3816279340, "subscriptionId": 25, "portalId": 33, "appId": 1160452,
///   "occurredAt": 1462216307945, "subscriptionType": "contact.propertyChange", "attemptNumber": 0,
///   "objectId": 1246965, "propertyName": "lifecyclestage", "propertyValue": "subscriber",
///   "changeSource": "ACADEMY"}]
/// ```
/// Merges add `primaryObjectId`, `mergedObjectIds` and, when the merge made a new record,
/// `newObjectId`. HubSpot sends ids and times as JSON numbers and property values as text.
struct HubSpotEvent: Decodable, Sendable {
    let eventId: Int64
    let subscriptionId: Int64
    let portalId: Int64
    let appId: Int64?
    /// Milliseconds since the epoch.
    let occurredAt: Int64
    let subscriptionType: String
    let attemptNumber: Int64?
    let objectId: Int64?
    /// The generic form's object type (`0-1` contacts, `0-2` companies, `0-3` deals, …).
    let objectTypeId: String?
    let propertyName: String?
    let propertyValue: String?
    let changeSource: String?
    let primaryObjectId: Int64?
    let mergedObjectIds: [Int64]?
    let newObjectId: Int64?

    enum CodingKeys: String, CodingKey {
        case eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType, attemptNumber, objectId, objectTypeId
        case propertyName, propertyValue, changeSource, primaryObjectId, mergedObjectIds, newObjectId
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // A fraction or a number beyond Int64 is named by its key (the decoder's own error may not say which).
        func whole(_ key: CodingKeys) throws -> Int64? {
            guard c.contains(key), (try? c.decodeNil(forKey: key)) != true else { return nil }
            guard let value = try? c.decode(Int64.self, forKey: key) else {
                throw DecodingError.typeMismatch(Int64.self, .init(codingPath: c.codingPath + [key], debugDescription: "must be a whole number"))
            }
            return value
        }
        func required(_ key: CodingKeys) throws -> Int64 {
            guard let value = try whole(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "is required"))
            }
            return value
        }
        eventId = try required(.eventId)
        subscriptionId = try required(.subscriptionId)
        portalId = try required(.portalId)
        appId = try whole(.appId)
        occurredAt = try required(.occurredAt)
        subscriptionType = try c.decode(String.self, forKey: .subscriptionType)
        attemptNumber = try whole(.attemptNumber)
        objectId = try whole(.objectId)
        // The generic form documents objectTypeId as text ("0-1"); a number is read as its digits.
        if let text = try? c.decodeIfPresent(String.self, forKey: .objectTypeId) {
            objectTypeId = text
        } else {
            objectTypeId = try c.decodeIfPresent(Int64.self, forKey: .objectTypeId).map(String.init)
        }
        propertyName = try c.decodeIfPresent(String.self, forKey: .propertyName)
        // Text as documented; a number or true/false is taken as the text it spells.
        if let text = try? c.decodeIfPresent(String.self, forKey: .propertyValue) {
            propertyValue = text
        } else if let flag = try? c.decodeIfPresent(Bool.self, forKey: .propertyValue) {
            propertyValue = flag ? "true" : "false"
        } else if let whole = try? c.decodeIfPresent(Int64.self, forKey: .propertyValue) {
            propertyValue = String(whole)
        } else if let number = try c.decodeIfPresent(Double.self, forKey: .propertyValue) {
            guard number.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: .propertyValue, in: c, debugDescription: "must be a finite value")
            }
            propertyValue = "\(number)"
        } else {
            propertyValue = nil
        }
        changeSource = try c.decodeIfPresent(String.self, forKey: .changeSource)
        primaryObjectId = try whole(.primaryObjectId)
        do { mergedObjectIds = try c.decodeIfPresent([Int64].self, forKey: .mergedObjectIds) } catch {
            throw DecodingError.typeMismatch(
                [Int64].self, .init(codingPath: c.codingPath + [CodingKeys.mergedObjectIds], debugDescription: "must be an array of whole numbers"))
        }
        newObjectId = try whole(.newObjectId)
    }
}
