import Foundation

extension HandoffStore {
    /// Default for backends without a lighter read: the full timeline, stripped.
    package func flowTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? {
        guard var timeline = try await leadTimeline(leadID: leadID) else { return nil }
        timeline.scores = []
        timeline.decisions = []
        timeline.events = timeline.events.map {
            EngagementEventRecord(
                id: $0.id, leadID: $0.leadID, type: $0.type, occurredAt: $0.occurredAt, receivedAt: $0.receivedAt,
                payload: .emptyObject)
        }
        return timeline
    }
}
