import Foundation
import HandoffFlow

/// Turns a verified ``SegmentMessage`` into Baton events. Pure: what the store knows (whether the
/// lead exists, which lead an alias names) is passed in by the route.
///
/// - `identify`: traits → lead fields through the field mapping's `segment` section; a
///   `lead_created` when the lead is not stored yet, else a `lead_updated` (unmapped traits change
///   nothing). Both are integration lead events: a lead without all of the model's fields is
///   stored, unscored, until later traits complete it.
/// - `track`: `event` → engagement type through the `segment_events` table of the service
///   configuration (an event it does not list changes nothing, and the answer says so);
///   `properties.title` (or `name`) becomes the content, `properties.url` the URL.
/// - `group`: the account's traits → lead fields through the `segment_group` section, on the
///   lead of `userId` (created, incomplete, when it is new), and `groupId` → the lead's
///   `account_id` (unless the mapping set one), so the lead joins that account (issue 16).
/// - `alias`: ``aliasEvent(_:previousLead:userLead:latestEventAt:)``.
/// - `page`, `screen`: change nothing.
///
/// **Lead ids.** A Segment message names its lead by `userId`, or by `anonymousId` when there is
/// no `userId`; after an alias, both ids (and the old one) reach the one lead.
package enum SegmentAdapter {
    /// The mapping sections Segment reads.
    package static let traitsSection = "segment"
    package static let groupSection = "segment_group"
    /// The `integration` of Segment's lead events: a lead may arrive a few traits at a time and
    /// stays stored but unscored until the model's fields are known (``InboundEvent``).
    package static let integration = "segment"

    /// The Baton event id under which the alias of `id` is kept (looked up for each message).
    package static func aliasEventID(of id: String) -> String { "segment-alias:" + id }

    /// The events of `message` for lead `leadID` (already resolved through any alias).
    /// - Parameter engagementTypes: Segment `track` event name → Baton engagement type.
    /// - Throws: ``IntegrationRefusal/unmappable(field:problem:)`` for a trait value no band holds.
    package static func delivery(
        _ message: SegmentMessage, leadID: String, leadExists: Bool, mapping: FieldMapping, engagementTypes: [String: String]
    ) throws(IntegrationRefusal) -> IntegrationDelivery {
        switch message.kind {
        case .identify:
            let fields = try mapping.fields(section: traitsSection, properties: message.traits, path: "traits")
            let lead = InboundEvent.LeadFields(fields: fields, source: "segment", integration: integration)
            if leadExists && fields.isEmpty {
                return IntegrationDelivery(skipped: [
                    .init(vendorID: message.messageID, reason: "no trait of this identify is in the field mapping's `segment` section")
                ])
            }
            return IntegrationDelivery(events: [
                InboundEvent(
                    eventID: message.eventID, kind: leadExists ? .leadUpdated : .leadCreated, occurredAt: message.timestamp, leadID: leadID,
                    body: .lead(lead))
            ])
        case .track:
            let name = message.event ?? ""
            guard let type = engagementTypes[name] else {
                return IntegrationDelivery(skipped: [
                    .init(
                        vendorID: message.messageID,
                        reason: "track event `\(name.prefix(80))` is not in segment_events; add it to count it as an engagement")
                ])
            }
            let content = message.properties["title"] ?? message.properties["name"]
            return IntegrationDelivery(events: [
                InboundEvent(
                    eventID: message.eventID, kind: .engagement, occurredAt: message.timestamp, leadID: leadID,
                    body: .engagement(.init(eventType: type, content: content?.isEmpty == false ? content : nil, url: message.properties["url"])))
            ])
        case .group:
            var fields = try mapping.fields(section: groupSection, properties: message.traits, path: "traits")
            if let groupID = message.groupID, fields["account_id"] == nil { fields["account_id"] = groupID }
            guard !fields.isEmpty else {
                return IntegrationDelivery(skipped: [
                    .init(vendorID: message.messageID, reason: "no trait of this group is in the field mapping's `segment_group` section")
                ])
            }
            return IntegrationDelivery(events: [
                InboundEvent(
                    eventID: message.eventID, kind: .leadUpdated, occurredAt: message.timestamp, leadID: leadID,
                    body: .lead(.init(fields: fields, integration: integration)))
            ])
        case .alias:
            return IntegrationDelivery(skipped: [.init(vendorID: message.messageID, reason: "an alias is applied by aliasEvent")])
        case .page, .screen:
            return IntegrationDelivery(skipped: [.init(vendorID: message.messageID, reason: "\(message.kind.rawValue) calls change nothing in Baton")]
            )
        }
    }

    /// What an `alias` (previousId → userId) does, given the stored lead each id reaches today
    /// (through earlier aliases; nil when none): an empty `lead_updated` on the lead that exists,
    /// under the id ``aliasEventID(of:)`` of the other id, so later messages of either id reach
    /// that lead (the route looks the alias up for each message).
    ///
    /// The event is dated at the message's `timestamp`, or at `latestEventAt` of the lead when
    /// that is later: it records a link, not something the lead did, so it must not be refused as
    /// older than the lead's latest event, nor hold back later messages with earlier clocks.
    ///
    /// - Returns: the event, or nothing with `alreadyLinked` true (both ids reach one lead: a
    ///   repeated alias), or a skipped item (neither id is a lead yet).
    /// - Throws: ``IntegrationRefusal/unmappable(field:problem:)`` when the ids reach two stored
    ///   leads: Baton does not merge leads.
    package static func aliasEvent(
        _ message: SegmentMessage, previousLead: String?, userLead: String?, latestEventAt: [String: Date]
    ) throws(IntegrationRefusal)
        -> (delivery: IntegrationDelivery, alreadyLinked: Bool)
    {
        guard let previous = message.previousID, let user = message.userID else { return (IntegrationDelivery(), false) }
        let (lead, other): (String, String)
        switch (previousLead, userLead) {
        case let (p?, u?):
            if p == u { return (IntegrationDelivery(), true) }
            throw .unmappable(
                field: "previousId",
                problem: "and userId reach two stored leads (\(p), \(u)); Baton does not merge leads, so keep one and stop sending the other")
        case let (p?, nil): (lead, other) = (p, user)
        case let (nil, u?): (lead, other) = (u, previous)
        case (nil, nil):
            return (
                IntegrationDelivery(skipped: [
                    .init(
                        vendorID: message.messageID,
                        reason: "neither \(previous) nor \(user) is a stored lead yet; the alias is kept once one of them is (send it again then)")
                ]), false
            )
        }
        let event = InboundEvent(
            eventID: aliasEventID(of: other), kind: .leadUpdated, occurredAt: max(message.timestamp, latestEventAt[lead] ?? message.timestamp),
            leadID: lead,
            body: .lead(.init(fields: [:], integration: integration, note: "Segment alias: \(other) is this lead")))
        return (IntegrationDelivery(events: [event]), false)
    }
}
