import Foundation
import HandoffPersistence

/// First-touch SLA compliance per policy, with breaches and escalations from the stored timers.
///
/// A hand-off *met* its SLA when the first touch came within the policy's target in business
/// hours; it *missed* when the touch came later, or when it is still untouched and the target
/// has passed by the as-of time. Untouched hand-offs whose target has not passed yet are
/// *pending* and stay out of the rate (they cannot be judged yet).
///
/// **Parked leads.** A lead whose hand-off went to a fallback queue (no rep could take it; the
/// router raised an alert) is a routing/capacity failure, not a rep's miss: it is left out of the
/// per-policy rates (``policies``, ``repsOverall``) and counted in ``parkedAtHandoff`` and in
/// ``FallbackParking``. The lead-side figure ``leadsContactedWithinSLA`` keeps every hand-off:
/// a parked lead counts as not contacted in time unless someone touched it within its target
/// (judged in the default calendar, as no rep holds it).
package struct SLACompliance: Sendable, Hashable {
    package struct Policy: Sendable, Hashable {
        package let name: String
        /// Target in business hours.
        package let targetHours: Double
        /// met / (met + missed), with its Wilson interval.
        package let compliance: Proportion
        package let pending: Int
        /// Missed hand-offs never touched by the as-of time.
        package let untouchedMissed: Int
    }

    package let policies: [Policy]
    /// Hand-offs of the period with a breached timer (state breached, or an escalation step fired).
    package let breachedTimers: Int
    /// Escalation steps fired on those hand-offs' timers, by action ("remind-rep", …); steps
    /// voided since are left out.
    package let escalations: [String: Int]
    /// Steps that fired, then were voided by a first touch made before them that arrived late.
    package var voidedEscalations: [String: Int] = [:]
    /// Each rep's first-touch compliance (met / judged) over the hand-offs they received, all
    /// policies together; parked hand-offs and pending ones left out, as in ``repsOverall``.
    package var byRep: [String: Proportion] = [:]
    /// Hand-offs of the period that went to a fallback queue (left out of `policies`).
    package let parkedAtHandoff: Int
    /// Leads handed off in the period (reps and fallback queues) contacted within their target,
    /// out of those that can be judged (pending ones left out); parked leads count as not
    /// contacted in time unless touched within the target.
    package let leadsContactedWithinSLA: Proportion
    /// The headline figure (dashboard, weekly trend): ``leadsContactedWithinSLA``, parked leads
    /// included as not contacted in time.
    package var overall: Proportion { leadsContactedWithinSLA }
    /// All policies together: the reps' first-touch compliance (parked leads excluded).
    package var repsOverall: Proportion {
        Proportion(policies.map(\.compliance.successes).reduce(0, +), of: policies.map(\.compliance.trials).reduce(0, +))
    }

    package static func compute(
        _ journeys: [LeadJourney], period: ReportPeriod, reps: [String: RepRecord], asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> SLACompliance {
        let handed = journeys.filter { $0.handoffAt.map(period.contains) ?? false }
        var met: [String: Int] = [:], missed: [String: Int] = [:], pending: [String: Int] = [:], untouched: [String: Int] = [:]
        var leadsMet = 0, leadsMissed = 0, parked = 0
        var repMet: [String: Int] = [:], repJudged: [String: Int] = [:]
        for journey in handed {
            let policy = journey.policy ?? "(none)"
            let verdict = judge(journey, target: configuration.targetHours(policy: policy), reps: reps, asOf: asOf, configuration: configuration)
            switch verdict {
            case .met: leadsMet += 1
            case .missed, .untouchedMissed: leadsMissed += 1
            case .pending: break
            }
            if journey.queue != nil {
                parked += 1
                continue
            }
            if let rep = journey.repID, verdict != .pending {
                repJudged[rep, default: 0] += 1
                if verdict == .met { repMet[rep, default: 0] += 1 }
            }
            switch verdict {
            case .met: met[policy, default: 0] += 1
            case .missed: missed[policy, default: 0] += 1
            case .untouchedMissed:
                missed[policy, default: 0] += 1
                untouched[policy, default: 0] += 1
            case .pending: pending[policy, default: 0] += 1
            }
        }
        let names = Set(met.keys).union(missed.keys).union(pending.keys).sorted()
        let policies = names.map { name in
            let m = met[name] ?? 0, x = missed[name] ?? 0
            return Policy(
                name: name, targetHours: configuration.targetHours(policy: name), compliance: Proportion(m, of: m + x),
                pending: pending[name] ?? 0, untouchedMissed: untouched[name] ?? 0)
        }
        var breached = 0
        var escalations: [String: Int] = [:], voided: [String: Int] = [:]
        for journey in handed {
            let timers = journey.timers.filter { $0.startedAt <= asOf }
            // A step voided by the as-of time never happened for this measure; one voided later still stood then.
            func stood(_ step: FiredEscalationStep) -> Bool { step.firedAt <= asOf && !(step.voidedAt.map { $0 <= asOf } ?? false) }
            if timers.contains(where: { $0.state == .breached || $0.firedSteps.contains(where: stood) }) { breached += 1 }
            for step in timers.flatMap(\.firedSteps) where step.firedAt <= asOf {
                if stood(step) { escalations[step.action, default: 0] += 1 } else { voided[step.action, default: 0] += 1 }
            }
        }
        var result = SLACompliance(
            policies: policies, breachedTimers: breached, escalations: escalations, parkedAtHandoff: parked,
            leadsContactedWithinSLA: Proportion(leadsMet, of: leadsMet + leadsMissed))
        result.voidedEscalations = voided
        result.byRep = repJudged.reduce(into: [:]) { $0[$1.key] = Proportion(repMet[$1.key] ?? 0, of: $1.value) }
        return result
    }

    enum Verdict { case met, missed, untouchedMissed, pending }

    /// First touch within `target` business hours of the hand-off (in the holder's calendar; the
    /// default one for a queue; paused stretches left out, as the clock leaves them out), missed,
    /// or not judged yet.
    static func judge(
        _ journey: LeadJourney, target: Double, reps: [String: RepRecord], asOf: Date,
        configuration: AnalyticsConfiguration
    ) -> Verdict {
        guard let handoff = journey.handoffAt else { return .pending }
        if let hours = SpeedToContact.hours(journey, reps: reps, asOf: asOf, configuration: configuration) {
            return hours <= target ? .met : .missed
        }
        let calendar = configuration.calendar(journey.repID.flatMap { reps[$0] })
        return journey.businessSeconds(from: handoff, to: asOf, in: calendar) / 3600 > target ? .untouchedMissed : .pending
    }
}
