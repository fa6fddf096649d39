/// Rows read in bulk for reports, each list in time order (ties in insertion order).
public struct ActivityBatch: Sendable, Hashable {
    public var leads: [LeadRecord] = []
    public var events: [EngagementEventRecord] = []
    public var scores: [ScoreRecord] = []
    public var decisions: [QualificationDecisionRecord] = []
    public var assignments: [AssignmentRecord] = []
    public var timers: [SLATimerRecord] = []
    public var contactAttempts: [ContactAttemptRecord] = []
    public var dispositions: [DispositionRecord] = []
    public var opportunities: [OpportunityRecord] = []
    public var outcomes: [OutcomeRecord] = []
    public var alerts: [AlertRecord] = []

    public init() {}
}
