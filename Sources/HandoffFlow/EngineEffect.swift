import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// Something the engine did or wants delivered, at an instant of (possibly simulated) time.
///
/// The kinds marked "alert" are also stored as ``AlertRecord``s (kind in brackets) for the
/// service to deliver: a lead parked in the fallback queue (`fallback-queue`), a new
/// high-priority hand-off (`new-high-priority`), a reminder to the rep (`sla-reminder`), a
/// manager notification (`manager-notification`), a reassignment (`reassignment`), a lead handed
/// back to the queue by its rep (`handed-back`, to the queue), a reassignment
/// undone by a late touch (`reassignment-voided`, to the former holder) and a lead assigned by
/// hand away from its holder (`assigned-by-hand`, to the former holder).
package struct EngineEffect: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// The lead was scored and qualified.
        case qualified(stage: QualificationStage, priority: HandoffPriority, rule: String?, points: Double)
        /// Handed off to a rep; first touch due by `deadline` (alert when `priority` is high).
        case handedOff(repID: String, priority: HandoffPriority, deadline: Date)
        /// No rule or rep could place the lead: it waits in `queue` (alert).
        case queued(queue: String, reason: String)
        /// An SLA breach was recorded (`firstTouch`, or attempt cadence short of the minimum).
        case breach(repID: String, kind: SLABreach.Kind, deadline: Date)
        /// The rep is reminded that the lead is waiting (alert).
        case reminder(repID: String, overdueSince: Date)
        /// The rep's manager is told (alert); `manager` nil when none is on file.
        case managerNotified(repID: String, manager: String?, breach: SLABreach.Kind)
        /// Taken from `fromRepID` and routed again (alert).
        case reassigned(fromRepID: String, to: AssignmentTarget)
        /// `repID`, who held the lead, handed it back to `queue` (a `release` event: a push
        /// alert's *Reassign to triage*), saying why when they did (alert, to the queue).
        case handedBack(repID: String, queue: String, reason: String?)
        /// The SLA clock stopped for `reason` until `until` (or a resume).
        case slaPaused(reason: String, until: Date?)
        /// The SLA clock runs again; its deadlines moved by the business seconds it stood still.
        case slaResumed(pausedBusinessSeconds: TimeInterval)
        /// The first contact attempt, with speed-to-contact in business seconds.
        case firstTouch(repID: String, businessSeconds: TimeInterval, withinSLA: Bool)
        /// `repID` attempted a lead `ownerID` holds: an assist, which does not stop the owner's clock.
        case assist(repID: String, ownerID: String)
        /// A first-touch escalation step (`action`, e.g. "remind-rep") fired at `firedAt` is void:
        /// `repID`'s touch at `touchAt` happened before it and arrived only now (CRM lag).
        case escalationVoided(repID: String, action: String, firedAt: Date, touchAt: Date)
        /// The automatic reassignment away from `backTo` is undone, because its touch at
        /// `touchAt` arrived late: the lead leaves `from` (a rep or queue; alert) and returns to them.
        case reassignmentVoided(from: AssignmentTarget, backTo: String, touchAt: Date)
        /// A sales manager (`by`) handed the lead to `repID`, from `from` (a rep or queue; nil
        /// when it was held by no one). The rep's first-touch clock starts now (its own effect).
        case assignedByHand(repID: String, from: AssignmentTarget?, by: String)
        /// Enough attempts were made for an `unresponsive` disposition.
        case returnToNurtureAllowed(attempts: Int)
        /// The hand-off ended: a disposition (code), or `won` / `lost`.
        case closed(reason: String, reEngageOn: LocalDate?)
        /// Another lead of the same person became part of this one (`rule`: `email` or `crm`);
        /// `closedHandoffOf` names the rep whose hand-off of the merged lead the merge closed.
        case merged(mergedLeadID: String, rule: String, closedHandoffOf: String?)
        /// A merge into this lead was undone.
        case unmerged(mergedLeadID: String)
    }

    package let leadID: String
    package let at: Date
    package let kind: Kind

    package init(leadID: String, at: Date, kind: Kind) {
        self.leadID = leadID
        self.at = at
        self.kind = kind
    }

    /// The alert kind stored for this effect, or nil when it is not delivered to anyone.
    package var alertKind: String? {
        switch kind {
        case .queued: "fallback-queue"
        case .handedOff(_, let priority, _): priority == .high ? "new-high-priority" : nil
        case .reminder: "sla-reminder"
        case .managerNotified: "manager-notification"
        case .reassigned: "reassignment"
        case .handedBack: "handed-back"
        case .reassignmentVoided: "reassignment-voided"
        case .assignedByHand(_, let from, _): from == nil ? nil : "assigned-by-hand"
        default: nil
        }
    }

    /// Who the alert goes to: the rep, the manager (or the fallback queue when none is on file), the queue.
    func alertTarget(fallbackQueue: String) -> String {
        switch kind {
        case .queued(let queue, _), .handedBack(_, let queue, _): queue
        case .handedOff(let rep, _, _), .reminder(let rep, _): rep
        case .managerNotified(_, let manager, _): manager ?? fallbackQueue
        case .reassigned(_, let to), .reassignmentVoided(let to, _, _), .assignedByHand(_, .some(let to), _):
            switch to {
            case .rep(let id): id
            case .fallbackQueue(let name): name
            }
        default: fallbackQueue
        }
    }

    /// A short plain-words line, for summaries and alert payloads (ids only, no lead fields).
    package var summary: String {
        func t(_ d: Date) -> String { EventTime.format(d) }
        switch kind {
        case let .qualified(stage, priority, rule, points):
            return "lead \(leadID) qualified \(stage.rawValue) (\(priority.rawValue)) by \(rule ?? "no rule") at \(points.wholeText) points"
        case let .handedOff(rep, priority, deadline):
            return "lead \(leadID) handed off to \(rep) (\(priority.rawValue)); first touch due \(t(deadline))"
        case let .queued(queue, reason):
            return "lead \(leadID) parked in \(queue): \(reason)"
        case let .breach(rep, kind, deadline):
            switch kind {
            case .firstTouch: return "lead \(leadID): \(rep) missed the first-touch deadline \(t(deadline))"
            case let .attemptCadence(made, required):
                return "lead \(leadID): \(rep) made \(made) of \(required) attempts by \(t(deadline))"
            }
        case let .reminder(rep, since):
            return "lead \(leadID): reminded \(rep) (overdue since \(t(since)))"
        case let .managerNotified(rep, manager, _):
            return "lead \(leadID): notified \(manager ?? "the fallback queue owner") about \(rep)"
        case let .reassigned(from, to):
            return "lead \(leadID): reassigned from \(from) to \(to)"
        case let .slaPaused(reason, until):
            return "lead \(leadID): SLA clock paused (\(reason))" + (until.map { " until \(t($0))" } ?? " until resumed")
        case let .slaResumed(seconds):
            return
                "lead \(leadID): SLA clock resumed after \(String(format: "%.2f", seconds / 3600)) business hours paused; its deadlines moved by as much"
        case let .handedBack(rep, queue, reason):
            return "lead \(leadID): handed back to \(queue) by \(rep)" + (reason.map { ": \($0)" } ?? "")
        case let .firstTouch(rep, seconds, within):
            return
                "lead \(leadID): first touch by \(rep) after \(String(format: "%.2f", seconds / 3600)) business hours (\(within ? "within" : "outside") SLA)"
        case let .assist(rep, owner):
            return "lead \(leadID): attempt by \(rep) recorded as an assist; \(owner) owns the lead and the first-touch clock runs on"
        case let .escalationVoided(rep, action, firedAt, touchAt):
            return "lead \(leadID): \(action) of \(t(firedAt)) voided: \(rep)'s first touch at \(t(touchAt)) came before it and arrived late"
        case let .reassignmentVoided(from, rep, touchAt):
            return
                "lead \(leadID): back from \(from) to \(rep), whose first touch at \(t(touchAt)) arrived after the reassignment; the reassignment is void"
        case let .assignedByHand(rep, from, by):
            return "lead \(leadID): assigned by hand to \(rep) by \(by)\(from.map { " (from \($0))" } ?? "")"
        case let .returnToNurtureAllowed(attempts):
            return "lead \(leadID): \(attempts) attempts made, may return to nurture"
        case let .closed(reason, reEngage):
            return "lead \(leadID): closed (\(reason))\(reEngage.map { ", re-engage on \($0)" } ?? "")"
        case let .merged(merged, rule, closed):
            return "lead \(leadID): lead \(merged) merged into it (\(rule))\(closed.map { "; \($0)'s hand-off of \(merged) closed" } ?? "")"
        case let .unmerged(merged):
            return "lead \(leadID): lead \(merged) unmerged from it"
        }
    }
}

