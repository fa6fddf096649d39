import Foundation
import HandoffPersistence
import Testing

@Suite struct AtomicityTests {
    @Test(arguments: StoreBackend.allCases)
    func unitThatFailsHalfwayLeavesNoRows(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let before = try await store.counts()
            // Event, score and decision are written before the assignment names an unknown rep.
            let unit = UnitOfWork(
                trigger: .appendEvent(Sample.event("evt-1", lead: "L1")),
                then: [
                    .recordScore(Sample.score(lead: "L1")),
                    .recordDecision(Sample.decision(lead: "L1")),
                    .openAssignment(Sample.assignment(lead: "L1", rep: "nobody")),
                    .upsertTimer(Sample.timer("L1/first-touch", lead: "L1", due: T.minutes(63))),
                ])
            let error = await #expect(throws: StoreError.self) { try await store.commit(unit) }
            #expect(error == .unknownRep(repID: "nobody", referencedBy: "assignment of lead 'L1'", field: "target"))
            #expect(try await store.counts() == before)
            #expect(before.total == 1)
            // The same event id is free again: nothing of the failed unit was kept.
            try await store.upsertRep(Sample.rep("nobody"))
            guard case .committed = try await store.commit(unit) else {
                Issue.record("retry after fixing the roster should commit")
                return
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func routerConflictRollsBackTheWholeUnit(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("r1"))
            let state = JSONText(trusted: #"{"turns":{"r1":1}}"#)
            let unit = UnitOfWork(
                trigger: .appendEvent(Sample.event("evt-1", lead: "L1")),
                then: [
                    .openAssignment(Sample.assignment(lead: "L1", rep: "r1")),
                    .saveRouterState(name: "default", state: state, expectedRevision: 3, at: T.minutes(3)),
                ])
            let error = await #expect(throws: StoreError.self) { try await store.commit(unit) }
            #expect(error == .routerStateConflict(name: "default", expectedRevision: 3, actualRevision: 0))
            let counts = try await store.counts()
            #expect(counts.events == 0 && counts.assignments == 0 && counts.routerStates == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func batchKeepsUnitsBeforeTheBadOne(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertLead(Sample.lead("L2"))
            try await store.upsertRep(Sample.rep("r1"))
            let units = [
                Sample.ingest(event: "e1", lead: "L1", rep: "r1"),
                UnitOfWork(trigger: .appendEvent(Sample.event("e1", lead: "L1")), then: []),  // retried delivery
                Sample.ingest(event: "e2", lead: "L2", rep: "r1"),
                // Fails after its event is written: the event must be rolled back with the rest.
                UnitOfWork(trigger: .appendEvent(Sample.event("e3", lead: "L1")), then: [.recordScore(Sample.score(lead: "L404"))]),
                UnitOfWork(trigger: .appendEvent(Sample.event("e4", lead: "L1")), then: []),
            ]
            let error = await #expect(throws: StoreError.self) { try await store.commit(units) }
            #expect(
                error
                    == .batchHalted(
                        index: 3, committedCount: 3,
                        cause: .unknownLead(leadID: "L404", referencedBy: "score of lead 'L404'", field: "leadID")))
            #expect(error?.description.contains("3 earlier unit(s) are committed") == true)
            let counts = try await store.counts()
            #expect(counts.events == 2)
            #expect(counts.scores == 2 && counts.assignments == 2 && counts.timers == 2)
            let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
            #expect(timeline.events.map(\.id) == ["e1"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func batchResultsReportDuplicates(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let units = (0..<4).map { i in UnitOfWork(trigger: .appendEvent(Sample.event("e\(i % 2)", lead: "L1")), then: []) }
            let results = try await store.commit(units)
            #expect(results.map(\.isDuplicate) == [false, false, true, true])
            #expect(try await store.counts().events == 2)
        }
    }
}
