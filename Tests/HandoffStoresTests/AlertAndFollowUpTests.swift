import Foundation
import HandoffPersistence
import Testing

@Suite struct AlertAndFollowUpTests {
    @Test(arguments: StoreBackend.allCases)
    func alertDeliveryIsRetriedWithBackoffThenDone(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let alert = AlertRecord(
                id: "L1/fallback", kind: "fallback-queue", leadID: "L1", target: "unrouted",
                payload: JSONText(trusted: #"{"queue":"unrouted"}"#), createdAt: T.minutes(1))
            let system = AlertRecord(id: "sys/1", kind: "escalation", target: "sales-managers", createdAt: T.minutes(2))
            _ = try await store.commit(UnitOfWork([.raiseAlert(alert), .raiseAlert(system)]))
            #expect(try await store.alertsPendingDelivery(at: T.minutes(2), limit: 10).map(\.id) == ["L1/fallback", "sys/1"])

            try await store.apply(
                .recordAlertDelivery(alertID: "L1/fallback", at: T.minutes(3), outcome: .retry(error: "HTTP 503", retryAt: T.minutes(5))))
            #expect(try await store.alertsPendingDelivery(at: T.minutes(4), limit: 10).map(\.id) == ["sys/1"])
            let retry = try #require(try await store.alertsPendingDelivery(at: T.minutes(5), limit: 10).first)
            #expect(retry.id == "L1/fallback" && retry.attempts == 1 && retry.lastError == "HTTP 503" && retry.nextAttemptAt == T.minutes(5))

            try await store.apply(
                .recordAlertDelivery(alertID: "L1/fallback", at: T.minutes(5), outcome: .delivered))
            #expect(try await store.alertsPendingDelivery(at: T.minutes(60), limit: 10).map(\.id) == ["sys/1"])
            let delivered = try #require(
                try await store.activity(in: ReportPeriod(start: T.base, end: T.minutes(9)))
                    .alerts.first { $0.id == "L1/fallback" })
            #expect(delivered.deliveredAt == T.minutes(5) && delivered.attempts == 2 && delivered.lastError == nil)

            let unknown = await #expect(throws: StoreError.self) {
                try await store.apply(.recordAlertDelivery(alertID: "nope", at: T.base, outcome: .delivered))
            }
            guard case .invalidField(_, "alertID", _) = unknown else {
                Issue.record("got \(String(describing: unknown))")
                return
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func followUpRecordsReadBackExactly(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("r1"))
            try await store.upsertRep(Sample.rep("r9", status: .left))
            var attempts: [ContactAttemptRecord] = []
            for i in 0..<6 {
                let rep: String = i == 5 ? "r9" : "r1"
                let channel: String = i % 2 == 0 ? "call" : "email"
                let result: String? = i == 5 ? nil : "no-answer"
                let note: String? = i == 0 ? "left VM" : nil
                attempts.append(
                    ContactAttemptRecord(
                        id: "a\(i)", leadID: "L1", repID: rep, channel: channel, result: result,
                        attemptedAt: T.minutes(Double(100 * i)), note: note))
            }
            let disposition = DispositionRecord(
                id: "d1", leadID: "L1", repID: "r1", code: "bad-timing", note: "budget in Q2",
                reengageAt: T.minutes(60 * 24 * 120), decidedAt: T.minutes(700))
            let custom = DispositionRecord(id: "d2", leadID: "L1", code: "duplicate-account", decidedAt: T.minutes(701))
            _ = try await store.commit(
                UnitOfWork(
                    attempts.map(WriteOperation.appendContactAttempt)
                        + [.appendDisposition(disposition), .appendDisposition(custom)]))
            let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
            #expect(timeline.contactAttempts == attempts, "a rep who left still resolves in history")
            #expect(timeline.dispositions == [disposition, custom])
            #expect(try await store.reps().map(\.status) == [.active, .left])
        }
    }
}
