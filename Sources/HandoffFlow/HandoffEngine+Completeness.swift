import Foundation
import HandoffPersistence
import HandoffRules

extension HandoffEngine {
    /// The weight file's fields that a stored lead still lacks, in the model's order: empty when
    /// the lead can be scored. A lead stored through an integration stays unscored while this is
    /// not empty (see ``InboundEvent``'s integration lead events); the lead read shows it.
    nonisolated package func missingFields(of timeline: LeadTimeline) -> [String] {
        let fields = timeline.lead.fieldValues
        let events = timeline.events.filter { !Self.reservedTypes.contains($0.type) }.map {
            EngagementEvent(type: $0.type, occurredAt: $0.occurredAt)
        }
        let at = (timeline.events.map(\.occurredAt) + [timeline.lead.updatedAt]).max() ?? timeline.lead.updatedAt
        let subject = Lead(
            id: timeline.lead.id, fields: effectiveFields(fields, events: events, at: at), createdAt: timeline.lead.createdAt, events: events)
        do {
            _ = try scorer.score(subject, at: at)
            return []
        } catch {
            if case .missingFields(_, let missing) = error { return missing }
            return []
        }
    }
}
