/// A lead currently held by a rep or queue, with what the rep needs to act on it.
public struct OpenHandoff: Sendable, Hashable {
    /// The open assignment.
    public var assignment: AssignmentRecord
    /// The lead.
    public var lead: LeadRecord
    /// The latest score, if any.
    public var latestScore: ScoreRecord?
    /// The latest qualification decision, if any.
    public var latestDecision: QualificationDecisionRecord?
    /// Open SLA timers of the lead, earliest due first.
    public var openTimers: [SLATimerRecord]
    /// Contact attempts made since the assignment opened.
    public var attemptsSinceAssigned: Int

    public init(assignment: AssignmentRecord, lead: LeadRecord, latestScore: ScoreRecord?,
                latestDecision: QualificationDecisionRecord?, openTimers: [SLATimerRecord], attemptsSinceAssigned: Int) {
        self.assignment = assignment
        self.lead = lead
        self.latestScore = latestScore
        self.latestDecision = latestDecision
        self.openTimers = openTimers
        self.attemptsSinceAssigned = attemptsSinceAssigned
    }
}
