import Foundation
import HandoffPersistence
import HandoffRules

extension HandoffEngine {
    /// Extra writes for one SLA firing's unit of work, from its `source` (the firing's name), lead
    /// and effects: the service's CRM sync message.
    package typealias FiringWrites = @Sendable (_ source: String, _ leadID: String, _ effects: [EngineEffect]) -> [WriteOperation]

    /// Fires every SLA step due at or before `instant`, one timer at a time in due order, each
    /// at its own due instant (so a reminder is stamped with its deadline, not with the time the
    /// scheduler woke up). Each firing is its own unit of work; reassignments route the lead
    /// again, excluding the rep it is taken from.
    /// - Returns: the effects, in the order they happened.
    package func tick(at instant: Date) async throws(EngineError) -> [EngineEffect] {
        try await tick(at: instant, claimingAs: nil)
    }

    /// ``tick(at:)`` for a service that may run beside other instances on one store: each due
    /// timer is first claimed under a lease (`owner`, until `instant + leaseSeconds`), so two
    /// schedulers never fire the same step; writing the timer as it fires releases the lease.
    ///
    /// `extra` adds writes to each firing's unit of work from its effects (the service's CRM sync
    /// message), so they commit with the step or not at all; `source` names the firing.
    package func tick(
        at instant: Date, owner: String, leaseSeconds: Double = 60,
        extra: FiringWrites? = nil
    ) async throws(EngineError) -> [EngineEffect] {
        try await tick(at: instant, claimingAs: (owner, instant.addingTimeInterval(max(leaseSeconds, 0.001))), extra: extra)
    }

    private func tick(
        at instant: Date, claimingAs claim: (owner: String, leaseUntil: Date)?,
        extra: FiringWrites? = nil
    ) async throws(EngineError) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        var seen = Set<String>()
        while true {
            let due: [SLATimerRecord]
            do {
                if let claim {
                    // One at a time: a claimed timer this pass does not fire would stay leased
                    // (and late) until its lease ran out.
                    due = try await store.claimDueTimers(before: instant, owner: claim.owner, leaseUntil: claim.leaseUntil, limit: 1)
                } else {
                    due = try await store.timersDue(before: instant, limit: seen.count + 1)
                }
            } catch {
                throw .store(eventID: nil, error)
            }
            // A timer already fired at this due time whose step did not move it is left for the
            // next tick rather than looped on.
            guard let timer = due.first(where: { !seen.contains("\($0.id)@\($0.dueAt.timeIntervalSince1970)") }) else { break }
            seen.insert("\(timer.id)@\(timer.dueAt.timeIntervalSince1970)")
            effects += try await fire(timer, extra: extra)
        }
        return effects
    }

    func fire(
        _ timer: SLATimerRecord,
        extra: FiringWrites? = nil
    ) async throws(EngineError) -> [EngineEffect] {
        // Rounded up to the millisecond the store keeps, so the step at `dueAt` does fire.
        let at = Date(timeIntervalSince1970: (timer.dueAt.timeIntervalSince1970 * 1000).rounded(.up) / 1000)
        let source = "\(timer.id)@\(EventTime.format(at))"
        let timeline: LeadTimeline?
        do { timeline = try await store.flowTimeline(leadID: timer.leadID) } catch { throw .store(eventID: source, error) }
        // A reassignment routes: the routing turn is held until this firing is committed.
        return try await RoutingClaim.around(routingTurn) { claim async throws(EngineError) -> [EngineEffect] in
            var work = try LeadWork(engine: self, leadID: timer.leadID, source: source, timeline: timeline, routing: claim)
            let current = Self.timerID(leadID: timer.leadID, handoff: work.sla.handoffs)
            if timer.id != current || work.sla.phase == .closed || work.sla.phase == .pending || work.hasOutcome {
                var stale = timer
                stale.state = .cancelled
                stale.updatedAt = at
                work.upsert(stale)
            } else {
                try await work.slaEvent(.tick, at: at)
            }
            try work.raiseAlerts()
            let unit = UnitOfWork(work.operations + (extra?(source, timer.leadID, work.effects) ?? []))
            do throws(StoreError) {
                _ = try await store.commit(unit)
            } catch {
                throw .store(eventID: source, error)
            }
            return work.effects
        }
    }
}
