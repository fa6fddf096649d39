/// What the hand-off flow reads when an event arrives, in one read where the store can: the
/// journal row already stored under the event's id (a retry, or an id reused), the standing
/// merges of the event's lead, and that lead's flow timeline (``HandoffStore/flowTimeline(leadID:)``).
package struct EventArrival: Sendable {
    /// The journal row stored under the event's id, nil when the id is new.
    package var stored: EngagementEventRecord?
    /// ``HandoffStore/leadMerges(involving:includeEnded:)`` of the lead, standing only; empty when `stored` is set.
    package var merges: [LeadMergeRecord]
    /// The lead's flow timeline, nil when the lead is not stored or `stored` is set.
    package var timeline: LeadTimeline?

    package init(stored: EngagementEventRecord?, merges: [LeadMergeRecord], timeline: LeadTimeline?) {
        self.stored = stored
        self.merges = merges
        self.timeline = timeline
    }
}
