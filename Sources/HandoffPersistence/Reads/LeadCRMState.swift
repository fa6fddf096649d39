import Foundation
import HandoffRules

/// What a CRM keeps of a lead, read from everything stored about it: the latest score and
/// qualification, who holds it, the SLA clock, and how it ended. The one source of the CRM
/// write-back's values (`crm_writeback`) and of `baton handoff export`'s rows.
package struct LeadCRMState: Sendable, Hashable {
    package var leadID: String
    /// The latest score's probability of winning (0–1).
    package var probability: Double?
    package var points: Double?
    package var stage: QualificationStage?
    package var priority: HandoffPriority?
    /// Who holds the lead now; nil when nobody does.
    package var owner: AssignmentTarget?
    /// The latest SLA clock's state.
    package var slaState: SLATimerState?
    /// The running clock's deadline; nil when no clock runs.
    package var slaDue: Date?
    /// How the hand-off ended: `won`, `lost`, or a disposition code; nil while it runs.
    package var closedAs: String?
    package var closedAt: Date?

    package init(_ timeline: LeadTimeline) {
        leadID = timeline.lead.id
        let score = timeline.scores.last
        probability = score.flatMap { $0.probability.isFinite ? $0.probability : nil }
        points = score.flatMap { $0.points.isFinite ? $0.points : nil }
        stage = timeline.decisions.last?.stage
        priority = timeline.decisions.last?.priority
        owner = timeline.assignments.last { $0.unassignedAt == nil }?.target
        slaState = timeline.timers.last?.state
        slaDue = timeline.timers.last { $0.state == .running }?.dueAt
        if let outcome = timeline.outcomes.last {
            (closedAs, closedAt) = (outcome.result.rawValue, outcome.closedAt)
        } else if let disposition = timeline.dispositions.last, owner == nil {
            (closedAs, closedAt) = (disposition.code, disposition.decidedAt)
        }
    }

    /// The holder's id (a rep id or a fallback queue name).
    package var ownerID: String? {
        switch owner {
        case .rep(let id)?: id
        case .fallbackQueue(let name)?: name
        case nil: nil
        }
    }

    /// `rep` or `fallback_queue`.
    package var ownerKind: String? {
        switch owner {
        case .rep?: "rep"
        case .fallbackQueue?: "fallback_queue"
        case nil: nil
        }
    }
}
