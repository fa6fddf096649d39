import Foundation
import Testing

@testable import HandoffRules

/// The decision ledger's explanations for a crafted roster: every skip reason the router can
/// give, the round-robin credits worked out by hand, and the SLA clock's business-time segments.
@Suite struct DecisionLedgerTests {
    let policy = RoutingPolicy(
        fallbackQueue: "sales-triage",
        rules: [
            RoutingRule(dimension: .territory, field: "country", map: ["DE": "emea", "US": "na"]),
            RoutingRule(dimension: .industry, field: "industry", ifMissing: .skip),
        ])
    /// Monday 2026-11-23 11:00 New York (16:00 UTC, 17:00 Berlin: Berlin has closed).
    let monday = Flow.at(2026, 11, 23, 11)

    var roster: RepRoster {
        RepRoster([
            Flow.rep("lou", territories: ["emea"], status: .left),
            Flow.rep("nat", territories: ["na"]),
            Flow.rep("oli", territories: ["emea"], outOfOffice: [DateInterval(start: Flow.at(2026, 11, 23), end: Flow.at(2026, 11, 25))]),
            Flow.rep("cap", capacity: 3, territories: ["emea"], industries: ["software"]),
            Flow.rep("exa", territories: ["emea"], industries: ["software"]),
            Flow.rep("gen", territories: ["emea"]),
            Flow.rep("ber", territories: ["emea"], industries: ["software"], calendar: Flow.berlinCalendar),
            Flow.rep("ana", weight: 2, territories: ["emea"], industries: ["software"]),
            Flow.rep("bea", territories: ["emea"], industries: ["software"]),
        ])
    }

    func byRep(_ decision: RoutingDecision) -> [String: RoutingExplanation.Candidate] {
        let explanation = RoutingExplanation(decision, assignmentRule: "territory:emea", reassignedFrom: nil)
        return Dictionary(uniqueKeysWithValues: explanation.candidates.map { ($0.repID, $0) })
    }

    @Test func everyRepOnTheRosterHasAReasonAndTheWinnerHasTheMostCredit() throws {
        var router = Router(policy: policy, roster: roster)
        let fields = ["country": "DE", "industry": "Software"]
        let first = router.route(leadID: "L1", fields: fields, at: monday, openHandoffs: ["cap": 3], excluding: ["exa"])
        #expect(first.repID == "ana")
        #expect(first.candidates.map(\.repID) == ["lou", "nat", "oli", "cap", "exa", "gen", "ber", "ana", "bea"])
        let c = byRep(first)
        #expect(c["lou"]?.reason == "left")
        #expect(c["nat"]?.reason == "territory")
        #expect(c["nat"]?.detail == "rule `territory` needs territory `emea`; the rep lists na")
        #expect(c["oli"]?.reason == "out_of_office")
        #expect(c["oli"]?.detail == "out of office until 2026-11-25T05:00:00Z")
        #expect(c["cap"]?.reason == "capacity")
        #expect(c["cap"]?.detail == "at capacity: 3 open hand-offs of 3")
        #expect(c["cap"]?.openHandoffs == 3)
        #expect(c["exa"]?.reason == "excluded")
        #expect(c["gen"]?.reason == "specialist")
        #expect(c["gen"]?.detail == "matches rule `industry` only through `*` while a specialist was available")
        // Berlin closed at 17:00 local (16:00 UTC); it opens Tuesday 09:00 local = 08:00 UTC.
        #expect(c["ber"]?.reason == "working_hours")
        #expect(c["ber"]?.detail.hasSuffix("(opens 2026-11-24T08:00:00Z)") == true)
        for id in ["lou", "nat", "oli", "cap", "exa", "gen", "ber"] { #expect(c[id]?.verdict == .skipped, "\(id)") }
        // First turn from zero credit: ana gains 2, bea 1; ana wins with 2 and pays back 3.
        #expect(c["ana"]?.verdict == .chosen)
        #expect(c["ana"]?.reason == "weight")
        #expect(c["ana"]?.credit == 2)
        #expect(c["bea"]?.verdict == .passedOver)
        #expect(c["bea"]?.credit == 1)
        #expect(c["bea"]?.detail == "round-robin credit 1 after adding weight 1, below the winner's 2")
        #expect(router.state.credit == ["ana": -1, "bea": 1])
        // Second turn: ana −1 + 2 = 1, bea 1 + 1 = 2 → bea.
        let second = router.route(leadID: "L2", fields: fields, at: monday, openHandoffs: ["cap": 3], excluding: ["exa"])
        #expect(second.repID == "bea")
        let d = byRep(second)
        #expect(d["bea"]?.credit == 2)
        #expect(d["ana"]?.credit == 1)
        #expect(d["ana"]?.verdict == .passedOver)
        let summary = RoutingExplanation(second, assignmentRule: "territory:emea", reassignedFrom: nil).summary
        #expect(summary == "assigned to bea by weighted round-robin among ana, bea")
    }

    @Test func aLeadNobodyCanPlaceSaysWhichRuleStoppedIt() {
        var router = Router(policy: policy, roster: roster)
        let decision = router.route(leadID: "L1", fields: ["industry": "software"], at: monday)
        #expect(decision.repID == nil)
        let explanation = RoutingExplanation(decision, assignmentRule: "fallback", reassignedFrom: nil)
        #expect(explanation.outcome == "queued")
        #expect(explanation.queue == "sales-triage")
        #expect(explanation.queuedBecause?.contains("needs field `country`") == true)
        #expect(explanation.candidates.first { $0.repID == "lou" }?.reason == "left")
        #expect(explanation.candidates.filter { $0.repID != "lou" }.allSatisfy { $0.reason == "rule_unresolved" })
        #expect(explanation.summary.hasPrefix("parked in `sales-triage`: rule `territory` needs field `country`"))
    }

    @Test func everyoneUnavailableParksTheLeadWithEachReason() {
        let small = RepRoster([
            Flow.rep("oli", territories: ["emea"], outOfOffice: [DateInterval(start: Flow.at(2026, 11, 23), end: Flow.at(2026, 11, 25))]),
            Flow.rep("cap", capacity: 1, territories: ["emea"]),
        ])
        var router = Router(policy: policy, roster: small)
        let decision = router.route(leadID: "L1", fields: ["country": "DE"], at: monday, openHandoffs: ["cap": 1])
        #expect(decision.repID == nil)
        #expect(decision.candidates.map(\.reasonCode) == ["out_of_office", "capacity"])
    }

    @Test func theEntryEncodesWithSnakeCaseKeysAndDecodesBack() throws {
        var router = Router(policy: policy, roster: roster)
        let decision = router.route(leadID: "L1", fields: ["country": "DE", "industry": "software"], at: monday)
        let explanation = RoutingExplanation(decision, assignmentRule: "territory:emea,industry:software", reassignedFrom: nil)
        let entry = DecisionLedgerEntry(kind: .routing, at: monday, source: "ev-1", summary: explanation.summary, routing: explanation)
        let data = try JSONEncoder().encode(entry)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["at"] as? String == "2026-11-23T16:00:00Z")
        let routing = try #require(object["routing"] as? [String: Any])
        #expect(routing["rep_id"] as? String == "ana")
        #expect(routing["assignment_rule"] as? String == "territory:emea,industry:software")
        let first = try #require((routing["candidates"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["rep_id", "verdict", "reason", "detail", "weight", "open_handoffs", "capacity", "credit"])
        #expect(try JSONDecoder().decode(DecisionLedgerEntry.self, from: data) == entry)
    }

