import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// The `assign` event (issue 21, item 5): a sales manager hands a lead to a named rep, out of the
/// fallback queue or away from another rep. The current holding is closed, the rep gets an open
/// assignment (rule `manual:<assigned_by>`) and a fresh first-touch clock from the event's time,
/// under the lead's current SLA policy unless the event names `priority`. A new high-priority
/// hand-off alerts the rep, as the router's do; the former rep is told the lead left them. An
/// `assign` to the lead's holder by that same rep (`assigned_by` = `rep_id`) is their acceptance
/// (a push alert's Accept): journaled, nothing else changes.
extension EventWork {
    mutating func assignByHand(_ body: InboundEvent.Assignment) async throws(EngineError) {
        try checkRep(body.repID)
        let engine = self.engine
        guard let rep = engine.flow.roster.rep(body.repID), rep.status == .active else {
            throw .invalidField(
                eventID: id, field: "rep_id",
                problem: "rep '\(body.repID)' has left (status left on the roster); assign the lead to an active rep")
        }
        guard !lead.hasOutcome else {
            throw .invalidField(
                eventID: id, field: "lead_id",
                problem: "lead '\(event.leadID)' is closed (won or lost); a closed deal is not handed off again")
        }
        let current = lead.timeline?.assignments.last { $0.unassignedAt == nil }
        if current?.repID == body.repID, body.assignedBy == body.repID {
            // The holder accepts the lead (a push alert's Accept): the journal row records it;
            // their hand-off and its first-touch clock stand as they are (the clock starts once).
            return
        }
        if current?.repID == body.repID {
            throw .invalidField(
                eventID: id, field: "rep_id",
                problem: "rep '\(body.repID)' already holds lead '\(event.leadID)'; nothing to assign")
        }
        let priority: HandoffPriority
        if let named = body.priority {
            priority = HandoffPriority(rawValue: named) ?? .standard
        } else if let policy = lead.sla.policyName, let kept = HandoffPriority(rawValue: policy) {
            priority = kept
        } else {
            // Never held by a rep (parked at hand-off): the priority of its latest qualification,
            // which the flow timeline leaves out, so one full read.
            let full: LeadTimeline?
            do { full = try await engine.store.leadTimeline(leadID: event.leadID) } catch { throw .store(eventID: id, error) }
            priority = full?.decisions.max { $0.decidedAt < $1.decidedAt }?.priority ?? .standard
        }
        let by = body.assignedBy ?? "manager"
        if current != nil {
            lead.operations.append(.closeAssignment(leadID: event.leadID, at: instant, reason: "assigned by hand to \(body.repID) by \(by)"))
        }
        lead.operations.append(
            .openAssignment(
                AssignmentRecord(
                    leadID: event.leadID, target: .rep(body.repID), rule: HandoffEngine.byHandRulePrefix + by, assignedAt: instant)))
        let from: AssignmentTarget? = current?.target
        lead.effects.append(
            EngineEffect(leadID: event.leadID, at: instant, kind: .assignedByHand(repID: body.repID, from: from, by: by)))
        let byHand = RoutingExplanation(
            method: .byHand, repID: body.repID, from: current?.holderID, assignedBy: by,
            assignmentRule: HandoffEngine.byHandRulePrefix + by, repWasWorking: rep.isWorking(at: instant))
        try lead.recordLedger(DecisionLedgerEntry(kind: .routing, at: instant, source: id, summary: byHand.summary, routing: byHand), at: instant)
        try await lead.slaEvent(.assignedByHand(repID: body.repID, policy: priority.slaPolicyName), at: instant, priority: priority)
    }
}

extension HandoffEngine {
    /// The assignment rule of a hand-off by hand: `manual:` and who made it.
    package static let byHandRulePrefix = "manual:"
}
