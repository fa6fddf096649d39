import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// Touches judged by the time they happened, whenever they arrive (issue 21, item 1).
///
/// A CRM sends a call logged at 14:20 at 17:05; in between, the scheduler may have fired the
/// first-touch escalation (reminder, manager, reassignment) at their due instants. The SLA is
/// decided by event time:
/// - the touch is judged against the deadline of the hand-off that was current at 14:20, by the
///   rep who owned the lead then (assists stay assists);
/// - every first-touch step of that hand-off that fired after 14:20 is *fired-then-voided*: it
///   stays in the timer's record with its firing time, plus when and by which event it was voided;
/// - an automatic reassignment voided this way is undone when nobody has acted on the lead since
///   (it still sits in the fallback queue, or with a rep who has made no attempt): the lead goes
///   back to the rep who touched it, and the former holder is told.
///
/// Reviews read the touch time from the attempt and the arrival time from the event journal, so
/// both speed-to-contact and the CRM's lag are reported.
extension LeadWork {
    /// Whether an attempt made at `touchAt` arrives after the SLA has moved past that instant.
    func arrivesLate(_ touchAt: Date) -> Bool {
        guard let last = sla.lastEventAt else { return false }
        return touchAt < last
    }

    /// Applies an owner's attempt made at `attempt.attemptedAt` that arrives at `arrivedAt`, after
    /// the SLA moved on. `eventID` names the event that voids what it voids.
    mutating func lateTouch(_ attempt: ContactAttemptRecord, arrivedAt: Date, eventID: String) async throws(EngineError) {
        let touchAt = attempt.attemptedAt
        let touch = ContactAttempt(
            repID: attempt.repID ?? "", channel: ContactAttempt.Channel(rawValue: attempt.channel) ?? .other,
            result: attempt.result.flatMap(ContactAttempt.Result.init(rawValue:)) ?? .noAnswer, note: attempt.note)
        // Where the lead stood just before the touch, by event time.
        let before: SLAState
        let judged: SLATransition
        do {
            before = try engine.foldSLA(timeline, leadID: leadID, before: touchAt)
            guard before.phase != .pending, before.phase != .closed else {
                // Before any hand-off, or after a disposition: stored as activity, the SLA does not move.
                return
            }
            judged = try flow.slaClock.transition(before, .contactAttempt(touch), at: touchAt)
        } catch {
            throw .sla(eventID: source, error)
        }
        var firstTouch: (rep: String, seconds: TimeInterval, within: Bool)?
        for effect in judged.effects {
            switch effect {
            case .assist(_, let rep, let owner):
                effects.append(EngineEffect(leadID: leadID, at: arrivedAt, kind: .assist(repID: rep, ownerID: owner)))
            case .firstTouch(_, let rep, let seconds, let within):
                firstTouch = (rep, seconds, within)
                effects.append(
                    EngineEffect(leadID: leadID, at: arrivedAt, kind: .firstTouch(repID: rep, businessSeconds: seconds, withinSLA: within)))
            case .returnToNurtureAllowed(_, let attempts):
                if !sla.nurtureAllowed {
                    effects.append(EngineEffect(leadID: leadID, at: arrivedAt, kind: .returnToNurtureAllowed(attempts: attempts)))
                }
            default:
                // Steps due before the touch fired live already, with their own effects.
                break
            }
        }
        // The state now, by event time: the stored history with this attempt in its place.
        var withTouch = timeline
        withTouch?.contactAttempts.append(attempt)
        let previous = sla
        do {
            sla = try engine.foldSLA(withTouch, leadID: leadID)
        } catch {
            throw .sla(eventID: source, error)
        }
        // Keeps the cadence flag and other fired steps as they were live.
        if sla.handoffs == previous.handoffs, let last = previous.lastEventAt, last > (sla.lastEventAt ?? .distantPast) {
            if let ticked = try? flow.slaClock.transition(sla, .tick, at: last) { sla = ticked.state }
        }
        timeline = withTouch
        guard let firstTouch, let owner = before.repID else {
            if sla.handoffs > 0 { upsert(currentTimer(fired: [], at: arrivedAt)) }
            return
        }
        // Void the first-touch steps of the hand-off current at the touch that fired after it.
        let timerID = HandoffEngine.timerID(leadID: leadID, handoff: before.handoffs)
        var reassignmentFiredAt: Date?
        if var timer = timers[timerID] {
            for index in timer.firedSteps.indices {
                let step = timer.firedSteps[index]
                guard step.stands, step.firedAt > touchAt, Self.firstTouchActions.contains(step.action) else { continue }
                if step.action == "reassign" {
                    // Voided only when undone below; otherwise it stands (someone acted on it).
                    reassignmentFiredAt = step.firedAt
                    continue
                }
                timer.firedSteps[index].voidedAt = arrivedAt
                timer.firedSteps[index].voidedBy = eventID
                effects.append(
                    EngineEffect(
                        leadID: leadID, at: arrivedAt,
                        kind: .escalationVoided(repID: owner, action: step.action, firedAt: step.firedAt, touchAt: touchAt)))
            }
            timer.escalationStep = timer.firedSteps.filter(\.stands).map(\.step).max() ?? 0
            if before.handoffs == sla.handoffs {
                timers[timerID] = timer
                upsert(currentTimer(fired: [], at: arrivedAt))
            } else {
                timer.state = firstTouch.within ? .met : timer.state
                timer.updatedAt = arrivedAt
                upsert(timer)
            }
        }
        var undone = false
        if let firedAt = reassignmentFiredAt {
            undone = try await undoReassignment(
                firedAt: firedAt, timerID: timerID, owner: owner, touchAt: touchAt, arrivedAt: arrivedAt, eventID: eventID)
        }
        if !undone, before.handoffs != sla.handoffs {
            // The current holder's timer follows the state by event time.
            upsert(currentTimer(fired: [], at: arrivedAt))
        }
    }

