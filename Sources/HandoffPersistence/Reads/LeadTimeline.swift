import Foundation

/// Everything stored about one lead, each list in time order (ties in insertion order).
package struct LeadTimeline: Sendable, Hashable {
    package var lead: LeadRecord
    package var events: [EngagementEventRecord]
    package var scores: [ScoreRecord]
    package var decisions: [QualificationDecisionRecord]
    package var assignments: [AssignmentRecord]
    package var timers: [SLATimerRecord]
    package var contactAttempts: [ContactAttemptRecord]
    package var dispositions: [DispositionRecord]
    package var opportunities: [OpportunityRecord]
    package var outcomes: [OutcomeRecord]

    package init(
        lead: LeadRecord, events: [EngagementEventRecord] = [], scores: [ScoreRecord] = [],
        decisions: [QualificationDecisionRecord] = [], assignments: [AssignmentRecord] = [],
        timers: [SLATimerRecord] = [], contactAttempts: [ContactAttemptRecord] = [],
        dispositions: [DispositionRecord] = [], opportunities: [OpportunityRecord] = [],
        outcomes: [OutcomeRecord] = []
    ) {
        self.lead = lead
        self.events = events
        self.scores = scores
        self.decisions = decisions
        self.assignments = assignments
        self.timers = timers
        self.contactAttempts = contactAttempts
        self.dispositions = dispositions
        self.opportunities = opportunities
        self.outcomes = outcomes
    }

    /// The lead's history as one chronological list.
    ///
    /// Sorted by time; entries at the same instant keep the causal order of the hand-off flow
    /// (created, event, score, decision, assignment, SLA timer, attempt, disposition,
    /// opportunity, outcome), then the order in which they were stored.
    package var entries: [TimelineEntry] {
        var all: [TimelineEntry] = [TimelineEntry(at: lead.createdAt, kind: .leadCreated, reference: lead.id)]
        all += events.map { TimelineEntry(at: $0.occurredAt, kind: .engagement, reference: $0.id) }
        all += scores.map { TimelineEntry(at: $0.scoredAt, kind: .score, reference: $0.rowID.map(String.init) ?? "") }
        all += decisions.map { TimelineEntry(at: $0.decidedAt, kind: .decision, reference: $0.rowID.map(String.init) ?? "") }
        for assignment in assignments {
            let ref = assignment.rowID.map(String.init) ?? ""
            all.append(TimelineEntry(at: assignment.assignedAt, kind: .assigned, reference: ref))
            if let closed = assignment.unassignedAt {
                all.append(TimelineEntry(at: closed, kind: .unassigned, reference: ref))
            }
        }
        all += timers.map { TimelineEntry(at: $0.startedAt, kind: .slaStarted, reference: $0.id) }
        all += contactAttempts.map { TimelineEntry(at: $0.attemptedAt, kind: .contactAttempt, reference: $0.id) }
        all += dispositions.map { TimelineEntry(at: $0.decidedAt, kind: .disposition, reference: $0.id) }
        all += opportunities.map { TimelineEntry(at: $0.openedAt, kind: .opportunity, reference: $0.id) }
        all += outcomes.map { TimelineEntry(at: $0.closedAt, kind: .outcome, reference: $0.id) }
        // Stable sort: the per-kind lists are already in insertion order.
        return all.enumerated().sorted { a, b in
            if a.element.at != b.element.at { return a.element.at < b.element.at }
            if a.element.kind != b.element.kind { return a.element.kind < b.element.kind }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// One line of a lead's chronological history.
package struct TimelineEntry: Sendable, Hashable {
    /// What happened, in the causal order used to break ties at the same instant.
    package enum Kind: Int, Sendable, Hashable, Comparable, CaseIterable {
        case leadCreated, engagement, score, decision, assigned, unassigned, slaStarted, contactAttempt,
            disposition, opportunity, outcome

        package static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// When it happened.
    package var at: Date
    /// What happened.
    package var kind: Kind
    /// The record's id (sender id, or the store's row id for scores, decisions, assignments).
    package var reference: String

    package init(at: Date, kind: Kind, reference: String) {
        self.at = at
        self.kind = kind
        self.reference = reference
    }
}
