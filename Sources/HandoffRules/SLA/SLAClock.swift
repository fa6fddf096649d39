import Foundation

/// The SLA state machine: `transition(state, event, at:) → (state, effects)`, pure and
/// deterministic; time is whatever instant the caller passes (from a ``HandoffClock``).
///
/// Deadlines are business time in the *assigned rep's* calendar (time zone, working hours,
/// holidays). Before applying an event at instant `t`, steps due strictly before `t` fire, so a
/// touch exactly at the deadline is on time; after it, steps due at or before `t` fire. Each
/// escalation step fires at most once per hand-off: breach recorded + rep reminded at the
/// deadline, manager notified after `notifyManagerAfterHours`, reassignment after
/// `reassignAfterHours`. A first touch cancels the remaining first-touch steps. Only the owner's
/// attempts (or those of a rep in `sla.touches_from`) are touches: another rep's attempt is an
/// assist, recorded without stopping the owner's clock or counting toward the owner's attempts.
package struct SLAClock: Sendable {
    package let policies: SLAPolicies
    package let roster: RepRoster
    package let dispositions: DispositionPolicy

    package init(policies: SLAPolicies = SLAPolicies(), roster: RepRoster, dispositions: DispositionPolicy = DispositionPolicy()) {
        self.policies = policies
        self.roster = roster
        self.dispositions = dispositions
    }

    /// Applies one event at `instant`. Throws (leaving `state` as it was) for an event out of
    /// order, after closing, before the hand-off, for an unknown rep or policy, or an invalid
    /// disposition.
    package func transition(_ state: SLAState, _ event: SLAEvent, at instant: Date) throws(SLAError) -> SLATransition {
        if let last = state.lastEventAt, instant < last {
            throw .outOfOrder(leadID: state.leadID, at: instant, last: last)
        }
        // A closed lead only reopens through a new hand-off (e.g. recycled from nurture).
        if state.phase == .closed {
            if event.isHandoff {
            } else {
                throw .alreadyClosed(leadID: state.leadID, code: state.disposition?.code ?? "", event: event.name)
            }
        }
        var next = state
        var effects: [SLAEffect] = []
        try fireDueSteps(&next, before: instant, inclusive: false, into: &effects)
        switch event {
        case .tick:
            break
        case .handedOff(let repID, let policyName), .assignedByHand(let repID, let policyName):
            let policy = try policies.policy(named: policyName)
            guard let rep = roster.rep(repID) else { throw .unknownRep(id: repID, leadID: state.leadID) }
            let calendar = rep.calendar
            let deadline = calendar.adding(businessHours: policy.firstTouchHours, to: instant)
            var fresh = next.phase == .closed
            if case .assignedByHand = event { fresh = true }
            if fresh {
                next.disposition = nil
                next.attempts = 0
                next.firstTouchAt = nil
                next.speedToContact = nil
                next.nurtureAllowed = false
            }
            next.phase = next.attempts > 0 ? .working : .awaitingFirstTouch
            next.repID = repID
            next.policyName = policyName
            next.handedOffAt = instant
            next.handoffs += 1
            next.firstTouchDeadline = deadline
            next.notifyManagerAt = calendar.adding(businessHours: policy.notifyManagerAfterHours, to: deadline)
            next.reassignAt = calendar.adding(businessHours: policy.reassignAfterHours, to: deadline)
            next.attemptWindowEndsAt = calendar.adding(businessDays: policy.attemptWindowDays, to: instant)
            next.firstTouchBreached = false
            next.managerNotified = false
            next.reassignRequested = false
            next.cadenceChecked = false
            next.endPause()
            next.pausedBusinessSeconds = 0
            if next.phase == .awaitingFirstTouch {
                effects.append(.firstTouchDue(leadID: state.leadID, repID: repID, deadline: deadline))
            }
            if !next.nurtureAllowed && next.attempts >= policy.minimumAttempts {
                next.nurtureAllowed = true
                effects.append(.returnToNurtureAllowed(leadID: state.leadID, attempts: next.attempts))
            }
        case .handedBack(let repID):
            guard next.phase == .awaitingFirstTouch || next.phase == .working, next.repID == repID else {
                throw .notHandedOff(leadID: state.leadID, event: event.name)
            }
            // Steps due before the hand-back have fired above; none fires after it.
            next.phase = .pending
            next.endPause()
            next.repID = nil
            next.firstTouchDeadline = nil
            next.notifyManagerAt = nil
            next.reassignAt = nil
            next.attemptWindowEndsAt = nil
            effects.append(.handedBack(leadID: state.leadID, repID: repID))
        case .paused(let reason, let until):
            guard next.phase == .awaitingFirstTouch || next.phase == .working else {
                throw .notHandedOff(leadID: state.leadID, event: event.name)
            }
            if let until, until <= instant { throw .pauseEndsBeforeItStarts(leadID: state.leadID, until: until, at: instant) }
            // A pause while paused replaces the planned end and reason; the clock stays stopped since the first.
            if next.pausedAt == nil { next.pausedAt = instant }
            next.pauseReason = reason
            next.pausedUntil = until
            effects.append(.paused(leadID: state.leadID, reason: reason, until: until))
        case .resumed:
            guard next.pausedAt != nil else { throw .notPaused(leadID: state.leadID) }
            try resume(&next, at: instant, into: &effects)
        case .contactAttempt(let attempt):
            guard next.phase != .pending, let repID = next.repID, let handedOffAt = next.handedOffAt else {
                throw .notHandedOff(leadID: state.leadID, event: event.name)
            }
            // A touch while paused ends the pause (the rep is working the lead again).
            if next.pausedAt != nil { try resume(&next, at: instant, into: &effects) }
            guard let rep = roster.rep(repID) else { throw .unknownRep(id: repID, leadID: state.leadID) }
            guard roster.rep(attempt.repID) != nil else { throw .unknownRep(id: attempt.repID, leadID: state.leadID) }
            let policy = try policies.policy(named: next.policyName ?? "")
            guard policies.touchCounts(by: attempt.repID, owner: repID) else {
                effects.append(.assist(leadID: state.leadID, repID: attempt.repID, ownerID: repID))
                break
            }
            next.attempts += 1
            if next.phase == .awaitingFirstTouch {
                let speed = max(0, rep.calendar.businessTime(from: handedOffAt, to: instant) - next.pausedBusinessSeconds)
                next.phase = .working
                next.firstTouchAt = instant
                next.speedToContact = speed
                let onTime = next.firstTouchDeadline.map { instant <= $0 } ?? true
                effects.append(.firstTouch(leadID: state.leadID, repID: attempt.repID, speedToContact: speed, withinSLA: onTime))
            }
            if !next.nurtureAllowed && next.attempts >= policy.minimumAttempts {
                next.nurtureAllowed = true
                effects.append(.returnToNurtureAllowed(leadID: state.leadID, attempts: next.attempts))
            }
        case .disposition(let code):
            guard next.phase != .pending, let repID = next.repID else {
                throw .notHandedOff(leadID: state.leadID, event: event.name)
            }
            guard let rep = roster.rep(repID) else { throw .unknownRep(id: repID, leadID: state.leadID) }
            let policy = try policies.policy(named: next.policyName ?? "")
            let outcome: DispositionOutcome
            do {
                outcome = try dispositions.outcome(
                    code: code, attemptsMade: next.attempts, minimumAttempts: policy.minimumAttempts,
                    at: instant, timeZone: rep.calendar.timeZone)
            } catch {
                throw .disposition(leadID: state.leadID, error)
            }
            next.phase = .closed
            next.disposition = outcome
            effects.append(.closed(leadID: state.leadID, outcome: outcome))
        }
        try fireDueSteps(&next, before: instant, inclusive: true, into: &effects)
        next.lastEventAt = instant
        return SLATransition(state: next, effects: effects)
    }

    /// Ends the running pause at `instant`: every deadline still ahead of the pause's start moves
    /// by the business time the clock stood still (the business time left at the pause's start
    /// is what is left at the resume), and that time is kept out of speed to contact.
    private func resume(_ state: inout SLAState, at instant: Date, into effects: inout [SLAEffect]) throws(SLAError) {
        guard let pausedAt = state.pausedAt, let repID = state.repID else { return }
        guard let rep = roster.rep(repID) else { throw .unknownRep(id: repID, leadID: state.leadID) }
        let calendar = rep.calendar
        func moved(_ deadline: Date?) -> Date? {
            guard let deadline else { return nil }
            guard deadline > pausedAt else { return deadline }
            return calendar.adding(businessSeconds: calendar.businessTime(from: pausedAt, to: deadline), to: instant)
        }
        state.firstTouchDeadline = state.firstTouchBreached ? state.firstTouchDeadline : moved(state.firstTouchDeadline)
        state.notifyManagerAt = state.managerNotified ? state.notifyManagerAt : moved(state.notifyManagerAt)
        state.reassignAt = state.reassignRequested ? state.reassignAt : moved(state.reassignAt)
        state.attemptWindowEndsAt = state.cadenceChecked ? state.attemptWindowEndsAt : moved(state.attemptWindowEndsAt)
        let stood = calendar.businessTime(from: pausedAt, to: max(pausedAt, instant))
        state.pausedBusinessSeconds += stood
        state.endPause()
        effects.append(.resumed(leadID: state.leadID, pausedBusinessSeconds: stood))
    }

    /// Fires the scheduled steps due before (or at, when `inclusive`) `instant`, in chain order
    /// (a pause's planned end first resumes the clock, then the steps it moved are looked at again).
    private func fireDueSteps(
        _ state: inout SLAState, before instant: Date, inclusive: Bool,
        into effects: inout [SLAEffect]
    ) throws(SLAError) {
        guard let repID = state.repID else { return }
        if let until = state.pausedUntil, state.pausedAt != nil, inclusive ? until <= instant : until < instant {
            try resume(&state, at: until, into: &effects)
        }
        for (step, at) in state.scheduledSteps where inclusive ? at <= instant : at < instant {
            guard let rep = roster.rep(repID) else { throw .unknownRep(id: repID, leadID: state.leadID) }
            switch step {
            case .resume:
                break
            case .breach:
                state.firstTouchBreached = true
                effects.append(.breachRecorded(SLABreach(leadID: state.leadID, repID: repID, kind: .firstTouch, deadline: at)))
                effects.append(.remindRep(leadID: state.leadID, repID: repID, overdueSince: at))
            case .notifyManager:
                state.managerNotified = true
                effects.append(.notifyManager(leadID: state.leadID, repID: repID, manager: rep.manager, breach: .firstTouch))
            case .reassign:
                state.reassignRequested = true
                effects.append(.reassign(leadID: state.leadID, fromRepID: repID))
            case .cadence:
                state.cadenceChecked = true
                let required = (try? policies.policy(named: state.policyName ?? ""))?.minimumAttempts ?? 0
                if state.attempts < required {
                    let kind = SLABreach.Kind.attemptCadence(made: state.attempts, required: required)
                    effects.append(.breachRecorded(SLABreach(leadID: state.leadID, repID: repID, kind: kind, deadline: at)))
                    effects.append(.notifyManager(leadID: state.leadID, repID: repID, manager: rep.manager, breach: kind))
                }
            }
        }
    }
}
