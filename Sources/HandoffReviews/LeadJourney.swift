import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// One lead's path through the hand-off, reduced from its stored records to the instants and
/// attributes the measures need. Built by ``LeadJourney/build(from:)``; every measure is a pure
/// function of journeys, so it is tested on constructed records without a database.
package struct LeadJourney: Sendable, Hashable {
    package var lead: LeadRecord
    /// First assignment to a rep or queue (the hand-off); nil when never handed off.
    package var handoffAt: Date?
    /// The rep of the first assignment; nil for a fallback queue or no hand-off.
    package var repID: String?
    /// The fallback queue of the first assignment, if it went to one (parked at hand-off).
    package var queue: String?
    /// First time the lead was parked in a fallback queue (at hand-off, or after a reassignment
    /// found nobody); nil when it never was. Parking is a routing/capacity failure, not a rep's miss.
    package var parkedAt: Date?
    /// The queue of that parking.
    package var parkedQueue: String?
    /// When that parking ended (its queue assignment closed); nil while still parked.
    package var unparkedAt: Date?
    /// First assignment to a rep after that parking, if any.
    package var repAssignedAfterParkingAt: Date?
    /// That rep.
    package var repAfterParkingID: String? = nil
    /// Priority of the qualification decision behind the hand-off (latest at or before it).
    package var priority: HandoffPriority?
    /// Stage of that decision.
    package var handoffStage: QualificationStage?
    /// True when that decision carries evidence (a JSON object or array that is not empty).
    package var hasEvidence: Bool
    /// First decision at MQL or SQL, first decision at SQL.
    package var mqlAt: Date?
    package var sqlAt: Date?
    /// Score at the hand-off (latest at or before it; else the lead's first score).
    package var score: ScoreRecord?
    /// First contact attempt at or after the hand-off (when it happened, the SLA's time).
    package var firstTouchAt: Date?
    /// When that attempt reached Baton (its event's journal time); later than ``firstTouchAt`` by
    /// the CRM's lag. Nil when the journal has no row for it (imported history).
    package var firstTouchArrivedAt: Date?
    /// Contact attempts at or after the hand-off.
    package var attemptCount: Int
    /// SLA policy (first timer's policy; else the decision's priority).
    package var policy: String?
    /// The lead's SLA timers.
    package var timers: [SLATimerRecord]
    /// The latest disposition's code and time.
    package var dispositionCode: String?
    package var dispositionAt: Date?
    /// First opportunity opened.
    package var opportunityAt: Date?
    /// First won outcome, its amounts; first lost outcome.
    package var wonAt: Date?
    package var wonAmounts: [Money]
    package var lostAt: Date?
    /// Stretches the SLA clock stood still (`sla_pause` to its `until`, or an earlier
    /// `sla_resume`), in time order: left out of speed to contact, as the SLA clock leaves them out.
    package var pauses: [DateInterval] = []

    /// Journeys for every lead in `batch` that has a lead row, in lead creation order.
    /// - Parameter touchesFrom: reps whose attempts are touches on any lead (`sla.touches_from`);
    ///   any other attempt counts only when its rep owned the lead at that moment.
    package static func build(from batch: ActivityBatch, touchesFrom: Set<String> = []) -> [LeadJourney] {
        func group<T>(_ rows: [T], _ key: (T) -> String) -> [String: [T]] { Dictionary(grouping: rows, by: key) }
        let scores = group(batch.scores, \.leadID), decisions = group(batch.decisions, \.leadID)
        let assignments = group(batch.assignments, \.leadID), timers = group(batch.timers, \.leadID)
        let attempts = group(batch.contactAttempts, \.leadID), dispositions = group(batch.dispositions, \.leadID)
        // Arrival times of the attempts (the journal row shares the attempt's event id).
        let attemptIDs = Set(batch.contactAttempts.map(\.id))
        let arrivals = Dictionary(
            batch.events.lazy.filter { attemptIDs.contains($0.id) }.map { ($0.id, $0.receivedAt) }, uniquingKeysWith: { a, _ in a })
        let opportunities = group(batch.opportunities, \.leadID), outcomes = group(batch.outcomes, \.leadID)
        let pauses = Self.pauses(batch.events)
        return batch.leads.map { lead in
            var journey = build(
                lead: lead, scores: scores[lead.id] ?? [], decisions: decisions[lead.id] ?? [],
                assignments: assignments[lead.id] ?? [], timers: timers[lead.id] ?? [],
                attempts: attempts[lead.id] ?? [], dispositions: dispositions[lead.id] ?? [],
                opportunities: opportunities[lead.id] ?? [], outcomes: outcomes[lead.id] ?? [], touchesFrom: touchesFrom,
                arrivals: arrivals)
            journey.pauses = pauses[lead.id] ?? []
            return journey
        }
    }

    /// The SLA pauses in journal rows, per lead: from each `sla_pause` to its `until`, or to the
    /// lead's next `sla_resume` when sooner (a contact attempt ends one too; the speed measures stop
    /// at the first touch anyway).
    static func pauses(_ events: [EngagementEventRecord]) -> [String: [DateInterval]] {
        struct Until: Decodable { let until: String? }
        var result: [String: [DateInterval]] = [:]
        let rows = events.filter { $0.type == "sla_pause" || $0.type == "sla_resume" }.sorted { $0.occurredAt < $1.occurredAt }
        for (i, row) in rows.enumerated() where row.type == "sla_pause" {
            guard let text = (try? row.payload.decode(Until.self))?.until, let seconds = RFC3339.secondsSince1970(text) else { continue }
            var end = Date(timeIntervalSince1970: seconds)
            if let resume = rows[(i + 1)...].first(where: { $0.leadID == row.leadID && $0.type == "sla_resume" }) {
                end = min(end, resume.occurredAt)
            }
            guard end > row.occurredAt else { continue }
            result[row.leadID, default: []].append(DateInterval(start: row.occurredAt, end: end))
        }
        return result
    }

    /// Business seconds from `start` to `end` in `calendar`, less the pauses within.
    func businessSeconds(from start: Date, to end: Date, in calendar: BusinessTimeCalendar) -> Double {
        var seconds = calendar.businessSeconds(from: start, to: end)
        for pause in pauses {
            let from = max(pause.start, start), to = min(pause.end, end)
            if to > from { seconds -= calendar.businessSeconds(from: from, to: to) }
        }
        return max(0, seconds)
    }

    /// One journey from one lead's records (any order; they are sorted here).
    package static func build(
        lead: LeadRecord, scores: [ScoreRecord] = [], decisions: [QualificationDecisionRecord] = [],
        assignments: [AssignmentRecord] = [], timers: [SLATimerRecord] = [],
        attempts: [ContactAttemptRecord] = [], dispositions: [DispositionRecord] = [],
        opportunities: [OpportunityRecord] = [], outcomes: [OutcomeRecord] = [], touchesFrom: Set<String> = [],
        arrivals: [String: Date] = [:]
    ) -> LeadJourney {
        let decisions = decisions.sorted { $0.decidedAt < $1.decidedAt }
        let first = assignments.min { $0.assignedAt < $1.assignedAt }
        let handoffAt = first?.assignedAt
        let decision = handoffAt.flatMap { at in decisions.last { $0.decidedAt <= at } } ?? decisions.last
        let sortedScores = scores.sorted { $0.scoredAt < $1.scoredAt }
        let score = handoffAt.flatMap { at in sortedScores.last { $0.scoredAt <= at } } ?? sortedScores.first
        // A touch is an attempt by the rep who owned the lead at that moment (or one of
        // `touchesFrom`); another rep's attempt is an assist, as the SLA clock counts it.
        let owned = assignments.sorted { ($0.assignedAt, $0.rowID ?? 0) < ($1.assignedAt, $1.rowID ?? 0) }
        func ownsOrPools(_ attempt: ContactAttemptRecord) -> Bool {
            // No rep on the attempt (imported history) or no assignment on record: nothing to check against.
            guard let rep = attempt.repID, !owned.isEmpty else { return true }
            if touchesFrom.contains(rep) { return true }
            let holder = owned.last { $0.assignedAt <= attempt.attemptedAt }
            return holder?.repID == attempt.repID
        }
        let touchRecords = attempts.filter { attempt in (handoffAt.map { attempt.attemptedAt >= $0 } ?? true) && ownsOrPools(attempt) }
            .sorted { $0.attemptedAt < $1.attemptedAt }
        let touches = touchRecords.map(\.attemptedAt)
        let lastDisposition = dispositions.max { $0.decidedAt < $1.decidedAt }
        let sortedTimers = timers.sorted { $0.startedAt < $1.startedAt }
        var queue: String?
        if case let .fallbackQueue(name)? = first?.target { queue = name }
        let byTime = assignments.sorted { ($0.assignedAt, $0.rowID ?? 0) < ($1.assignedAt, $1.rowID ?? 0) }
        let parking = byTime.first { if case .fallbackQueue = $0.target { true } else { false } }
        var parkedQueue: String?
        if case let .fallbackQueue(name)? = parking?.target { parkedQueue = name }
        let repAfter = parking.flatMap { p in byTime.first { $0.repID != nil && $0.assignedAt >= p.assignedAt } }
        let won = outcomes.filter { $0.result == .won }.sorted { $0.closedAt < $1.closedAt }
        var journey = LeadJourney(
            lead: lead, handoffAt: handoffAt, repID: first?.repID, queue: queue,
            parkedAt: parking?.assignedAt, parkedQueue: parkedQueue, unparkedAt: parking?.unassignedAt,
            repAssignedAfterParkingAt: repAfter?.assignedAt, priority: decision?.priority,
            handoffStage: decision?.stage, hasEvidence: decision.map { hasContent($0.evidence) } ?? false,
            mqlAt: decisions.first { $0.stage != .nurture }?.decidedAt, sqlAt: decisions.first { $0.stage == .sql }?.decidedAt,
            score: score, firstTouchAt: touches.first, firstTouchArrivedAt: touchRecords.first.flatMap { arrivals[$0.id] },
            attemptCount: touches.count,
            policy: sortedTimers.first?.policy ?? decision?.priority.slaPolicyName, timers: sortedTimers,
            dispositionCode: lastDisposition?.code, dispositionAt: lastDisposition?.decidedAt,
            opportunityAt: opportunities.map(\.openedAt).min(), wonAt: won.first?.closedAt, wonAmounts: won.map(\.amount),
            lostAt: outcomes.filter { $0.result == .lost }.map(\.closedAt).min())
        journey.repAfterParkingID = repAfter?.repID
        return journey
    }

    /// When the lead first reached a rep (its hand-off to a rep, or the first rep after its
    /// parking in a queue), and that rep; nil when no rep has had it.
    package var firstRep: (id: String, at: Date)? {
        if let repID, let handoffAt { return (repID, handoffAt) }
        if let id = repAfterParkingID, let at = repAssignedAfterParkingAt { return (id, at) }
        return nil
    }

    /// A string field of the lead's JSON (numbers and booleans as text); nil when absent or null.
    package func field(_ name: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(lead.fields.text.utf8)) as? [String: Any],
            let value = object[name], !(value is NSNull)
        else { return nil }
        if let text = value as? String { return text.isEmpty ? nil : text }
        return "\(value)"
    }

    /// Whether the journey converted (won) by `asOf`.
    package func isWon(by asOf: Date) -> Bool { wonAt.map { $0 <= asOf } ?? false }

    private static func hasContent(_ json: JSONText) -> Bool {
        let text = json.text.filter { !$0.isWhitespace }
        return !(text.isEmpty || text == "{}" || text == "[]" || text == "null" || text == "\"\"")
    }
}
