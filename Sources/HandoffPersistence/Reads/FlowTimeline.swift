import Foundation

extension EngagementEventRecord {
    /// Journal rows whose payload the flow reads back (``HandoffStore/flowTimeline(leadID:)``
    /// keeps it): the SLA clock's pauses and resumes, which the clock folds from the store.
    package static let flowPayloadTypes: Set<String> = ["sla_pause", "sla_resume"]
    /// ``flowPayloadTypes`` as an SQL list of string literals (`'sla_pause', 'sla_resume'`), for
    /// the backends' `CASE WHEN type IN (…)`; the names are fixed words, no input reaches it.
    package static let flowPayloadTypesSQL = flowPayloadTypes.sorted().map { "'\($0)'" }.joined(separator: ", ")
}

extension HandoffStore {
    /// Default for backends without a lighter read: the full timeline, stripped (payloads kept
    /// only for ``EngagementEventRecord/flowPayloadTypes``).
    package func flowTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? {
        guard var timeline = try await leadTimeline(leadID: leadID) else { return nil }
        timeline.scores = []
        timeline.decisions = []
        timeline.events = timeline.events.map {
            EngagementEventRecord(
                id: $0.id, leadID: $0.leadID, type: $0.type, occurredAt: $0.occurredAt, receivedAt: $0.receivedAt,
                payload: EngagementEventRecord.flowPayloadTypes.contains($0.type) ? $0.payload : .emptyObject)
        }
        return timeline
    }
}
