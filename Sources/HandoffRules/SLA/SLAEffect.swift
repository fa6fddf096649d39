import Foundation

/// Something that happens to a lead's SLA, fed to ``SLAClock/transition(_:_:at:)``.
package enum SLAEvent: Sendable, Hashable {
    /// Assigned to `repID` under the policy named `policy` (`high` / `standard`). Sent again
    /// after a reassignment, with the new rep.
    case handedOff(repID: String, policy: String)
    /// A sales manager handed the lead to `repID` by hand: a hand-off whose first-touch clock
    /// starts afresh, whatever earlier reps did (their attempts stay in the record).
    case assignedByHand(repID: String, policy: String)
    /// The holder `repID` handed the lead back to the fallback queue: their hand-off ends
    /// untouched by further steps (no breach, reminder or reassignment fires after it) until
    /// the lead is handed off again.
    case handedBack(repID: String)
    /// The clock stops for `reason` (the rep is out of office, the prospect asked to be called
    /// on a date, the lead waits for enrichment) until `until`, or until ``resumed`` when nil.
    case paused(reason: String, until: Date?)
    /// A pause ends early.
    case resumed
    /// A rep tried to reach the prospect.
    case contactAttempt(ContactAttempt)
    /// The rep closed the hand-off with a disposition code.
    case disposition(code: String)
    /// Time passed; fires any escalation step now due.
    case tick

    /// A hand-off (by the router or by hand): the only event that reopens a closed lead.
    package var isHandoff: Bool {
        switch self {
        case .handedOff, .assignedByHand: true
        default: false
        }
    }

    var name: String {
        switch self {
        case .handedOff: "hand-off"
        case .assignedByHand: "assignment by hand"
        case .handedBack: "hand-back"
        case .paused: "pause"
        case .resumed: "resume"
        case .contactAttempt: "contact attempt"
        case .disposition(let code): "disposition `\(code)`"
        case .tick: "clock tick"
        }
    }
}

/// A recorded SLA breach.
package struct SLABreach: Sendable, Hashable, Codable {
    package enum Kind: Sendable, Hashable, Codable {
        /// No first touch by the deadline.
        case firstTouch
        /// Fewer than the minimum attempts when the attempt window closed.
        case attemptCadence(made: Int, required: Int)
    }

    package let leadID: String
    package let repID: String
    package let kind: Kind
    /// The promised instant that passed.
    package let deadline: Date
}

/// What the caller must do after a transition; the machine itself never sends anything.
package enum SLAEffect: Sendable, Hashable {
    /// The first-touch clock started: touch by `deadline`.
    case firstTouchDue(leadID: String, repID: String, deadline: Date)
    /// Record a breach.
    case breachRecorded(SLABreach)
    /// `repID` attempted a lead that `ownerID` holds: recorded as an assist; the owner's clock runs on.
    case assist(leadID: String, repID: String, ownerID: String)
    /// Remind the rep the lead is waiting.
    case remindRep(leadID: String, repID: String, overdueSince: Date)
    /// Tell the rep's manager (`nil`: the rep has no manager on file; send to the fallback queue's owner).
    case notifyManager(leadID: String, repID: String, manager: String?, breach: SLABreach.Kind)
    /// The rep handed the lead back: its clock stopped with no first touch pending.
    case handedBack(leadID: String, repID: String)
    /// The clock stopped for `reason` until `until` (or a resume).
    case paused(leadID: String, reason: String, until: Date?)
    /// The clock runs again; its remaining deadlines moved by the business time it stood still.
    case resumed(leadID: String, pausedBusinessSeconds: TimeInterval)
    /// Take the lead from the rep and route it again, excluding them; then send `.handedOff`.
    case reassign(leadID: String, fromRepID: String)
    /// The first touch happened; speed-to-contact in business seconds.
    case firstTouch(leadID: String, repID: String, speedToContact: TimeInterval, withinSLA: Bool)
    /// Enough attempts were made: the rep may now return the lead to nurture as `unresponsive`.
    case returnToNurtureAllowed(leadID: String, attempts: Int)
    /// The hand-off was closed with a disposition.
    case closed(leadID: String, outcome: DispositionOutcome)
}

/// A transition's result: the next state and the effects, in the order they happened.
package struct SLATransition: Sendable, Hashable {
    package let state: SLAState
    package let effects: [SLAEffect]
}
