import Foundation
import HandoffPersistence
import TestSupport
import Testing

@Suite struct ModelRegistryTests {
    private static func sha(_ n: Int) -> String { String(format: "%064x", n) }
    private static func upload(_ n: Int) -> ModelUpload {
        ModelUpload(
            sha256: sha(n), format: "baton.weights/1", versionLabel: "v\(n)", fileBytes: Data("{\"model\":\(n)}".utf8),
            uploadedAt: T.minutes(Double(n)))
    }

    private func productionCount(_ store: any HandoffStore) async throws -> Int {
        let inProduction = try await store.models().filter(\.isInProduction).count
        let openDeployments = try await store.deployments().filter { $0.retiredAt == nil }.count
        #expect(inProduction == openDeployments)
        return inProduction
    }

    @Test(arguments: StoreBackend.allCases)
    func promoteAndRollBackWalkTheHistory(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            for n in 1...3 { #expect(try await store.registerModel(Self.upload(n)) == .stored(rowID: nil)) }
            #expect(try await store.registerModel(Self.upload(2)) == .alreadyStored)
            #expect(try await store.productionModel() == nil)
            #expect(try await productionCount(store) == 0)

            for n in 1...3 {
                try await store.promoteModel(sha256: Self.sha(n), at: T.minutes(Double(10 * n)))
                #expect(try await store.productionModel()?.upload.sha256 == Self.sha(n))
                #expect(try await productionCount(store) == 1)
            }
            let back1 = try await store.rollBackModel(at: T.minutes(40))
            #expect(back1.upload.sha256 == Self.sha(2) && back1.isInProduction)
            #expect(back1.promotedAt == T.minutes(40))
            let back2 = try await store.rollBackModel(at: T.minutes(50))
            #expect(back2.upload.sha256 == Self.sha(1))
            #expect(try await productionCount(store) == 1)
            let error = await #expect(throws: StoreError.self) { try await store.rollBackModel(at: T.minutes(60)) }
            guard case .modelRegistry = error else {
                Issue.record("got \(String(describing: error))")
                return
            }
            #expect(try await store.productionModel()?.upload.sha256 == Self.sha(1))
            let retired = try #require(try await store.model(sha256: Self.sha(3), includeBytes: true))
            #expect(retired.retiredAt == T.minutes(40) && !retired.isInProduction)
            #expect(retired.upload.fileBytes == Data("{\"model\":3}".utf8))
            #expect(try await store.models().map(\.upload.fileBytes) == [nil, nil, nil], "listing leaves bytes out")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func registryRefusals(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            let unknown = await #expect(throws: StoreError.self) { try await store.promoteModel(sha256: Self.sha(7), at: T.base) }
            #expect(unknown == .unknownModel(sha256: Self.sha(7)))
            var bad = Self.upload(1)
            bad.sha256 = "ABC"
            await #expect(throws: StoreError.self) { try await store.registerModel(bad) }
            let empty = await #expect(throws: StoreError.self) { try await store.rollBackModel(at: T.base) }
            guard case .modelRegistry = empty else {
                Issue.record("got \(String(describing: empty))")
                return
            }
            try await store.registerModel(Self.upload(1))
            try await store.promoteModel(sha256: Self.sha(1), at: T.minutes(10))
            try await store.promoteModel(sha256: Self.sha(1), at: T.minutes(11))
            #expect(try await store.deployments().count == 1, "promoting the production model again is a no-op")
            try await store.registerModel(Self.upload(2))
            let early = await #expect(throws: StoreError.self) { try await store.promoteModel(sha256: Self.sha(2), at: T.minutes(5)) }
            guard case .modelRegistry = early else {
                Issue.record("got \(String(describing: early))")
                return
            }
            #expect(try await store.productionModel()?.upload.sha256 == Self.sha(1))
        }
    }

    /// Random promote / roll-back sequences against a plain stack model of the history.
    @Test(arguments: StoreBackend.allCases)
    func randomSequencesKeepExactlyOneInProduction(backend: StoreBackend) async throws {
        var rng = SplitMix64(seed: 20251006)
        try await backend.withEmptyStore { store in
            for n in 0..<5 { try await store.registerModel(Self.upload(n)) }
            var stack: [Int] = []
            for step in 0..<60 {
                let at = T.minutes(Double(step))
                if rng.uniform() < 0.6 {
                    let n = Int(rng.next() % 5)
                    try await store.promoteModel(sha256: Self.sha(n), at: at)
                    if stack.last != n { stack.append(n) }
                } else if stack.count >= 2 {
                    let restored = try await store.rollBackModel(at: at)
                    stack.removeLast()
                    #expect(restored.upload.sha256 == Self.sha(stack[stack.count - 1]))
                } else {
                    await #expect(throws: StoreError.self) { try await store.rollBackModel(at: at) }
                }
                #expect(try await store.productionModel()?.upload.sha256 == stack.last.map(Self.sha))
                #expect(try await productionCount(store) == (stack.isEmpty ? 0 : 1))
            }
        }
    }
}
