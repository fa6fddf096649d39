import Foundation
import HandoffPersistence
import Testing

@Suite struct SLATimerTests {
    /// Timers on three leads: due at +10 min (running), +20 (breached), +30 (running),
    /// +5 (met) and +6 (cancelled).
    private func seed(_ store: any HandoffStore) async throws {
        for lead in ["L1", "L2", "L3"] { try await store.upsertLead(Sample.lead(lead)) }
        let timers = [
            Sample.timer("L1/first-touch", lead: "L1", due: T.minutes(10)),
            Sample.timer("L2/first-touch", lead: "L2", due: T.minutes(20), state: .breached),
            Sample.timer("L3/first-touch", lead: "L3", due: T.minutes(30)),
            Sample.timer("L1/old", lead: "L1", due: T.minutes(5), state: .met),
            Sample.timer("L2/old", lead: "L2", due: T.minutes(6), state: .cancelled),
        ]
        _ = try await store.commit(UnitOfWork(timers.map(WriteOperation.upsertTimer)))
    }

    @Test(arguments: StoreBackend.allCases)
    func dueQueryIncludesTheBoundaryAndOnlyOpenTimers(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await seed(store)
            #expect(try await store.timersDue(before: T.minutes(9), limit: 10).isEmpty)
            #expect(try await store.timersDue(before: T.ms(10 * 60_000 - 1), limit: 10).isEmpty)
            #expect(try await store.timersDue(before: T.minutes(10), limit: 10).map(\.id) == ["L1/first-touch"])
            #expect(try await store.timersDue(before: T.minutes(25), limit: 10).map(\.id) == ["L1/first-touch", "L2/first-touch"])
            #expect(
                try await store.timersDue(before: T.minutes(99), limit: 10).map(\.id)
                    == ["L1/first-touch", "L2/first-touch", "L3/first-touch"])
            #expect(try await store.timersDue(before: T.minutes(99), limit: 2).count == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func timerRoundTripsWithFiredSteps(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await seed(store)
            var timer = Sample.timer("L1/first-touch", lead: "L1", due: T.minutes(70), state: .breached)
            timer.escalationStep = 2
            timer.firedSteps = [
                FiredEscalationStep(step: 1, action: "remind-rep", firedAt: T.minutes(10)),
                FiredEscalationStep(step: 2, action: "notify-manager", firedAt: T.minutes(40)),
            ]
            timer.updatedAt = T.minutes(40)
            #expect(try await store.apply(.upsertTimer(timer)) == .updated)
            let stored = try #require(try await store.leadTimeline(leadID: "L1")?.timers.first { $0.id == timer.id })
            #expect(stored == timer)
            var stolen = timer
            stolen.leadID = "L2"
            let error = await #expect(throws: StoreError.self) { try await store.apply(.upsertTimer(stolen)) }
            guard case .conflictingRecord("SLA timer", "L1/first-touch", _) = error else {
                Issue.record("got \(String(describing: error))")
                return
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func claimsLeaseTimersUntilTheyExpireOrAreWritten(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await seed(store)
            let now = T.minutes(25)
            let first = try await store.claimDueTimers(before: now, owner: "a", leaseUntil: T.minutes(26), limit: 10)
            #expect(first.map(\.id) == ["L1/first-touch", "L2/first-touch"])
            #expect(try await store.claimDueTimers(before: now, owner: "b", leaseUntil: T.minutes(26), limit: 10).isEmpty)
            // Writing a timer (the scheduler fired its step) releases its lease.
            var fired = first[0]
            fired.state = .breached
            fired.dueAt = T.minutes(25)
            try await store.apply(.upsertTimer(fired))
            #expect(
                try await store.claimDueTimers(before: now, owner: "b", leaseUntil: T.minutes(26), limit: 10).map(\.id)
                    == ["L1/first-touch"])
            // After the lease ends, an abandoned claim is available again (earliest due first:
            // L2 at +20, then L1, re-armed at +25).
            #expect(
                try await store.claimDueTimers(before: T.minutes(26), owner: "c", leaseUntil: T.minutes(27), limit: 10).map(\.id)
                    == ["L2/first-touch", "L1/first-touch"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentSchedulersClaimEachTimerOnce(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let timers = (0..<40).map { Sample.timer("L1/t\($0)", lead: "L1", due: T.minutes(Double($0 % 7))) }
            _ = try await store.commit(UnitOfWork(timers.map(WriteOperation.upsertTimer)))
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var mine: [String] = []
                        // Bounded, so a store that hands out leased timers again fails instead of spinning.
                        for _ in 0..<40 {
                            let batch = try await store.claimDueTimers(
                                before: T.minutes(10), owner: "w\(worker)",
                                leaseUntil: T.minutes(11), limit: 3)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed) == Set(timers.map(\.id)))
        }
    }
}