/// What ``HandoffEngine/apply(_:receivedAt:extra:)`` did with one event.
package struct ApplyResult: Sendable, Hashable {
    package enum Status: String, Sendable, Hashable {
        /// Stored, with everything it caused.
        case applied
        /// Its id was stored before: nothing changed.
        case duplicate
    }

    package let eventID: String
    package let status: Status
    /// What happened, in order (empty for a duplicate).
    package let effects: [EngineEffect]
    /// The hand-off package of every hand-off to a rep the event caused (at most one per event;
    /// empty for a duplicate or a lead parked in a fallback queue).
    /// ``HandoffEngine/package(leadID:)`` rebuilds the same package from the store later.
    package let packages: [HandoffPackage]
    /// The model fields the lead still lacks: non-empty when the event left it stored but
    /// incomplete (not scored; see ``HandoffEngine``), empty otherwise.
    package let missingFields: [String]

    init(eventID: String, status: Status, effects: [EngineEffect], packages: [HandoffPackage] = [], missingFields: [String] = []) {
        self.eventID = eventID
        self.status = status
        self.effects = effects
        self.packages = packages
        self.missingFields = missingFields
    }

    // Packages follow from the effects' hand-offs, so hashing leaves them out (equality keeps them).
    package func hash(into hasher: inout Hasher) {
        hasher.combine(eventID)
        hasher.combine(status)
        hasher.combine(effects)
    }
}
