import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffRules
import TestSupport

let model = ModelVersion(sha256: String(repeating: "a", count: 64), format: "baton.weights/1")

func json(_ text: String) -> JSONText { try! JSONText(validating: text) }

/// A hand-built week, ISO 2025-W41 (Mon 2025-10-06 … Sun 2025-10-12, UTC), with answers worked
/// out by hand in the tests. r1 works 09–17 UTC Mon–Fri (active); r2 has left.
///
/// | lead | src/campaign | p    | stage/priority | evidence | hand-off        | first touch     | business h |
/// | L1   | web / c1     | 0.85 | sql / high     | yes      | Mon 09:00 r1    | Mon 09:30       | 0.5 met    |
/// | L2   | web / c1     | 0.50 | mql / standard | no ({})  | Mon 16:00 r1    | Tue 10:00       | 2 met      |
/// | L3   | ads / c2     | 0.30 | mql / standard | yes      | Tue 09:00 r2    | Wed 09:00       | 8 missed   |
/// | L4   | ads / c2     | 0.90 | sql / high     | yes      | Fri 16:30 r1    | none (as of Mon 13th 12:00: 3.5 h) | missed |
/// | L5   | web / c1     | 0.10 | mql / standard | yes      | Mon 13th 09:30  | —               | next week  |
/// | L6   | ads / —      | —    | —              | —        | —               | —               | —          |
enum WeekFixture {
    static let asOf = at("2025-10-13T12:00:00Z")
    static let reps = [
        RepRecord(id: "r1", name: "Rep One", timeZone: "UTC", updatedAt: at("2025-01-01T00:00:00Z")),
        RepRecord(
            id: "r2", name: "Rep Two", timeZone: "UTC", status: .left, leftAt: at("2025-10-10T00:00:00Z"), updatedAt: at("2025-10-10T00:00:00Z")),
    ]

    struct LeadRows {
        var lead: LeadRecord
        var score: ScoreRecord?
        var decision: QualificationDecisionRecord?
        var assignment: AssignmentRecord?
        var timer: SLATimerRecord?
        var attempts: [ContactAttemptRecord] = []
        var disposition: DispositionRecord?
        var opportunity: OpportunityRecord?
        var outcome: OutcomeRecord?
    }

