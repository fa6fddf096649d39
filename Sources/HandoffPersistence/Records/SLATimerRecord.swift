import Foundation

/// Where an SLA timer stands.
package enum SLATimerState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for the first touch; `dueAt` is the deadline.
    case running
    /// Deadline passed; `dueAt` is the next escalation step's time.
    case breached
    /// The SLA was met (first touch in time, or after the breach).
    case met
    /// No longer relevant (lead returned to nurture, closed, reassigned with a new timer).
    case cancelled

    /// Running and breached timers still need the scheduler.
    package var isOpen: Bool { self == .running || self == .breached }
}

/// An escalation step that has fired (remind rep, notify manager, reassign).
package struct FiredEscalationStep: Sendable, Hashable, Codable {
    /// Position in the escalation chain, from 1.
    package var step: Int
    /// What the step did, e.g. "remind-rep".
    package var action: String
    /// When it fired.
    package var firedAt: Date
    /// When it was voided: a first touch that happened before `firedAt` arrived later (CRM lag),
    /// so the step should never have fired. Nil while it stands.
    package var voidedAt: Date?
    /// The event whose late arrival voided it.
    package var voidedBy: String?

    package init(step: Int, action: String, firedAt: Date, voidedAt: Date? = nil, voidedBy: String? = nil) {
        self.step = step
        self.action = action
        self.firedAt = firedAt
        self.voidedAt = voidedAt
        self.voidedBy = voidedBy
    }

    /// Fired and not voided since.
    package var stands: Bool { voidedAt == nil }
}

/// An SLA timer for one lead under one policy, upserted by `id` as the state machine moves.
///
/// The scheduler asks for open timers with `dueAt` before now (``HandoffStore/timersDue(before:limit:)``),
/// or claims them under a lease so that several service instances fire each step once
/// (``HandoffStore/claimDueTimers(before:owner:leaseUntil:limit:)``).
package struct SLATimerRecord: Sendable, Hashable, Codable {
    /// Caller-chosen id, e.g. "lead-17/first-touch".
    package var id: String
    /// The lead; must be stored.
    package var leadID: String
    /// Policy name (e.g. "high-intent-1h").
    package var policy: String
    /// Next time the scheduler must look at this timer (UTC, millisecond precision).
    package var dueAt: Date
    /// Current state.
    package var state: SLATimerState
    /// Escalation steps fired so far (0 before the breach).
    package var escalationStep: Int
    /// The steps that fired, oldest first.
    package var firedSteps: [FiredEscalationStep]
    /// When the timer started.
    package var startedAt: Date
    /// When it was last written.
    package var updatedAt: Date

    package init(
        id: String, leadID: String, policy: String, dueAt: Date, state: SLATimerState = .running,
        escalationStep: Int = 0, firedSteps: [FiredEscalationStep] = [], startedAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.leadID = leadID
        self.policy = policy
        self.dueAt = dueAt
        self.state = state
        self.escalationStep = escalationStep
        self.firedSteps = firedSteps
        self.startedAt = startedAt
        self.updatedAt = updatedAt ?? startedAt
    }
}
