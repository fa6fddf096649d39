import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules

/// The body of a CRM sync POST (issue 21, item 16): every change of a lead's owner, stage, score
/// and SLA state, as structured records a CRM can map to fields without parsing sentences, from
/// an inbound event or from the SLA scheduler (reassignments, breaches, escalations).
///
/// ```json
/// {"event_id": "timer L1/handoff-1@2026-03-02T12:10:00Z", "lead_id": "L1", "source": "scheduler",
///  "changes": ["lead L1: reassigned from ana to rep 'cy'", …],
///  "records": [{"change": "owner", "at": "2026-03-02T12:10:00Z", "from": {"kind": "rep", "id": "ana"},
///               "to": {"kind": "rep", "id": "cy"}, "reason": "sla_reassignment"}, …]}
/// ```
/// `changes` keeps the plain sentences earlier versions sent (same key). A record's `change` is
/// `owner` (`from`, `to`: {kind: rep|fallback_queue, id}; `reason`: routed, parked,
/// sla_reassignment, handed_back, reassignment_voided, assigned_by_hand; `by` for the last two), `qualification`
/// (`stage`, `priority`, `rule`, `points`), `sla` (`state`: first_touch_due with `deadline` and
/// `priority`; breached with `breach` first_touch|attempt_cadence and `deadline`; escalated with
/// `step` remind-rep|notify-manager; step_voided with `step`, `fired_at`, `touch_at`; first_touch
/// with `rep`, `business_hours`, `within_sla`), `closed` (`reason`, `re_engage_on`), `merged`
/// (`merged_lead_id`, `rule` email|crm, `rep` whose hand-off of the merged lead closed) or
/// `unmerged` (`merged_lead_id`).
package struct CRMSyncPayload: Encodable, Sendable {
    package enum Source: Sendable, Hashable {
        /// An inbound event of this `type`.
        case event(type: String)
        /// An SLA step the scheduler fired.
        case scheduler

        var name: String {
            switch self {
            case .event: "event"
            case .scheduler: "scheduler"
            }
        }
    }

    /// Who holds a lead.
    package struct Holder: Encodable, Sendable, Hashable {
        package let kind: String
        package let id: String

        init(_ target: AssignmentTarget) {
            switch target {
            case .rep(let id): (kind, self.id) = ("rep", id)
            case .fallbackQueue(let name): (kind, self.id) = ("fallback_queue", name)
            }
        }
    }

    /// One change; members beyond `change` and `at` depend on the change (see the type's discussion).
    package struct Record: Encodable, Sendable, Hashable {
        package var change: String
        package var at: String
        package var from: Holder?
        package var to: Holder?
        package var reason: String?
        package var by: String?
        package var stage: String?
        package var priority: String?
        package var rule: String?
        package var points: Double?
        package var state: String?
        package var deadline: String?
        package var breach: String?
        package var step: String?
        package var firedAt: String?
        package var touchAt: String?
        package var rep: String?
        package var businessHours: Double?
        package var withinSLA: Bool?
        package var reEngageOn: String?
        /// For `merged` / `unmerged`: the other lead of the pair.
        package var mergedLeadID: String?

        init(change: String, at: Date) {
            self.change = change
            self.at = EventTime.format(at)
        }

        enum CodingKeys: String, CodingKey {
            case change, at, from, to, reason, by, stage, priority, rule, points, state, deadline, breach, step, rep
            case firedAt = "fired_at"
            case touchAt = "touch_at"
            case businessHours = "business_hours"
            case withinSLA = "within_sla"
            case reEngageOn = "re_engage_on"
            case mergedLeadID = "merged_lead_id"
        }
    }

    let eventID: String
    let leadID: String
    let source: String
    @Nullable var eventType: String?
    let changes: [String]
    let records: [Record]

    enum CodingKeys: String, CodingKey {
        case changes, records, source
        case eventID = "event_id"
        case leadID = "lead_id"
        case eventType = "event_type"
    }

    /// The payload for `effects`, or nil when none of them is a change the CRM keeps.
    init?(source: Source, id: String, leadID: String, effects: [EngineEffect]) {
        var records: [Record] = []
        var sentences: [String] = []
        var lastOwner: AssignmentTarget?
        // A reassignment to a queue is stored as the parking, then the reassignment: one owner change.
        let reassignedTo = Set(effects.compactMap { if case .reassigned(_, let to) = $0.kind { to } else { nil } })
        for effect in effects {
            if case .queued(let queue, _) = effect.kind, reassignedTo.contains(.fallbackQueue(queue)) { continue }
            guard let record = Self.record(effect, lastOwner: &lastOwner) else { continue }
            records.append(record)
            sentences.append(effect.summary)
        }
        guard !records.isEmpty else { return nil }
        eventID = id
        self.leadID = leadID
        self.source = source.name
        if case .event(let type) = source { eventType = type } else { eventType = nil }
        changes = sentences
        self.records = records
    }

    /// The record of one effect; `lastOwner` follows the owner changes within the payload, so a
    /// hand-off after a reassignment names where the lead came from.
    static func record(_ effect: EngineEffect, lastOwner: inout AssignmentTarget?) -> Record? {
        var r = Record(change: "owner", at: effect.at)
        func owner(from: AssignmentTarget?, to: AssignmentTarget, reason: String) {
            r.from = from.map(Holder.init)
            r.to = Holder(to)
            r.reason = reason
            lastOwner = to
        }
        switch effect.kind {
        case let .qualified(stage, priority, rule, points):
            r.change = "qualification"
            r.stage = stage.rawValue
            r.priority = priority.rawValue
            r.rule = rule
            r.points = points.isFinite ? points : nil
        case let .handedOff(rep, priority, deadline):
            // A routing carries the new owner; after a reassignment (which named it) only the clock.
            if lastOwner != .rep(rep) { owner(from: nil, to: .rep(rep), reason: "routed") } else { r.change = "sla" }
            r.state = "first_touch_due"
            r.deadline = EventTime.format(deadline)
            r.priority = priority.rawValue
        case let .queued(queue, _):
            owner(from: nil, to: .fallbackQueue(queue), reason: "parked")
        case let .reassigned(from, to):
            owner(from: .rep(from), to: to, reason: "sla_reassignment")
        case let .handedBack(rep, queue, _):
            owner(from: .rep(rep), to: .fallbackQueue(queue), reason: "handed_back")
            r.by = rep
        case let .reassignmentVoided(from, rep, _):
            owner(from: from, to: .rep(rep), reason: "reassignment_voided")
        case let .assignedByHand(rep, from, by):
            owner(from: from, to: .rep(rep), reason: "assigned_by_hand")
            r.by = by
        case let .breach(rep, kind, deadline):
            r.change = "sla"
            r.state = "breached"
            r.rep = rep
            r.deadline = EventTime.format(deadline)
            switch kind {
            case .firstTouch: r.breach = "first_touch"
            case .attemptCadence: r.breach = "attempt_cadence"
            }
        case let .reminder(rep, _):
            r.change = "sla"
            r.state = "escalated"
            r.step = "remind-rep"
            r.rep = rep
        case let .managerNotified(rep, _, _):
            r.change = "sla"
            r.state = "escalated"
            r.step = "notify-manager"
            r.rep = rep
        case let .escalationVoided(rep, action, firedAt, touchAt):
            r.change = "sla"
            r.state = "step_voided"
            r.step = action
            r.rep = rep
            r.firedAt = EventTime.format(firedAt)
            r.touchAt = EventTime.format(touchAt)
        case let .firstTouch(rep, seconds, within):
            r.change = "sla"
            r.state = "first_touch"
            r.rep = rep
            r.businessHours = seconds.isFinite ? seconds / 3600 : nil
            r.withinSLA = within
        case let .closed(reason, reEngage):
            r.change = "closed"
            r.reason = reason
            r.reEngageOn = reEngage?.description
        case let .slaPaused(reason, until):
            r.change = "sla"
            r.state = "paused"
            r.reason = reason
            r.deadline = until.map(EventTime.format)
        case .slaResumed:
            r.change = "sla"
            r.state = "resumed"
        case let .merged(merged, rule, closed):
            r.change = "merged"
            r.mergedLeadID = merged
            r.rule = rule
            r.rep = closed
        case let .unmerged(merged):
            r.change = "unmerged"
            r.mergedLeadID = merged
        case .assist, .returnToNurtureAllowed:
            return nil
        }
        return r
    }
}
