/// A lead currently held by a rep or queue, with what the rep needs to act on it.
package struct OpenHandoff: Sendable, Hashable {
    /// The open assignment.
    package var assignment: AssignmentRecord
    /// The lead.
    package var lead: LeadRecord
    /// The latest score, if any.
    package var latestScore: ScoreRecord?
    /// The latest qualification decision, if any.
    package var latestDecision: QualificationDecisionRecord?
    /// Open SLA timers of the lead, earliest due first.
    package var openTimers: [SLATimerRecord]
    /// Contact attempts made since the assignment opened.
    package var attemptsSinceAssigned: Int

    package init(
        assignment: AssignmentRecord, lead: LeadRecord, latestScore: ScoreRecord?,
        latestDecision: QualificationDecisionRecord?, openTimers: [SLATimerRecord], attemptsSinceAssigned: Int
    ) {
        self.assignment = assignment
        self.lead = lead
        self.latestScore = latestScore
        self.latestDecision = latestDecision
        self.openTimers = openTimers
        self.attemptsSinceAssigned = attemptsSinceAssigned
    }
}
