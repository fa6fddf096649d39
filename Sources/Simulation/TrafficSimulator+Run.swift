import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules

/// One rep's work on one hand-off.
struct SalesCase {
    enum Plan {
        case win, slowLoss, lostDeal
        case dispose(String)
    }

    let id: Int
    let leadID: String
    let repID: String
    let policy: SLAPolicy
    let calendar: BusinessCalendar
    /// The lead's first hand-off (the one the review and the speed effect judge).
    let isFirstHandoff: Bool
    var attempts = 0
    var plannedAttempts = 0
    var plan: Plan?
}

/// The mutable state of one simulation (see ``TrafficSimulator``).
struct SimulationRun {
    let behaviour: SalesBehaviour
    let engine: HandoffEngine
    var random: SimulationRandom
    var queue = PendingQueue()
    var delivered: [InboundEvent] = []
    var truth: SimulationTruth
    var clock: Date?
    var leads: [String: SimulatedLead] = [:]
    var serial: [String: Int] = [:]
    var cases: [Int: SalesCase] = [:]
    var currentCase: [String: Int] = [:]
    var repProfiles: [String: SimulationTruth.RepProfile] = [:]
    /// Per lead: first assignment (instant, priority, policy), the verdict on its first touch.
    var firstHandoff: [String: (at: Date, priority: String)] = [:]
    /// Leads whose first hand-off went to a fallback queue.
    var parkedAtFirstHandoff: Set<String> = []
    var firstTouchWithin: [String: Bool] = [:]
    var lastPriority: [String: HandoffPriority] = [:]
    var latestDisposition: [String: String] = [:]
    var wonLeads: [String: [Money]] = [:]
    /// Leads that have had a sales case.
    var workedLeads = Set<String>()

    init(seed: UInt64, behaviour: SalesBehaviour, engine: HandoffEngine) {
        self.behaviour = behaviour
        self.engine = engine
        random = SimulationRandom(seed: seed, stream: 0x5a1e5)
        truth = SimulationTruth(seed: seed)
        truth.speedEffect.lateWinKeepProbability = behaviour.lateWinKeepProbability
        truth.speedEffect.description =
            "A lead that would buy is won when its first hand-off is touched within the SLA; touched late it is won with probability \(behaviour.lateWinKeepProbability), else lost to a faster competitor."
        for rep in engine.flow.roster.reps.sorted(by: { $0.id < $1.id }) {
            repProfiles[rep.id] = .init(
                ignoreShare: random.uniform(behaviour.ignoreShare.lowerBound, behaviour.ignoreShare.upperBound),
                lateShare: random.uniform(behaviour.lateShare.lowerBound, behaviour.lateShare.upperBound))
        }
        truth.reps = repProfiles
    }

    mutating func go(_ input: [SimulatedLead], progress: (Int, Int) -> Void = { _, _ in }) async throws(EngineError) -> SimulationResult {
        truth.leads = input.count
        var first: Date?
        for lead in input {
            leads[lead.id] = lead
            queue.push(
                at: lead.createdAt,
                event: InboundEvent(
                    eventID: nextID(lead.id), kind: .leadCreated, occurredAt: lead.createdAt, leadID: lead.id,
                    body: .lead(.init(fields: lead.fields, source: lead.source, campaign: lead.campaign))))
            for e in lead.engagements.sorted(by: { $0.at < $1.at }) {
                let at = max(e.at, lead.createdAt)
                queue.push(
                    at: at,
                    event: InboundEvent(
                        eventID: nextID(lead.id), kind: .engagement, occurredAt: at, leadID: lead.id,
                        body: .engagement(.init(eventType: e.eventType, content: e.content))))
            }
            first = min(first ?? lead.createdAt, lead.createdAt)
            period(lead.createdAt) { $0.leadsCreated += 1 }
        }
        guard let first else { return SimulationResult(events: [], truth: truth) }
        try await engine.prepare(at: InboundEvent.truncatedToMilliseconds(first))
        var seen = Set<String>()
        let creations = input.map(\.createdAt).sorted()
        var reached = 0
        while let head = queue.first {
            if let id = head.caseID, currentCase[head.event.leadID] != id {
                _ = queue.pop()
                continue
            }
            if !head.retry, let clock, head.at > clock {
                // Fire the earliest timer due strictly before the head, then look again: its
                // reactions may come before the head.
                let limit = Date(timeIntervalSince1970: head.at.timeIntervalSince1970 - 0.001)
                let due: [SLATimerRecord]
                do { due = try await engine.store.timersDue(before: limit, limit: seen.count + 1) } catch { throw .store(eventID: nil, error) }
                if let timer = due.first {
                    let key = "\(timer.id)@\(timer.dueAt.timeIntervalSince1970)"
                    if !seen.contains(key) {
                        seen.insert(key)
                        absorb(try await engine.tick(at: timer.dueAt))
                        continue
                    }
                    // A step that did not move its timer: let the engine's own tick finish, as a replay's would.
                    absorb(try await engine.tick(at: limit))
                }
            } else if !head.retry && clock == nil {
                absorb(try await engine.tick(at: Date(timeIntervalSince1970: head.at.timeIntervalSince1970 - 0.001)))
            }
            _ = queue.pop()
            if !head.retry && head.at > (clock ?? .distantPast) { clock = head.at }
            seen.removeAll()
            try await deliver(head)
            while reached < creations.count, let clock, creations[reached] <= clock { reached += 1 }
            progress(reached, creations.count)
        }
        if let clock { absorb(try await engine.tick(at: clock)) }
        finish()
        return SimulationResult(events: delivered, truth: truth)
    }

