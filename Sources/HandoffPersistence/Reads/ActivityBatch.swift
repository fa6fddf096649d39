/// Rows read in bulk for reports, each list in time order (ties in insertion order).
package struct ActivityBatch: Sendable, Hashable {
    package var leads: [LeadRecord] = []
    package var events: [EngagementEventRecord] = []
    package var scores: [ScoreRecord] = []
    package var decisions: [QualificationDecisionRecord] = []
    package var assignments: [AssignmentRecord] = []
    package var timers: [SLATimerRecord] = []
    package var contactAttempts: [ContactAttemptRecord] = []
    package var dispositions: [DispositionRecord] = []
    package var opportunities: [OpportunityRecord] = []
    package var outcomes: [OutcomeRecord] = []
    package var alerts: [AlertRecord] = []

    package init() {}
}
