import Foundation

/// The SLA half of the decision ledger: one transition of a lead's first-touch clock, with the
/// business time it ran in the owner's calendar.
///
/// `elapsed` lists the open stretches of the rep's working hours from the hand-off to this
/// transition (or to the first touch, once there is one: the clock stops there), `remaining`
/// those from this transition to the first-touch deadline while the clock still runs, so a
/// reader sees where the clock ran and where it will: a 1-hour target handed off on Friday at
/// 16:30 in a 09:00–17:00 calendar shows 30 minutes on Friday and 30 on Monday.
package struct SLAExplanation: Sendable, Hashable, Codable {
    /// One open stretch of business time.
    package struct Segment: Sendable, Hashable, Codable {
        package let from: String
        package let to: String
        package let businessSeconds: Double

        package init(from: String, to: String, businessSeconds: Double) {
            self.from = from
            self.to = to
            self.businessSeconds = businessSeconds
        }

        enum CodingKeys: String, CodingKey {
            case from, to
            case businessSeconds = "business_seconds"
        }
    }

    /// `hand_off`, `assigned_by_hand`, `handed_back`, `contact_attempt`, `disposition` or `tick` (time passed).
    package let event: String
    /// The lead's owner after the transition (nil before any hand-off); for `handed_back`, the
    /// rep who gave it back (whose clock the segments show up to the hand-back).
    package let repID: String?
    /// The SLA policy (`high`, `standard`).
    package let policy: String?
    /// Clock phase before and after: `pending`, `awaiting_first_touch`, `working`, `closed`.
    package let phaseBefore: String
    package let phaseAfter: String
    package let handedOffAt: String?
    package let firstTouchDeadline: String?
    package let firstTouchAt: String?
    /// The rep's time zone the working hours are read in.
    package let timeZone: String?
    /// Business seconds the clock ran from the hand-off to this transition (or to the first touch).
    package let elapsedBusinessSeconds: Double
    /// Business seconds still to run before the deadline (0 once touched or past it).
    package let remainingBusinessSeconds: Double
    package let elapsed: [Segment]
    package let remaining: [Segment]
    /// What the transition did, in order: `first_touch_due`, `breach`, `remind_rep`,
    /// `notify_manager`, `reassign`, `handed_back`, `first_touch`, `assist`, `nurture_allowed`, `closed`.
    package let effects: [String]

    enum CodingKeys: String, CodingKey {
        case event, policy, elapsed, remaining, effects
        case repID = "rep_id"
        case phaseBefore = "phase_before"
        case phaseAfter = "phase_after"
        case handedOffAt = "handed_off_at"
        case firstTouchDeadline = "first_touch_deadline"
        case firstTouchAt = "first_touch_at"
        case timeZone = "time_zone"
        case elapsedBusinessSeconds = "elapsed_business_seconds"
        case remainingBusinessSeconds = "remaining_business_seconds"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(event, forKey: .event)
        try c.encode(repID, forKey: .repID)
        try c.encode(policy, forKey: .policy)
        try c.encode(phaseBefore, forKey: .phaseBefore)
        try c.encode(phaseAfter, forKey: .phaseAfter)
        try c.encode(handedOffAt, forKey: .handedOffAt)
        try c.encode(firstTouchDeadline, forKey: .firstTouchDeadline)
        try c.encode(firstTouchAt, forKey: .firstTouchAt)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(elapsedBusinessSeconds, forKey: .elapsedBusinessSeconds)
        try c.encode(remainingBusinessSeconds, forKey: .remainingBusinessSeconds)
        try c.encode(elapsed, forKey: .elapsed)
        try c.encode(remaining, forKey: .remaining)
        try c.encode(effects, forKey: .effects)
    }

    /// Explains `transition` from `before` on `event` at `instant`, reading business time in the
    /// owner's calendar from `roster`.
    package init(before: SLAState, event: SLAEvent, transition: SLATransition, at instant: Date, roster: RepRoster) {
        let after = transition.state
        self.event =
            switch event {
            case .handedOff: "hand_off"
            case .assignedByHand: "assigned_by_hand"
            case .handedBack: "handed_back"
            case .paused: "paused"
            case .resumed: "resumed"
            case .contactAttempt: "contact_attempt"
            case .disposition: "disposition"
            case .tick: "tick"
            }
        let owner: String?
        if case .handedBack(let rep) = event { owner = rep } else { owner = after.repID }
        repID = owner
        policy = after.policyName
        phaseBefore = before.phase.rawValue
        phaseAfter = after.phase.rawValue
        handedOffAt = after.handedOffAt.map(LedgerTime.text)
        firstTouchDeadline = after.firstTouchDeadline.map(LedgerTime.text)
        firstTouchAt = after.firstTouchAt.map(LedgerTime.text)
        let calendar = owner.flatMap { roster.rep($0)?.calendar }
        timeZone = calendar?.timeZone.identifier
        func segments(_ from: Date, _ to: Date) -> [Segment] {
            (calendar?.businessSegments(from: from, to: to) ?? []).map {
                Segment(from: LedgerTime.text($0.start), to: LedgerTime.text($0.end), businessSeconds: $0.duration)
            }
        }
        if let calendar, let start = after.handedOffAt {
            // The clock stops at the first touch of this hand-off.
            let touched = after.firstTouchAt.flatMap { $0 >= start ? $0 : nil }
            let stop = touched.map { min($0, instant) } ?? instant
            elapsed = segments(start, stop)
            elapsedBusinessSeconds = calendar.businessTime(from: start, to: max(start, stop))
            if touched == nil, after.phase == .awaitingFirstTouch, let deadline = after.firstTouchDeadline, deadline > instant {
                remaining = segments(max(instant, start), deadline)
                remainingBusinessSeconds = calendar.businessTime(from: max(instant, start), to: deadline)
            } else {
                remaining = []
                remainingBusinessSeconds = 0
            }
        } else {
            elapsed = []
            remaining = []
            elapsedBusinessSeconds = 0
            remainingBusinessSeconds = 0
        }
        effects = transition.effects.map(Self.code)
    }

    static func code(_ effect: SLAEffect) -> String {
        switch effect {
        case .firstTouchDue: "first_touch_due"
        case .breachRecorded(let breach):
            switch breach.kind {
            case .firstTouch: "breach"
            case .attemptCadence: "cadence_breach"
            }
        case .assist: "assist"
        case .remindRep: "remind_rep"
        case .notifyManager: "notify_manager"
        case .reassign: "reassign"
        case .handedBack: "handed_back"
        case .paused: "paused"
        case .resumed: "resumed"
        case .firstTouch: "first_touch"
        case .returnToNurtureAllowed: "nurture_allowed"
        case .closed: "closed"
        }
    }

    /// One line: the event and the clock after it.
    package var summary: String {
        let hours = { (seconds: Double) in String(format: "%.2f", seconds / 3600) }
        let who = repID.map { " (\($0))" } ?? ""
        var text = "\(event.replacingOccurrences(of: "_", with: " "))\(who): \(phaseBefore) → \(phaseAfter)"
        text += ", \(hours(elapsedBusinessSeconds)) business h elapsed"
        if remainingBusinessSeconds > 0 { text += ", \(hours(remainingBusinessSeconds)) h left" }
        if !effects.isEmpty { text += " [\(effects.joined(separator: ", "))]" }
        return text
    }
}