    /// Fri 2026-11-20 16:30 New York (21:30 UTC), high priority (1 business hour): the clock runs
    /// 30 min on Friday and 30 min from Monday 09:00 (14:00 UTC). A touch on Monday at 10:15
    /// (15:15 UTC) comes after the 09:30 deadline: 30 min Friday + 75 min Monday = 6300 s elapsed.
    @Test func slaSegmentsAreTheBusinessHoursTheClockRan() throws {
        let clock = SLAClock(roster: RepRoster([Flow.rep("ana")]))
        let start = SLAState(leadID: "L1")
        let handoffAt = Flow.at(2026, 11, 20, 16, 30)
        let handoff = try clock.transition(start, .handedOff(repID: "ana", policy: "high"), at: handoffAt)
        let first = SLAExplanation(
            before: start, event: .handedOff(repID: "ana", policy: "high"), transition: handoff, at: handoffAt, roster: clock.roster)
        #expect(first.event == "hand_off")
        #expect(first.phaseBefore == "pending")
        #expect(first.phaseAfter == "awaiting_first_touch")
        #expect(first.firstTouchDeadline == "2026-11-23T14:30:00Z")
        #expect(first.timeZone == "America/New_York")
        #expect(first.elapsed.isEmpty)
        #expect(first.elapsedBusinessSeconds == 0)
        #expect(
            first.remaining == [
                .init(from: "2026-11-20T21:30:00Z", to: "2026-11-20T22:00:00Z", businessSeconds: 1800),
                .init(from: "2026-11-23T14:00:00Z", to: "2026-11-23T14:30:00Z", businessSeconds: 1800),
            ])
        #expect(first.remainingBusinessSeconds == 3600)
        #expect(first.effects == ["first_touch_due"])

        let touchAt = Flow.at(2026, 11, 23, 10, 15)
        let call = SLAEvent.contactAttempt(ContactAttempt(repID: "ana", channel: .call, result: .connected))
        let touch = try clock.transition(handoff.state, call, at: touchAt)
        let second = SLAExplanation(before: handoff.state, event: call, transition: touch, at: touchAt, roster: clock.roster)
        #expect(second.event == "contact_attempt")
        #expect(second.phaseAfter == "working")
        #expect(second.firstTouchAt == "2026-11-23T15:15:00Z")
        #expect(
            second.elapsed == [
                .init(from: "2026-11-20T21:30:00Z", to: "2026-11-20T22:00:00Z", businessSeconds: 1800),
                .init(from: "2026-11-23T14:00:00Z", to: "2026-11-23T15:15:00Z", businessSeconds: 4500),
            ])
        #expect(second.elapsedBusinessSeconds == 6300)
        #expect(second.remaining.isEmpty)
        #expect(second.effects == ["breach", "remind_rep", "first_touch"])
        #expect(second.summary == "contact attempt (ana): awaiting_first_touch → working, 1.75 business h elapsed [breach, remind_rep, first_touch]")
    }

    /// Segments sum to businessTime on any span, and skip the Thanksgiving holiday.
    @Test func segmentsSumToBusinessTime() {
        let ny = Flow.nyCalendar
        let from = Flow.at(2026, 11, 25, 15)
        let to = Flow.at(2026, 11, 30, 10)
        let segments = ny.businessSegments(from: from, to: to)
        // Wed 15–17, (Thu holiday), Fri 9–17, Mon 9–10.
        #expect(segments.map(\.duration) == [7200, 28800, 3600])
        #expect(segments.map(\.duration).reduce(0, +) == ny.businessTime(from: from, to: to))
        #expect(ny.businessSegments(from: to, to: from).isEmpty)
    }
}