    /// Escalation actions of the first-touch chain (the cadence check is not one of them).
    static let firstTouchActions: Set<String> = ["remind-rep", "notify-manager", "reassign"]

    /// Gives the lead back to `owner` when the reassignment that fired at `firedAt` is the lead's
    /// current holding and nobody has acted on it since; records the step as voided.
    /// - Returns: whether it was undone.
    private mutating func undoReassignment(
        firedAt: Date, timerID: String, owner: String, touchAt: Date, arrivedAt: Date, eventID: String
    ) async throws(EngineError) -> Bool {
        guard let current = timeline?.assignments.last(where: { $0.unassignedAt == nil }), current.assignedAt >= firedAt,
            current.repID != owner, flow.roster.rep(owner)?.status == .active
        else { return false }
        let actedOn =
            (timeline?.contactAttempts ?? []).contains { $0.attemptedAt >= current.assignedAt }
            || (timeline?.dispositions ?? []).contains { $0.decidedAt >= current.assignedAt }
        guard !actedOn else { return false }
        if var timer = timers[timerID], let index = timer.firedSteps.firstIndex(where: { $0.action == "reassign" && $0.stands }) {
            timer.firedSteps[index].voidedAt = arrivedAt
            timer.firedSteps[index].voidedBy = eventID
            timer.escalationStep = timer.firedSteps.filter(\.stands).map(\.step).max() ?? 0
            timer.updatedAt = arrivedAt
            upsert(timer)
        }
        effects.append(
            EngineEffect(
                leadID: leadID, at: arrivedAt, kind: .escalationVoided(repID: owner, action: "reassign", firedAt: firedAt, touchAt: touchAt)))
        if current.repID != nil {
            // The new holder's clock stops: the hand-off to them never should have happened.
            let newTimer = HandoffEngine.timerID(leadID: leadID, handoff: sla.handoffs)
            if var timer = timers[newTimer], timer.state.isOpen {
                timer.state = .cancelled
                timer.updatedAt = arrivedAt
                upsert(timer)
            }
        }
        operations.append(
            .closeAssignment(
                leadID: leadID, at: arrivedAt,
                reason: "reassignment voided: \(owner)'s first touch at \(EventTime.format(touchAt)) arrived late"))
        operations.append(
            .openAssignment(AssignmentRecord(leadID: leadID, target: .rep(owner), rule: "restored:late-touch", assignedAt: arrivedAt)))
        effects.append(EngineEffect(leadID: leadID, at: arrivedAt, kind: .reassignmentVoided(from: current.target, backTo: owner, touchAt: touchAt)))
        let restored = RoutingExplanation(
            method: .restored, repID: owner, from: current.holderID, assignedBy: nil, assignmentRule: "restored:late-touch",
            repWasWorking: flow.roster.rep(owner)?.isWorking(at: arrivedAt) ?? false)
        try recordLedger(
            DecisionLedgerEntry(kind: .routing, at: arrivedAt, source: source, summary: restored.summary, routing: restored), at: arrivedAt)
        let priority = HandoffPriority(rawValue: sla.policyName ?? "") ?? .standard
        try await slaEvent(.handedOff(repID: owner, policy: priority.slaPolicyName), at: arrivedAt, priority: priority)
        return true
    }
}
