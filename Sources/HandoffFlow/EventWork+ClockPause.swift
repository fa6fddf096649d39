import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// `sla_pause` and `sla_resume` (issue 16): a lead's first-touch clock stops with an audited
/// reason (the rep is out of office mid-SLA, the prospect asked to be called on a date, the lead
/// waits for enrichment) and runs again at `until` (required, so the scheduler always wakes
/// it), at an earlier `sla_resume`, or at the rep's next contact attempt. Deadlines still ahead move by the business time the clock stood still, that
/// time is left out of speed to contact, and the decision ledger records both transitions.
/// Only a running clock pauses (a lead handed off, not closed); the event is journaled, so the
/// clock folded from the store replays it.
extension EventWork {
    mutating func clock(_ pause: InboundEvent.ClockPause) async throws(EngineError) {
        guard slaActive else {
            throw .invalidField(
                eventID: id, field: "lead_id",
                problem:
                    "lead '\(event.leadID)' has no running SLA clock to \(event.kind == .slaPause ? "pause" : "resume") (not handed off to a rep, or closed)"
            )
        }
        let sla: SLAEvent = event.kind == .slaPause ? .paused(reason: pause.reason ?? "", until: pause.until) : .resumed
        if event.kind == .slaResume, lead.sla.pausedAt == nil {
            throw .invalidField(eventID: id, field: "type", problem: "lead '\(event.leadID)''s SLA clock is not paused; nothing to resume")
        }
        if let until = pause.until, until <= instant {
            throw .invalidField(
                eventID: id, field: "until",
                problem: "the pause would end at \(EventTime.format(until)), not after it starts (\(EventTime.format(instant)))")
        }
        try await lead.slaEvent(sla, at: instant)
    }
}
