import Foundation
import HandoffPersistence
import Testing

/// `commitEach` (one transaction, a savepoint per unit) and `GroupCommit` over it, on both backends.
@Suite struct GroupCommitTests {
    @Test(arguments: StoreBackend.allCases)
    func commitEachKeepsEveryUnitButTheBadOne(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertLead(Sample.lead("L2"))
            try await store.upsertRep(Sample.rep("r1"))
            let units = [
                Sample.ingest(event: "e1", lead: "L1", rep: "r1"),
                // Fails after its event is written: that event is rolled back, its neighbours are not.
                UnitOfWork(trigger: .appendEvent(Sample.event("e2", lead: "L1")), then: [.recordScore(Sample.score(lead: "L404"))]),
                Sample.ingest(event: "e3", lead: "L2", rep: "r1"),
                // The same id twice in one transaction: the second is a duplicate of the first.
                UnitOfWork(trigger: .appendEvent(Sample.event("e3", lead: "L2")), then: [.recordScore(Sample.score(lead: "L2"))]),
                UnitOfWork(trigger: .appendEvent(Sample.event("e4", lead: "L1")), then: []),
            ]
            let results = try await store.commitEach(units)
            #expect(results.count == 5)
            #expect(throws: StoreError.unknownLead(leadID: "L404", referencedBy: "score of lead 'L404'", field: "leadID")) {
                try results[1].get()
            }
            #expect(try results[0].get().isDuplicate == false)
            #expect(try results[2].get().isDuplicate == false)
            #expect(try results[3].get().isDuplicate == true)
            #expect(try results[4].get().isDuplicate == false)
            let counts = try await store.counts()
            #expect(counts.events == 3)
            #expect(counts.scores == 2 && counts.assignments == 2 && counts.timers == 2)
            let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
            #expect(timeline.events.map(\.id) == ["e1", "e4"])
        }
    }

    /// Many concurrent callers, each announced: fewer transactions than units, every unit stored
    /// once, the poisoned one refused alone, and every caller answered with its own result.
    @Test(arguments: StoreBackend.allCases)
    func concurrentCommitsShareTransactionsAndFailAlone(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            for i in 0..<40 { try await store.upsertLead(Sample.lead("L\(i)")) }
            let group = GroupCommit(store: store, settings: .init(maxUnits: 16, window: .milliseconds(200)))
            // Announce every caller first, so the groups wait for each other's units.
            var tickets: [GroupCommit.Ticket] = []
            for _ in 0..<41 { tickets.append(await group.enter()) }
            let outcomes = await withTaskGroup(of: (Int, Result<UnitResult, StoreError>).self) { tasks in
                for i in 0..<41 {
                    let ticket = tickets[i]
                    tasks.addTask {
                        let unit =
                            i == 40
                            ? UnitOfWork(trigger: .appendEvent(Sample.event("poison", lead: "L404")), then: [])
                            : UnitOfWork(
                                trigger: .appendEvent(Sample.event("g\(i)", lead: "L\(i)")), then: [.recordScore(Sample.score(lead: "L\(i)"))])
                        do throws(StoreError) { return (i, .success(try await group.commit(unit, ticket: ticket))) } catch {
                            return (i, .failure(error))
                        }
                    }
                }
                var all: [Int: Result<UnitResult, StoreError>] = [:]
                for await (i, outcome) in tasks { all[i] = outcome }
                return all
            }
            for i in 0..<40 {
                let outcome = try #require(outcomes[i])
                #expect(try outcome.get().isDuplicate == false, "unit \(i)")
            }
            #expect(throws: StoreError.self) { try outcomes[40]?.get() }
            let statistics = await group.statistics
            #expect(statistics.units == 41)
            #expect(statistics.largestGroup <= 16)
            #expect(statistics.groups >= 3 && statistics.groups < 41, "\(statistics)")
            let counts = try await store.counts()
            #expect(counts.events == 40 && counts.scores == 40)
        }
    }

    /// A lone caller is not held for the window: with nobody else announced its group closes at once.
    @Test func loneCallerDoesNotWaitForTheWindow() async throws {
        try await StoreBackend.sqlite.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let group = GroupCommit(store: store, settings: .init(maxUnits: 256, window: .seconds(30)))
            let ticket = await group.enter()
            let result = try await group.commit(UnitOfWork(trigger: .appendEvent(Sample.event("e1", lead: "L1")), then: []), ticket: ticket)
            #expect(!result.isDuplicate)
            // Nobody else announced: the group never entered the window's wait (counted, not timed).
            #expect(await group.statistics.windowWaits == 0)
            #expect(await group.statistics.groups == 1)
        }
    }
}
