import Foundation

/// Where one lead stands against its SLA: a plain value the store persists between events.
/// Every deadline is an instant already converted from the rep's business time.
package struct SLAState: Sendable, Hashable, Codable {
    package enum Phase: String, Sendable, Hashable, Codable {
        /// Not handed off yet.
        case pending
        /// Assigned, waiting for the first contact attempt.
        case awaitingFirstTouch = "awaiting_first_touch"
        /// Touched at least once; attempts continue.
        case working
        /// Dispositioned.
        case closed
    }

    package let leadID: String
    package internal(set) var phase: Phase = .pending
    package internal(set) var repID: String?
    package internal(set) var policyName: String?
    /// The latest hand-off (reassignments restart the first-touch clock).
    package internal(set) var handedOffAt: Date?
    /// How many times the lead has been handed off.
    package internal(set) var handoffs = 0
    package internal(set) var firstTouchDeadline: Date?
    package internal(set) var notifyManagerAt: Date?
    package internal(set) var reassignAt: Date?
    package internal(set) var attemptWindowEndsAt: Date?
    package internal(set) var firstTouchAt: Date?
    /// Business seconds from the hand-off to the first touch, in the assigned rep's calendar.
    package internal(set) var speedToContact: TimeInterval?
    package internal(set) var attempts = 0
    package internal(set) var firstTouchBreached = false
    package internal(set) var managerNotified = false
    package internal(set) var reassignRequested = false
    package internal(set) var cadenceChecked = false
    package internal(set) var nurtureAllowed = false
    package internal(set) var lastEventAt: Date?
    /// When the running pause began (nil when the clock runs), its reason and planned end.
    package internal(set) var pausedAt: Date?
    package internal(set) var pauseReason: String?
    package internal(set) var pausedUntil: Date?
    /// Business seconds this hand-off's clock stood still in finished pauses (left out of speed to contact).
    package internal(set) var pausedBusinessSeconds: TimeInterval = 0
    package internal(set) var disposition: DispositionOutcome?

    /// A lead that has not been handed off.
    package init(leadID: String) { self.leadID = leadID }

    /// The next instant at which a tick would change something (`nil` when nothing is scheduled),
    /// so a scheduler knows when to wake the machine.
    package var nextWakeUp: Date? {
        scheduledSteps.map(\.at).min()
    }

    /// Time-driven steps still to fire, in chain order.
    var scheduledSteps: [(step: Step, at: Date)] {
        guard phase == .awaitingFirstTouch || phase == .working else { return [] }
        // A paused clock schedules only its resume (none for an open-ended pause).
        if pausedAt != nil { return pausedUntil.map { [(.resume, $0)] } ?? [] }
        var steps: [(Step, Date)] = []
        if phase == .awaitingFirstTouch {
            if !firstTouchBreached, let at = firstTouchDeadline { steps.append((.breach, at)) }
            if !managerNotified, let at = notifyManagerAt { steps.append((.notifyManager, at)) }
            if !reassignRequested, let at = reassignAt { steps.append((.reassign, at)) }
        }
        if !cadenceChecked, let at = attemptWindowEndsAt { steps.append((.cadence, at)) }
        return steps
    }

    enum Step: Sendable { case breach, notifyManager, reassign, cadence, resume }

    /// Forgets the running pause (its stood-still time is accounted by the caller).
    mutating func endPause() {
        pausedAt = nil
        pauseReason = nil
        pausedUntil = nil
    }
}
