import Foundation
import HandoffPersistence
import HandoffSQLite
import TestSupport
import Testing

@Suite struct PersistenceTests {
    @Test func fileStoreSurvivesCloseAndReopenWithExactValues() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("baton.sqlite").path
            let lead = LeadRecord(
                id: "L-ü-1", fields: try JSONText(encoding: ["note": "Grüße, \"quoted\"", "size": "250"]),
                source: nil, campaign: "c", createdAt: T.ms(123), updatedAt: T.ms(456))
            // Largest amount a 64-bit minor-unit column holds; a Double would round it.
            let opportunity = OpportunityRecord(
                id: "o1", leadID: lead.id, amount: Money(minorUnits: Int64.max, currency: "JPY"),
                stage: "proposal", openedAt: T.ms(789))
            let score = ScoreRecord(
                leadID: lead.id, model: Sample.model, probability: 0.1 + 0.2, points: -12.000000000000002,
                fitPoints: 1e-300, engagementPoints: 0, reasons: .emptyArray, scoredAt: T.ms(999))
            do {
                let store = try SQLiteHandoffStore(
                    path: path,
                    options: {
                        var o = SQLiteHandoffStore.Options()
                        o.durability = .normal
                        return o
                    }())
                _ = try await store.commit(UnitOfWork([.upsertLead(lead), .upsertOpportunity(opportunity), .recordScore(score)]))
                try store.close()
            }
            let reopened = try SQLiteHandoffStore(path: path)
            defer { try? reopened.close() }
            let timeline = try #require(try await reopened.leadTimeline(leadID: lead.id))
            #expect(timeline.lead == lead)
            #expect(timeline.opportunities == [opportunity])
            var expectedScore = score
            expectedScore.rowID = 1
            #expect(timeline.scores == [expectedScore])
            #expect(timeline.scores.first?.probability == 0.1 + 0.2, "REAL keeps all 53 bits")
        }
    }

    @Test func timestampsAreUTCMillisecondsRoundedDown() throws {
        #expect(T.base.storeMillis == 1_759_741_200_000)
        #expect(Date(timeIntervalSince1970: 1.0009).storeMillis == 1000)
        #expect(Date(timeIntervalSince1970: -0.0005).storeMillis == -1)
        // Every whole millisecond reads back to itself (no drift from Date's 2001-based Double).
        for millis in stride(from: Int64(1_759_741_200_000), to: 1_759_741_200_000 + 5_000, by: 1) {
            #expect(Date(storeMillis: millis).storeMillis == millis)
        }
        // And at random instants from 1900 to 2200.
        var rng = SplitMix64(seed: 7)
        for _ in 0..<100_000 {
            let millis = Int64(rng.next() % 9_467_280_000_000) - 2_208_988_800_000
            #expect(Date(storeMillis: millis).storeMillis == millis)
        }
    }
}