    // MARK: Delivery

    mutating func deliver(_ pending: PendingEvent) async throws(EngineError) {
        let event = pending.event
        let result = try await engine.apply(event)
        delivered.append(event)
        truth.lines += 1
        truth.replay.count(result.effects)
        switch result.status {
        case .duplicate:
            truth.replay.duplicates += 1
            truth.duplicates += 1
            return
        case .applied:
            truth.replay.applied += 1
            truth.replay.eventsByType[event.kind.rawValue, default: 0] += 1
        }
        record(event)
        if !pending.retry && random.chance(behaviour.duplicateShare) {
            queue.push(at: pending.at.addingTimeInterval((60 + random.uniform() * 6 * 3600).rounded()), event: event, retry: true)
        }
        let handedOffBefore = firstHandoff[event.leadID] != nil
        defer {
            if !handedOffBefore, firstHandoff[event.leadID] != nil { truth.firstHandoffEvents[event.leadID] = event.eventID }
        }
        var within: Bool?
        for effect in result.effects {
            if case .firstTouch(_, _, let w) = effect.kind { within = w }
        }
        handle(result.effects)
        if let caseID = pending.caseID, var work = cases[caseID], currentCase[event.leadID] == caseID {
            if case .contactAttempt = event.body {
                work.attempts += 1
                if work.attempts == 1 { plan(&work, within: within) }
                cases[caseID] = work
                try scheduleAfterAttempt(work, at: event.occurredAt)
            } else if case .opportunity(let body) = event.body {
                try scheduleClose(work, opportunity: body, at: event.occurredAt)
            }
        }
    }

    /// Counts an applied event into the truth.
    mutating func record(_ event: InboundEvent) {
        truth.events += 1
        truth.eventsByType[event.kind.rawValue, default: 0] += 1
        switch event.body {
        case .contactAttempt: truth.contactAttempts += 1
        case .disposition(let d):
            truth.dispositionsByCode[d.code, default: 0] += 1
            latestDisposition[event.leadID] = d.code
        case .opportunity: truth.opportunities += 1
        case .outcome(let o):
            if event.kind == .won {
                truth.won += 1
                let currency = leads[event.leadID]?.currency ?? "USD"
                let minor = Self.minorUnits(o.amount)
                truth.wonMinorUnits[currency, default: 0] += minor
                wonLeads[event.leadID, default: []].append(Money(minorUnits: minor, currency: currency))
            } else {
                truth.lost += 1
            }
        default: break
        }
    }