    static func rows() -> [LeadRows] {
        func lead(_ id: String, _ source: String, _ campaign: String?, _ created: String) -> LeadRecord {
            LeadRecord(id: id, fields: json(#"{"industry":"retail"}"#), source: source, campaign: campaign, createdAt: at(created))
        }
        func score(_ id: String, _ p: Double, _ when: String) -> ScoreRecord {
            ScoreRecord(leadID: id, model: model, probability: p, points: 600, fitPoints: 300, engagementPoints: 300, scoredAt: at(when))
        }
        func decision(
            _ id: String, _ stage: QualificationStage, _ priority: HandoffPriority, _ evidence: String, _ when: String
        ) -> QualificationDecisionRecord {
            QualificationDecisionRecord(
                leadID: id, stage: stage, priority: priority, rule: "rule-\(priority.rawValue)", evidence: json(evidence), decidedAt: at(when))
        }
        func assign(_ id: String, _ rep: String, _ when: String) -> AssignmentRecord {
            AssignmentRecord(leadID: id, target: .rep(rep), rule: "round-robin", assignedAt: at(when))
        }
        func timer(
            _ id: String, _ policy: String, _ start: String, _ due: String, _ state: SLATimerState = .met,
            fired: [FiredEscalationStep] = []
        ) -> SLATimerRecord {
            SLATimerRecord(
                id: "\(id)/first-touch", leadID: id, policy: policy, dueAt: at(due), state: state,
                escalationStep: fired.count, firedSteps: fired, startedAt: at(start))
        }
        func touch(_ id: String, _ rep: String, _ when: String) -> ContactAttemptRecord {
            ContactAttemptRecord(id: "\(id)/a/\(when)", leadID: id, repID: rep, channel: "call", result: "connected", attemptedAt: at(when))
        }
        let eur = { (minor: Int64) in Money(minorUnits: minor, currency: "EUR") }
        return [
            LeadRows(
                lead: lead("L1", "web", "c1", "2025-10-06T08:00:00Z"), score: score("L1", 0.85, "2025-10-06T08:30:00Z"),
                decision: decision("L1", .sql, .high, #"{"demo_request":true}"#, "2025-10-06T08:30:00Z"),
                assignment: assign("L1", "r1", "2025-10-06T09:00:00Z"), timer: timer("L1", "high", "2025-10-06T09:00:00Z", "2025-10-06T10:00:00Z"),
                attempts: [touch("L1", "r1", "2025-10-06T09:30:00Z"), touch("L1", "r1", "2025-10-07T09:30:00Z")],
                opportunity: OpportunityRecord(id: "O1", leadID: "L1", amount: eur(100_000), stage: "proposal", openedAt: at("2025-10-08T08:30:00Z")),
                outcome: OutcomeRecord(
                    id: "W1", opportunityID: "O1", leadID: "L1", result: .won, amount: eur(100_000), closedAt: at("2025-10-10T08:30:00Z"))),
            LeadRows(
                lead: lead("L2", "web", "c1", "2025-10-06T10:00:00Z"), score: score("L2", 0.50, "2025-10-06T15:00:00Z"),
                decision: decision("L2", .mql, .standard, "{}", "2025-10-06T15:00:00Z"),
                assignment: assign("L2", "r1", "2025-10-06T16:00:00Z"),
                timer: timer("L2", "standard", "2025-10-06T16:00:00Z", "2025-10-07T12:00:00Z"),
                attempts: [touch("L2", "r1", "2025-10-07T10:00:00Z")],
                opportunity: OpportunityRecord(id: "O2", leadID: "L2", amount: eur(50_000), stage: "discovery", openedAt: at("2025-10-09T10:00:00Z")),
                outcome: OutcomeRecord(
                    id: "X2", opportunityID: "O2", leadID: "L2", result: .lost, amount: eur(0), closedAt: at("2025-10-11T10:00:00Z"), reason: "price")
            ),
            LeadRows(
                lead: lead("L3", "ads", "c2", "2025-10-07T07:00:00Z"), score: score("L3", 0.30, "2025-10-07T08:00:00Z"),
                decision: decision("L3", .mql, .standard, #"{"engagement":40}"#, "2025-10-07T08:00:00Z"),
                assignment: assign("L3", "r2", "2025-10-07T09:00:00Z"),
                timer: timer(
                    "L3", "standard", "2025-10-07T09:00:00Z", "2025-10-07T17:00:00Z", .met,
                    fired: [
                        FiredEscalationStep(step: 1, action: "remind-rep", firedAt: at("2025-10-07T13:00:00Z")),
                        FiredEscalationStep(step: 2, action: "notify-manager", firedAt: at("2025-10-07T17:00:00Z")),
                    ]),
                attempts: [touch("L3", "r2", "2025-10-08T09:00:00Z")],
                disposition: DispositionRecord(id: "D3", leadID: "L3", repID: "r2", code: "wrong-fit", decidedAt: at("2025-10-09T09:00:00Z"))),
            LeadRows(
                lead: lead("L4", "ads", "c2", "2025-10-10T15:00:00Z"), score: score("L4", 0.90, "2025-10-10T16:00:00Z"),
                decision: decision("L4", .sql, .high, #"{"demo_request":true}"#, "2025-10-10T16:00:00Z"),
                assignment: assign("L4", "r1", "2025-10-10T16:30:00Z"),
                timer: timer(
                    "L4", "high", "2025-10-10T16:30:00Z", "2025-10-13T09:30:00Z", .breached,
                    fired: [FiredEscalationStep(step: 1, action: "remind-rep", firedAt: at("2025-10-13T09:30:00Z"))])),
            LeadRows(
                lead: lead("L5", "web", "c1", "2025-10-12T10:00:00Z"), score: score("L5", 0.10, "2025-10-13T09:00:00Z"),
                decision: decision("L5", .mql, .standard, #"{"engagement":35}"#, "2025-10-13T09:00:00Z"),
                assignment: assign("L5", "r1", "2025-10-13T09:30:00Z")),
            LeadRows(lead: lead("L6", "ads", nil, "2025-10-07T12:00:00Z")),
        ]
    }

    static func batch() -> ActivityBatch {
        var b = ActivityBatch()
        for r in rows() {
            b.leads.append(r.lead)
            if let s = r.score { b.scores.append(s) }
            if let d = r.decision { b.decisions.append(d) }
            if let a = r.assignment { b.assignments.append(a) }
            if let t = r.timer { b.timers.append(t) }
            b.contactAttempts += r.attempts
            if let d = r.disposition { b.dispositions.append(d) }
            if let o = r.opportunity { b.opportunities.append(o) }
            if let o = r.outcome { b.outcomes.append(o) }
        }
        return b
    }

    static func journeys() -> [LeadJourney] { LeadJourney.build(from: batch()) }
    static var repsByID: [String: RepRecord] { Dictionary(uniqueKeysWithValues: reps.map { ($0.id, $0) }) }
    static func period() throws -> ReviewPeriod { try ReviewPeriod.isoWeek("2025-W41", timeZone: utc) }

    /// Stores the week through the store API, one unit of work per lead, as the flow would.
    static func fill(_ store: any HandoffStore) async throws {
        // r2 was active when the week's leads were assigned; the roster marks the leave afterwards.
        for var rep in reps {
            rep.status = .active
            rep.leftAt = nil
            try await store.upsertRep(rep)
        }
        for r in rows() {
            var ops: [WriteOperation] = [.upsertLead(r.lead)]
            if let s = r.score { ops.append(.recordScore(s)) }
            if let d = r.decision { ops.append(.recordDecision(d)) }
            if let a = r.assignment { ops.append(.openAssignment(a)) }
            if let t = r.timer { ops.append(.upsertTimer(t)) }
            ops += r.attempts.map(WriteOperation.appendContactAttempt)
            if let d = r.disposition { ops.append(.appendDisposition(d)) }
            if let o = r.opportunity { ops.append(.upsertOpportunity(o)) }
            if let o = r.outcome { ops.append(.appendOutcome(o)) }
            _ = try await store.commit(UnitOfWork(ops))
        }
        for rep in reps where rep.status == .left { try await store.upsertRep(rep) }
    }
}
