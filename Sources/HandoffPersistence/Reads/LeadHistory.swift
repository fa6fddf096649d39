import Foundation

/// What the store recorded about one lead, in the order it was recorded: the material of a
/// point-in-time training row (``HandoffStore/leadHistories(createdBefore:)``).
///
/// Unlike ``LeadTimeline`` (time order), every list here is in **insertion order**, the order the
/// hand-off flow committed the rows, so a reader can cut it at the unit of work that scored the
/// lead for hand-off: what the scorer saw then is exactly the journal up to that unit.
package struct LeadHistory: Sendable, Hashable {
    package var lead: LeadRecord
    /// Journal rows in arrival order. Payloads are kept for `lead_created` and `lead_updated`
    /// (their `fields`); other rows carry `{}`.
    package var events: [EngagementEventRecord]
    /// Scores in insertion order; `reasons` is left empty (`[]`).
    package var scores: [ScoreRecord]
    /// Qualification decisions in insertion order; `evidence` is left empty (`{}`).
    package var decisions: [QualificationDecisionRecord]
    /// Assignments in insertion order.
    package var assignments: [AssignmentRecord]
    /// Dispositions in insertion order.
    package var dispositions: [DispositionRecord]
    package var opportunities: [OpportunityRecord]
    /// Outcomes in insertion order.
    package var outcomes: [OutcomeRecord]

    package init(
        lead: LeadRecord, events: [EngagementEventRecord] = [], scores: [ScoreRecord] = [],
        decisions: [QualificationDecisionRecord] = [], assignments: [AssignmentRecord] = [],
        dispositions: [DispositionRecord] = [], opportunities: [OpportunityRecord] = [], outcomes: [OutcomeRecord] = []
    ) {
        self.lead = lead
        self.events = events
        self.scores = scores
        self.decisions = decisions
        self.assignments = assignments
        self.dispositions = dispositions
        self.opportunities = opportunities
        self.outcomes = outcomes
    }
}
