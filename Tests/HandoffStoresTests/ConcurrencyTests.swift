import Foundation
import HandoffPersistence
import Testing

@Suite struct ConcurrencyTests {
    /// Eight writers append 60 events each; every third id is shared with the next writer, as
    /// when a webhook sender retries against another connection. Each id must be stored exactly
    /// once and reported as stored exactly once.
    @Test(arguments: StoreBackend.allCases)
    func concurrentWritersNeitherLoseNorDuplicate(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let writers = 8
            let perWriter = 60
            func ids(_ writer: Int) -> [String] {
                (0..<perWriter).map { i in i % 3 == 0 ? "shared-\((writer + 1) % writers)-\(i)" : "w\(writer)-\(i)" }
            }
            let storedCounts = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var stored = 0
                        for (i, id) in ids(writer).enumerated() {
                            let event = Sample.event(id, lead: "L1", at: T.ms(Int64(i)))
                            if try await store.appendEvent(event) == .stored(rowID: nil) { stored += 1 }
                        }
                        return stored
                    }
                    group.addTask {
                        // The shared ids are also sent by a second task.
                        var stored = 0
                        for (i, id) in ids((writer + writers - 1) % writers).enumerated() where id.hasPrefix("shared-\(writer)-") {
                            let result = try await store.commit(
                                UnitOfWork(
                                    trigger: .appendEvent(Sample.event(id, lead: "L1", at: T.ms(Int64(i)))),
                                    then: []))
                            if !result.isDuplicate { stored += 1 }
                        }
                        return stored
                    }
                }
                return try await group.reduce(0, +)
            }
            let unique = Set((0..<writers).flatMap(ids))
            #expect(storedCounts == unique.count)
            #expect(try await store.counts().events == unique.count)
            let stored = try #require(try await store.leadTimeline(leadID: "L1")).events.map(\.id)
            #expect(Set(stored) == unique)
            #expect(stored.count == unique.count)
        }
    }

    /// Round-robin turns under contention: each task reads the router state, bumps its counter
    /// and saves with compare-and-swap, retrying on conflict. No turn may be lost or handed out twice.
    @Test(arguments: StoreBackend.allCases)
    func routerStateCompareAndSwapLosesNoTurn(backend: StoreBackend) async throws {
        struct Turns: Codable { var next: Int }
        try await backend.withEmptyStore { store in
            let tasks = 6
            let turnsEach = 15
            let taken = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<tasks {
                    group.addTask {
                        var mine: [Int] = []
                        while mine.count < turnsEach {
                            let current = try await store.routerState(name: "default")
                            let turn = try current?.state.decode(Turns.self).next ?? 0
                            do {
                                try await store.apply(
                                    .saveRouterState(
                                        name: "default", state: try JSONText(encoding: Turns(next: turn + 1)),
                                        expectedRevision: current?.revision ?? 0, at: T.base))
                                mine.append(turn)
                            } catch StoreError.routerStateConflict {
                                continue
                            }
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(taken.sorted() == Array(0..<(tasks * turnsEach)))
            let final = try #require(try await store.routerState(name: "default"))
            #expect(final.revision == Int64(tasks * turnsEach))
        }
    }
}