    static func minorUnits(_ amount: Decimal) -> Int64 {
        var scaled = amount * 100, rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// Reacts to the engine's effects (from an event or a timer).
    mutating func absorb(_ effects: [EngineEffect]) {
        truth.replay.count(effects)
        handle(effects)
    }

    mutating func handle(_ effects: [EngineEffect]) {
        for effect in effects {
            let lead = effect.leadID
            switch effect.kind {
            case .qualified(_, let priority, _, _):
                lastPriority[lead] = priority
            case .handedOff(let rep, let priority, _):
                truth.handoffsByPriority[priority.rawValue, default: 0] += 1
                noteFirstHandoff(lead, at: effect.at, priority: priority.rawValue)
                startCase(lead: lead, rep: rep, priority: priority, at: effect.at)
            case .queued:
                if firstHandoff[lead] == nil { parkedAtFirstHandoff.insert(lead) }
                noteFirstHandoff(lead, at: effect.at, priority: (lastPriority[lead] ?? .standard).rawValue)
                currentCase[lead] = nil
            case .reassigned:
                currentCase[lead] = nil
            case .firstTouch(_, _, let within):
                let policy = cases[currentCase[lead] ?? -1]?.policy.name ?? "standard"
                if within {
                    truth.firstTouches[policy, default: .init()].withinSLA += 1
                } else {
                    truth.firstTouches[policy, default: .init()].late += 1
                }
            default:
                break
            }
        }
    }

    mutating func noteFirstHandoff(_ lead: String, at: Date, priority: String) {
        guard firstHandoff[lead] == nil else { return }
        firstHandoff[lead] = (at, priority)
    }

    // MARK: Sales behaviour

    mutating func startCase(lead: String, rep repID: String, priority: HandoffPriority, at: Date) {
        guard let rep = engine.flow.roster.rep(repID),
            let policy = try? engine.flow.sla.policy(named: priority.slaPolicyName),
            let profile = repProfiles[repID]
        else {
            currentCase[lead] = nil
            return
        }
        let id = cases.count + 1
        let work = SalesCase(
            id: id, leadID: lead, repID: repID, policy: policy, calendar: rep.calendar,
            isFirstHandoff: !workedLeads.contains(lead))
        workedLeads.insert(lead)
        cases[id] = work
        currentCase[lead] = id
        let u = random.uniform()
        guard u >= profile.ignoreShare else { return }
        let target = policy.firstTouchHours * 3600
        let delay: Double
        if u < profile.ignoreShare + profile.lateShare {
            delay = target * (behaviour.lateMinimumMultiple + random.exponential(mean: behaviour.lateExtraMeanMultiple))
        } else {
            delay = target * random.uniform(behaviour.promptFraction.lowerBound, behaviour.promptFraction.upperBound)
        }
        schedule(attempt: work, after: at, businessSeconds: delay, last: false)
    }

    /// Decides the case's path at its first touch (the speed effect applies to the lead's first hand-off).
    mutating func plan(_ work: inout SalesCase, within: Bool?) {
        guard let lead = leads[work.leadID] else { return }
        // The lead's first touch of all decides the planted speed effect, judged on its first
        // hand-off: a touch after a reassignment is late by construction.
        let firstTouchOfLead = firstTouchWithin[work.leadID] == nil
        if firstTouchOfLead { firstTouchWithin[work.leadID] = work.isFirstHandoff && (within ?? false) }
        if lead.wouldBuy && firstTouchOfLead {
            let kept = (firstTouchWithin[work.leadID] ?? false) || random.chance(behaviour.lateWinKeepProbability)
            work.plan = kept ? .win : .slowLoss
            work.plannedAttempts = 2 + Int(random.uniform() * 3)  // total: uniform() ∈ [0, 1)
        } else if random.chance(behaviour.lostDealShare) {
            work.plan = .lostDeal
            work.plannedAttempts = 1 + Int(random.uniform() * 4)  // total: uniform() ∈ [0, 1)
        } else {
            let weights = SalesBehaviour.dispositionWeights(lead.fit)
            let code = weights[random.weighted(weights.map(\.weight))].code
            work.plan = .dispose(code)
            work.plannedAttempts =
                code == "unresponsive" ? max(1, work.policy.minimumAttempts) : 1 + (random.uniform() * 4).clampedInt(.towardZero, in: 0...3)
        }
    }

    mutating func scheduleAfterAttempt(_ work: SalesCase, at: Date) throws(EngineError) {
        guard let plan = work.plan else { return }
        let gap = random.uniform(behaviour.attemptGapBusinessHours.lowerBound, behaviour.attemptGapBusinessHours.upperBound) * 3600
        if work.attempts < work.plannedAttempts {
            schedule(attempt: work, after: at, businessSeconds: gap, last: work.attempts + 1 == work.plannedAttempts)
            return
        }
        switch plan {
        case .dispose(let code):
            let when = later(work.calendar.adding(businessSeconds: random.uniform(0.25, 8) * 3600, to: at), than: at)
            push(work, at: when, kind: .disposition, body: .disposition(.init(repID: work.repID, code: code)))
        case .win, .slowLoss, .lostDeal:
            guard let lead = leads[work.leadID] else { return }
            let when = later(at.addingTimeInterval(random.uniform(1, 5) * 86_400), than: at)
            let expected = (NSDecimalNumber(decimal: lead.dealAmount).doubleValue * random.uniform(0.6, 1.4) / 100).rounded() * 100
            push(
                work, at: when, kind: .opportunity,
                body: .opportunity(
                    .init(
                        opportunityID: "O-\(work.leadID)-\(work.id)", amount: Decimal(expected), currency: lead.currency, stage: "discovery")))
        }
    }

    mutating func scheduleClose(_ work: SalesCase, opportunity: InboundEvent.OpportunityBody, at: Date) throws(EngineError) {
        guard let plan = work.plan else { return }
        let when = later(at.addingTimeInterval(random.uniform(10, 60) * 86_400), than: at)
        switch plan {
        case .win:
            let amount = (NSDecimalNumber(decimal: opportunity.amount).doubleValue * random.uniform(0.85, 1.0) / 100).rounded() * 100
            push(
                work, at: when, kind: .won, body: .outcome(.init(opportunityID: opportunity.opportunityID, amount: Decimal(amount), closeDate: when)))
        case .slowLoss:
            push(
                work, at: when, kind: .lost,
                body: .outcome(
                    .init(
                        opportunityID: opportunity.opportunityID, amount: 0, closeDate: when,
                        reason: "chose a faster-moving vendor")))
        case .lostDeal:
            push(
                work, at: when, kind: .lost,
                body: .outcome(
                    .init(
                        opportunityID: opportunity.opportunityID, amount: 0, closeDate: when,
                        reason: random.pick(["no decision", "price", "competitor"]))))
        case .dispose:
            break
        }
    }

    mutating func schedule(attempt work: SalesCase, after: Date, businessSeconds: Double, last: Bool) {
        let when = later(work.calendar.adding(businessSeconds: businessSeconds, to: after), than: after)
        let connected: Bool
        switch work.plan {
        case .dispose("unresponsive")?, nil: connected = false
        default: connected = last
        }
        let outcome = connected ? "connected" : random.pick(["voicemail", "no_answer", "sent"])
        let channel = outcome == "sent" ? "email" : random.pick(["call", "call", "social"])
        push(work, at: when, kind: .contactAttempt, body: .contactAttempt(.init(repID: work.repID, channel: channel, outcome: outcome)))
    }

    mutating func push(_ work: SalesCase, at: Date, kind: InboundEvent.Kind, body: InboundEvent.Body) {
        queue.push(
            at: at, event: InboundEvent(eventID: nextID(work.leadID), kind: kind, occurredAt: at, leadID: work.leadID, body: body),
            caseID: work.id)
    }

    /// Whole seconds, strictly after `origin` and not before the simulated clock.
    func later(_ date: Date, than origin: Date) -> Date {
        var t = date.timeIntervalSince1970.rounded(.up)
        if t <= origin.timeIntervalSince1970 { t = origin.timeIntervalSince1970.rounded(.down) + 1 }
        if let clock, t < clock.timeIntervalSince1970 { t = clock.timeIntervalSince1970.rounded(.up) }
        return Date(timeIntervalSince1970: t)
    }

    mutating func nextID(_ lead: String) -> String {
        let n = (serial[lead] ?? 0) + 1
        serial[lead] = n
        return "\(lead)-\(n < 1000 ? String(format: "%03d", n) : String(n))"
    }
}
