import Foundation
import HandoffPersistence
import Testing

/// The outbox's states (pending → failed → dead → replayed → delivered), its listing and its
/// per-target summary read the same on both backends.
@Suite struct OutboxTests {
    @Test(arguments: StoreBackend.allCases)
    func deadLetterIsNeverRetriedUntilReplayed(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let ids = ["L1/1", "L1/2", "L1/3", "L1/4"]
            _ = try await store.commit(
                UnitOfWork(
                    ids.enumerated().map { i, id in
                        .raiseAlert(
                            AlertRecord(
                                id: id, kind: i == 3 ? "crm-sync" : "fallback-queue", leadID: "L1", target: i == 3 ? "crm" : "triage",
                                createdAt: T.minutes(Double(i))))
                    }))
            try await store.apply(.recordAlertDelivery(alertID: "L1/1", at: T.minutes(5), outcome: .delivered))
            try await store.apply(.recordAlertDelivery(alertID: "L1/2", at: T.minutes(5), outcome: .retry(error: "HTTP 503", retryAt: T.minutes(6))))
            try await store.apply(.recordAlertDelivery(alertID: "L1/3", at: T.minutes(5), outcome: .deadLetter(error: "HTTP 400: bad property")))

            #expect(try await store.alertsPendingDelivery(at: T.minutes(60), limit: 10).map(\.id) == ["L1/2", "L1/4"], "a dead row is not due")
            func listed(_ state: OutboxState?) async throws -> [String] { try await store.outbox(OutboxQuery(state: state)).entries.map(\.alert.id) }
            #expect(try await listed(.delivered) == ["L1/1"])
            #expect(try await listed(.failed) == ["L1/2"])
            #expect(try await listed(.dead) == ["L1/3"])
            #expect(try await listed(.pending) == ["L1/4"])
            #expect(try await listed(nil) == ids)
            let dead = try #require(try await store.outboxEntry(id: "L1/3")).alert
            #expect(dead.state == .dead && dead.deadAt == T.minutes(5) && dead.lastError == "HTTP 400: bad property" && dead.attempts == 1)

            let summary = try await store.outboxSummary()
            let triage = try #require(summary.first { $0.target == "triage" })
            #expect(triage.undelivered == 1 && triage.failing == 1 && triage.dead == 1)
            #expect(triage.oldestUndeliveredAt == T.minutes(1) && triage.lastDeliveredAt == T.minutes(5))
            let crm = try #require(summary.first { $0.target == "crm" })
            #expect(crm.kind == "crm-sync" && crm.undelivered == 1 && crm.failing == 0 && crm.dead == 0 && crm.lastDeliveredAt == nil)

            try await store.apply(.replayAlert(alertID: "L1/3", at: T.minutes(10)))
            let replayed = try #require(try await store.outboxEntry(id: "L1/3")).alert
            #expect(replayed.state == .pending && replayed.attempts == 0 && replayed.replayedAt == T.minutes(10) && replayed.deadAt == nil)
            #expect(replayed.lastError == "HTTP 400: bad property", "the reason it died stays readable")
            #expect(try await store.alertsPendingDelivery(at: T.minutes(10), limit: 10).map(\.id) == ["L1/2", "L1/3", "L1/4"])

            for id in ["L1/1", "nope"] {
                await #expect(throws: StoreError.self, "a delivered or unknown row cannot be replayed") {
                    try await store.apply(.replayAlert(alertID: id, at: T.minutes(11)))
                }
            }
            #expect(try await store.outboxEntry(id: "L1/1")?.alert.state == .delivered)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func listingPagesBySequence(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            _ = try await store.commit(
                UnitOfWork(
                    (0..<7).map {
                        .raiseAlert(AlertRecord(id: "sys/\($0)", kind: "escalation", target: "managers", createdAt: T.minutes(Double(10 - $0))))
                    }))
            var seen: [String] = []
            var query = OutboxQuery(limit: 3)
            var pages = 0
            while true {
                let page = try await store.outbox(query)
                seen += page.entries.map(\.alert.id)
                pages += 1
                guard let next = page.next else { break }
                query.afterSequence = next
            }
            #expect(seen == (0..<7).map { "sys/\($0)" } && pages == 3, "store order, not creation time")
        }
    }
}
