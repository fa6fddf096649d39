import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// The `release` event (issue 17, a push alert's *Reassign to triage*): the rep who holds the
/// lead hands it back to the playbook's fallback queue, where a sales manager assigns it by hand
/// (`assign`). The rep's assignment is closed, the queue gets an open one (rule
/// `released:<rep>`), the first-touch clock stops with nothing further to fire (no breach,
/// reminder or reassignment after the hand-back; steps already due have fired), the queue is
/// alerted (`handed-back`), and the ledger records both halves.
/// Only the holder can hand a lead back: anyone else, a lead in a queue or a closed lead is
/// refused naming the field, and nothing changes.
extension EventWork {
    mutating func handBack(_ body: InboundEvent.Release) async throws(EngineError) {
        try checkRep(body.repID)
        guard !lead.hasOutcome else {
            throw .invalidField(
                eventID: id, field: "lead_id",
                problem: "lead '\(event.leadID)' is closed (won or lost); there is no hand-off to give back")
        }
        let current = lead.timeline?.assignments.last { $0.unassignedAt == nil }
        guard let current, current.repID == body.repID else {
            let holder = current.map { "it is held by \($0.target)" } ?? "no one holds it"
            throw .invalidField(
                eventID: id, field: "rep_id",
                problem: "rep '\(body.repID)' does not hold lead '\(event.leadID)' (\(holder)); only the holder hands a lead back")
        }
        guard lead.sla.phase == .awaitingFirstTouch || lead.sla.phase == .working else {
            throw .invalidField(
                eventID: id, field: "lead_id",
                problem: "lead '\(event.leadID)' has no open hand-off to give back (its clock is \(lead.sla.phase.rawValue))")
        }
        let queue = engine.flow.routing.fallbackQueue
        let reason = body.reason.map { $0.trimmingSpacesAndTabs() }.flatMap { $0.isEmpty ? nil : $0 }
        try await lead.slaEvent(.handedBack(repID: body.repID), at: instant)
        lead.operations.append(
            .closeAssignment(leadID: event.leadID, at: instant, reason: "handed back to \(queue) by \(body.repID)" + (reason.map { ": \($0)" } ?? ""))
        )
        lead.operations.append(
            .openAssignment(
                AssignmentRecord(
                    leadID: event.leadID, target: .fallbackQueue(queue), rule: RoutingExplanation.handedBackRulePrefix + body.repID,
                    assignedAt: instant)))
        let explanation = RoutingExplanation(handedBackBy: body.repID, queue: queue, reason: reason)
        try lead.recordLedger(
            DecisionLedgerEntry(kind: .routing, at: instant, source: id, summary: explanation.summary, routing: explanation), at: instant)
        lead.effects.append(
            EngineEffect(leadID: event.leadID, at: instant, kind: .handedBack(repID: body.repID, queue: queue, reason: reason)))
    }
}
