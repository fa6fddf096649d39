import Foundation
import TestSupport
import Testing

@testable import HandoffRules

@Suite struct SLAClockTests {
    let roster = RepRoster([
        Flow.rep("ana", manager: "lee@example.com"),
        Flow.rep("ben"),
        Flow.rep("kai", calendar: Flow.berlinCalendar, manager: "eva@example.com"),
    ])
    var machine: SLAClock { SLAClock(roster: roster) }

    /// Applies `event` at the clock's time and returns the effects, updating `state`.
    func apply(_ state: inout SLAState, _ event: SLAEvent, _ clock: ManualClock) throws -> [SLAEffect] {
        let result = try machine.transition(state, event, at: clock.now)
        state = result.state
        return result.effects
    }

    func call(_ rep: String = "ana") -> SLAEvent {
        .contactAttempt(ContactAttempt(repID: rep, channel: .call, result: .noAnswer))
    }

    /// High priority handed off Friday 16:30 New York: first touch due Monday 09:30 (30 min
    /// Friday + 30 min Monday), manager one business hour later (10:30), reassignment two
    /// business hours after the deadline (11:30). Ticking every five minutes from Friday to
    /// Tuesday, each step fires exactly once, at its instant.
    @Test func escalationStepsFireOnceEachAtTheirTime() throws {
        let clock = ManualClock(Flow.at(2026, 11, 20, 16, 30))
        var state = SLAState(leadID: "L1")
        let start = try apply(&state, .handedOff(repID: "ana", policy: "high"), clock)
        #expect(start == [.firstTouchDue(leadID: "L1", repID: "ana", deadline: Flow.at(2026, 11, 23, 9, 30))])
        #expect(state.nextWakeUp == Flow.at(2026, 11, 23, 9, 30))
        var fired: [(Date, SLAEffect)] = []
        while clock.now < Flow.at(2026, 11, 24, 12) {
            clock.advance(by: 300)
            fired += try apply(&state, .tick, clock).map { (clock.now, $0) }
        }
        let breach = SLABreach(leadID: "L1", repID: "ana", kind: .firstTouch, deadline: Flow.at(2026, 11, 23, 9, 30))
        #expect(
            fired.map(\.1) == [
                .breachRecorded(breach),
                .remindRep(leadID: "L1", repID: "ana", overdueSince: Flow.at(2026, 11, 23, 9, 30)),
                .notifyManager(leadID: "L1", repID: "ana", manager: "lee@example.com", breach: .firstTouch),
                .reassign(leadID: "L1", fromRepID: "ana"),
            ])
        #expect(
            fired.map(\.0) == [
                Flow.at(2026, 11, 23, 9, 30), Flow.at(2026, 11, 23, 9, 30),
                Flow.at(2026, 11, 23, 10, 30), Flow.at(2026, 11, 23, 11, 30),
            ])
        // Only the attempt-window check (10 business days) is left.
        #expect(state.nextWakeUp == Flow.at(2026, 12, 7, 16, 30))
    }

    @Test func oneLateTickFiresTheWholeChainInOrder() throws {
        let clock = ManualClock(Flow.at(2026, 11, 20, 16, 30))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "high"), clock)
        clock.set(to: Flow.at(2026, 11, 24, 9))
        let effects = try apply(&state, .tick, clock)
        #expect(effects.count == 4)
        #expect(effects.last == .reassign(leadID: "L1", fromRepID: "ana"))
        #expect(try apply(&state, .tick, clock).isEmpty)
    }

    @Test func touchExactlyAtTheDeadlineIsOnTime() throws {
        let clock = ManualClock(Flow.at(2026, 11, 20, 16, 30))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "high"), clock)
        clock.set(to: Flow.at(2026, 11, 23, 9, 30))
        let effects = try apply(&state, call(), clock)
        #expect(effects == [.firstTouch(leadID: "L1", repID: "ana", speedToContact: 3600, withinSLA: true)])
        clock.set(to: Flow.at(2026, 11, 24, 12))
        #expect(try apply(&state, .tick, clock).isEmpty)
        #expect(state.phase == .working)
    }

    @Test func lateTouchRecordsBreachFirstAndStopsTheChain() throws {
        let clock = ManualClock(Flow.at(2026, 11, 20, 16, 30))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "high"), clock)
        clock.set(to: Flow.at(2026, 11, 23, 10))
        let effects = try apply(&state, call(), clock)
        // Speed to contact: 30 min Friday + 60 min Monday = 5400 business seconds.
        #expect(effects.count == 3)
        #expect(effects[0] == .breachRecorded(SLABreach(leadID: "L1", repID: "ana", kind: .firstTouch, deadline: Flow.at(2026, 11, 23, 9, 30))))
        #expect(effects[2] == .firstTouch(leadID: "L1", repID: "ana", speedToContact: 5400, withinSLA: false))
        clock.set(to: Flow.at(2026, 11, 24, 12))
        #expect(try apply(&state, .tick, clock).isEmpty)
    }

    @Test func reassignmentRestartsTheClockForTheNewRep() throws {
        let clock = ManualClock(Flow.at(2026, 11, 20, 16, 30))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "high"), clock)
        clock.set(to: Flow.at(2026, 11, 23, 11, 30))
        #expect(try apply(&state, .tick, clock).last == .reassign(leadID: "L1", fromRepID: "ana"))
        let effects = try apply(&state, .handedOff(repID: "ben", policy: "high"), clock)
        #expect(effects == [.firstTouchDue(leadID: "L1", repID: "ben", deadline: Flow.at(2026, 11, 23, 12, 30))])
        #expect(state.handoffs == 2)
        clock.set(to: Flow.at(2026, 11, 23, 12, 30))
        #expect(
            try apply(&state, .tick, clock).first
                == .breachRecorded(
                    SLABreach(
                        leadID: "L1", repID: "ben", kind: .firstTouch, deadline: Flow.at(2026, 11, 23, 12, 30))))
    }

    @Test func deadlinesFollowTheRepsCalendar() throws {
        // Standard, handed off Wed 25 Nov 15:00 New York.
        let handoff = Flow.at(2026, 11, 25, 15)
        // ana (New York, Thanksgiving off): 2 h Wednesday + 2 h Friday → Fri 11:00.
        let ny = try machine.transition(SLAState(leadID: "a"), .handedOff(repID: "ana", policy: "standard"), at: handoff)
        #expect(ny.state.firstTouchDeadline == Flow.at(2026, 11, 27, 11))
        // kai (Berlin): 21:00 CET, closed; Thursday 09:00 + 4 h = 13:00 CET = 12:00 UTC.
        let de = try machine.transition(SLAState(leadID: "b"), .handedOff(repID: "kai", policy: "standard"), at: handoff)
        #expect(de.state.firstTouchDeadline == Flow.at(2026, 11, 26, 12, in: Flow.utc))
        // Manager step four business hours after: Berlin Thu 17:00 CET = 16:00 UTC.
        #expect(de.state.notifyManagerAt == Flow.at(2026, 11, 26, 16, in: Flow.utc))
    }

    @Test func deadlineAcrossTheSpringClockChange() throws {
        // Fri 2026-03-06 16:30 EST + 1 business hour → Mon 09:30 EDT = 13:30 UTC.
        let result = try machine.transition(
            SLAState(leadID: "a"), .handedOff(repID: "ana", policy: "high"),
            at: Flow.at(2026, 3, 6, 16, 30))
        #expect(result.state.firstTouchDeadline == Flow.at(2026, 3, 9, 13, 30, in: Flow.utc))
    }

    @Test func unresponsiveNeedsTheMinimumAttempts() throws {
        let clock = ManualClock(Flow.at(2026, 11, 23, 9))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "standard"), clock)
        for _ in 0..<5 {
            clock.advance(by: 3600)
            #expect(!(try apply(&state, call(), clock)).contains(.returnToNurtureAllowed(leadID: "L1", attempts: 5)))
        }
        clock.set(to: Flow.at(2026, 11, 24, 10))
        let before = state
        #expect(throws: SLAError.disposition(leadID: "L1", .tooFewAttempts(code: "unresponsive", made: 5, required: 6))) {
            _ = try machine.transition(before, .disposition(code: "unresponsive"), at: clock.now)
        }
        #expect("\(DispositionError.tooFewAttempts(code: "unresponsive", made: 5, required: 6))".contains("1 more attempt still needed"))
        let sixth = try apply(&state, call(), clock)
        #expect(sixth == [.returnToNurtureAllowed(leadID: "L1", attempts: 6)])
        clock.advance(by: 60)
        #expect(try apply(&state, call(), clock).isEmpty)
        clock.set(to: Flow.at(2026, 12, 1, 10))
        let closed = try apply(&state, .disposition(code: "unresponsive"), clock)
        // 60 calendar days after 1 Dec 2026 is 30 Jan 2027.
        let outcome = DispositionOutcome(
            code: "unresponsive", destination: .nurture, at: Flow.at(2026, 12, 1, 10),
            reEngageOn: Flow.date("2027-01-30"), attempts: 7)
        #expect(closed == [.closed(leadID: "L1", outcome: outcome)])
        #expect(state.phase == .closed)
        #expect(state.nextWakeUp == nil)
    }

    @Test func attemptCadenceShortfallIsABreachOnce() throws {
        // Handed off Mon 23 Nov 09:00: ten business days (Thanksgiving skipped) end Mon 7 Dec 17:00.
        let clock = ManualClock(Flow.at(2026, 11, 23, 9))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "standard"), clock)
        #expect(state.attemptWindowEndsAt == Flow.at(2026, 12, 7, 17))
        for _ in 0..<3 {
            clock.advance(by: 1800)
            _ = try apply(&state, call(), clock)
        }
        clock.set(to: Flow.at(2026, 12, 7, 16, 59))
        #expect(try apply(&state, .tick, clock).isEmpty)
        clock.set(to: Flow.at(2026, 12, 7, 17))
        let kind = SLABreach.Kind.attemptCadence(made: 3, required: 6)
        #expect(
            try apply(&state, .tick, clock) == [
                .breachRecorded(SLABreach(leadID: "L1", repID: "ana", kind: kind, deadline: Flow.at(2026, 12, 7, 17))),
                .notifyManager(leadID: "L1", repID: "ana", manager: "lee@example.com", breach: kind),
            ])
        clock.advance(by: 86_400)
        #expect(try apply(&state, .tick, clock).isEmpty)
    }

    /// Issue 21 item 2: ben's attempt on ana's lead read "first touch by ben (within SLA)" and
    /// stopped ana's clock. Only the owner's attempts (or a rep of `sla.touches_from`) are touches;
    /// another rep's is an assist, and the owner's deadline still fires.
    @Test func onlyTheOwnerOrThePoolStopsTheClock() throws {
        let clock = ManualClock(Flow.at(2026, 11, 23, 9))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "high"), clock)
        clock.advance(by: 600)
        #expect(try apply(&state, call("ben"), clock) == [.assist(leadID: "L1", repID: "ben", ownerID: "ana")])
        #expect(state.phase == .awaitingFirstTouch && state.attempts == 0 && state.firstTouchAt == nil)
        clock.advance(by: 3600)
        let fired = try apply(&state, .tick, clock)
        #expect(fired.contains(.breachRecorded(SLABreach(leadID: "L1", repID: "ana", kind: .firstTouch, deadline: Flow.at(2026, 11, 23, 10)))))
        clock.advance(by: 60)
        let touch = try apply(&state, call("ana"), clock)
        #expect(touch.contains { if case .firstTouch(_, "ana", _, false) = $0 { true } else { false } }, "\(touch)")

        // A pool rep's attempt is a touch on anyone's lead.
        let pooled = SLAClock(policies: SLAPolicies(touchesFrom: ["ben"]), roster: roster)
        let handed = try pooled.transition(SLAState(leadID: "L2"), .handedOff(repID: "ana", policy: "high"), at: Flow.at(2026, 11, 23, 9)).state
        let byPool = try pooled.transition(handed, call("ben"), at: Flow.at(2026, 11, 23, 9, 10))
        #expect(byPool.effects.contains { if case .firstTouch(_, "ben", _, true) = $0 { true } else { false } }, "\(byPool.effects)")
        #expect(byPool.state.attempts == 1)
    }

    @Test func recycleRulesSetReEngageDates() throws {
        let start = Flow.at(2026, 11, 23, 9)
        var state = try machine.transition(SLAState(leadID: "L1"), .handedOff(repID: "kai", policy: "high"), at: start).state
        state = try machine.transition(state, call("kai"), at: start.addingTimeInterval(600)).state
        // 2026-11-23 09:10 NY is 15:10 in Berlin, still the 23rd: +90 days → 2027-02-21.
        let result = try machine.transition(state, .disposition(code: "bad_timing"), at: start.addingTimeInterval(1200))
        #expect(result.state.disposition?.reEngageOn == Flow.date("2027-02-21"))
        #expect(result.state.disposition?.destination == .nurture)
        // The rep's local date decides: 20:00 New York on 23 Nov is already the 24th in Berlin.
        let late = Flow.at(2026, 11, 23, 20)
        let lateState = try machine.transition(SLAState(leadID: "L2"), .handedOff(repID: "kai", policy: "high"), at: late).state
        let lateResult = try machine.transition(lateState, .disposition(code: "bad_timing"), at: late)
        #expect(lateResult.state.disposition?.reEngageOn == Flow.date("2027-02-22"))
    }

    @Test func wrongFitBeforeAnyTouchClosesAndCancelsEscalation() throws {
        let clock = ManualClock(Flow.at(2026, 11, 23, 9))
        var state = SLAState(leadID: "L1")
        _ = try apply(&state, .handedOff(repID: "ana", policy: "high"), clock)
        clock.advance(by: 600)
        let effects = try apply(&state, .disposition(code: "wrong_fit"), clock)
        #expect(effects.count == 1)
        #expect(state.disposition?.destination == .disqualified)
        #expect(state.disposition?.reEngageOn == nil)
        clock.advance(by: 7 * 86_400)
        #expect(throws: SLAError.alreadyClosed(leadID: "L1", code: "wrong_fit", event: "clock tick")) {
            _ = try machine.transition(state, .tick, at: clock.now)
        }
        // A recycled lead reopens with a new hand-off.
        let reopened = try apply(&state, .handedOff(repID: "ben", policy: "standard"), clock)
        #expect(state.phase == .awaitingFirstTouch)
        #expect(state.attempts == 0)
        #expect(reopened.count == 1)
    }

    @Test func badEventsAreRejectedWithoutChangingState() throws {
        let start = Flow.at(2026, 11, 23, 9)
        let fresh = SLAState(leadID: "L1")
        #expect(throws: SLAError.notHandedOff(leadID: "L1", event: "contact attempt")) {
            _ = try machine.transition(fresh, call(), at: start)
        }
        #expect(throws: SLAError.unknownPolicy(name: "urgent", known: ["high", "standard"])) {
            _ = try machine.transition(fresh, .handedOff(repID: "ana", policy: "urgent"), at: start)
        }
        #expect(throws: SLAError.unknownRep(id: "zed", leadID: "L1")) {
            _ = try machine.transition(fresh, .handedOff(repID: "zed", policy: "high"), at: start)
        }
        let handed = try machine.transition(fresh, .handedOff(repID: "ana", policy: "high"), at: start).state
        #expect(throws: SLAError.outOfOrder(leadID: "L1", at: start.addingTimeInterval(-1), last: start)) {
            _ = try machine.transition(handed, .tick, at: start.addingTimeInterval(-1))
        }
        #expect(throws: SLAError.unknownRep(id: "zed", leadID: "L1")) {
            _ = try machine.transition(handed, call("zed"), at: start)
        }
        do {
            _ = try machine.transition(handed, .disposition(code: "ghosted"), at: start)
            Issue.record("an unknown code must be rejected")
        } catch {
            #expect("\(error)".contains("valid codes: wrong_fit, no_budget, bad_timing, competitor_chosen, unresponsive"))
        }
    }

    @Test func stateSurvivesJSON() throws {
        let start = Flow.at(2026, 11, 23, 9)
        var state = try machine.transition(SLAState(leadID: "L1"), .handedOff(repID: "ana", policy: "high"), at: start).state
        state = try machine.transition(state, call(), at: start.addingTimeInterval(60)).state
        let copy = try JSONDecoder().decode(SLAState.self, from: JSONEncoder().encode(state))
        #expect(copy == state)
    }

    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualClock(Flow.at(2026, 1, 1))
        #expect(clock.now == Flow.at(2026, 1, 1))
        clock.advance(by: 90)
        #expect(clock.now == Flow.at(2026, 1, 1, 0, 1, 30))
        let system = SystemClock().now
        #expect(abs(system.timeIntervalSinceNow) < 5)
    }

    /// Property: random tick gaps and an optional touch at a random time over random hand-offs
    /// through 2026. Each escalation step fires at most once, in chain order, never before its
    /// deadline, and exactly once if the clock passed it with no touch before it.
    @Test func randomScenariosFireEachStepAtMostOnce() throws {
        var rng = SplitMix64(seed: 2026)
        for scenario in 0..<150 {
            let start = Flow.at(2026, 1, 1).addingTimeInterval(Double(rng.next() % (360 * 86_400)))
            let clock = ManualClock(start)
            var state = SLAState(leadID: "S\(scenario)")
            let policy = rng.uniform() < 0.5 ? "high" : "standard"
            _ = try apply(&state, .handedOff(repID: "ana", policy: policy), clock)
            let deadline = try #require(state.firstTouchDeadline)
            let manager = try #require(state.notifyManagerAt)
            let reassign = try #require(state.reassignAt)
            let touchAt: Date? = rng.uniform() < 0.5 ? start.addingTimeInterval(rng.uniform() * 5 * 86_400) : nil
            var touched = false
            var log: [(Date, SLAEffect)] = []
            while clock.now < start.addingTimeInterval(6 * 86_400) {
                clock.advance(by: Double(60 + rng.next() % (180 * 60)))
                if let touchAt, !touched, clock.now >= touchAt {
                    touched = true
                    log += try apply(&state, call(), clock).map { (clock.now, $0) }
                } else {
                    log += try apply(&state, .tick, clock).map { (clock.now, $0) }
                }
            }
            func times(_ match: (SLAEffect) -> Bool) -> [Date] { log.filter { match($0.1) }.map(\.0) }
            let breaches = times {
                if case .breachRecorded(let b) = $0 { return b.kind == .firstTouch }
                return false
            }
            let managers = times {
                if case .notifyManager(_, _, _, .firstTouch) = $0 { return true }
                return false
            }
            let reassigns = times {
                if case .reassign = $0 { return true }
                return false
            }
            let touchTime = log.first {
                if case .firstTouch = $0.1 { return true }
                return false
            }?.0
            func expected(_ step: Date) -> Int { (touchTime.map { $0 > step } ?? true) ? 1 : 0 }
            #expect(breaches.count == expected(deadline))
            #expect(managers.count == expected(manager))
            #expect(reassigns.count == expected(reassign))
            #expect(breaches.allSatisfy { $0 >= deadline })
            #expect(managers.allSatisfy { $0 >= manager })
            #expect(reassigns.allSatisfy { $0 >= reassign })
            #expect(deadline <= manager && manager <= reassign)
        }
    }
}
