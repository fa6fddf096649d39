import Foundation
import HandoffPersistence
import Testing

@Suite struct InteractionStoreTests {
    private static func record(lead: String, sha: Character = "a", at: Date? = T.minutes(5), kind: String = "email") -> InteractionRecord {
        InteractionRecord(
            leadID: lead, kind: kind, occurredAt: at, recordedAt: T.minutes(10), source: "inbox.mbox:12", subject: "Re: pricing",
            contentSHA256: String(repeating: sha, count: 64), content: JSONText(trusted: #"{"utterances":[{"line":1,"text":"We use Acme."}]}"#))
    }

    private static func hit(lead: String) -> TrackerHitRecord {
        TrackerHitRecord(
            leadID: lead, tracker: "competitors", category: "competitor", phrase: "Acme", quote: "We use Acme.", speaker: "Dana",
            startMilliseconds: 61_000, line: 1)
    }

    @Test("Stored once per lead and content, with its hits; a repeat changes nothing", arguments: StoreBackend.allCases)
    func storeOnce(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertLead(Sample.lead("L2"))
            let first = try await store.storeInteraction(Self.record(lead: "L1"), hits: [Self.hit(lead: "L1")])
            guard case .stored(let id?) = first else {
                Issue.record("expected a stored row, got \(first)")
                return
            }
            #expect(try await store.storeInteraction(Self.record(lead: "L1"), hits: [Self.hit(lead: "L1")]) == .alreadyStored)
            // The same content for another lead (a message copied to two prospects) is that lead's own.
            #expect(try await store.storeInteraction(Self.record(lead: "L2"), hits: []) != .alreadyStored)
            let stored = try await store.interactions(leadID: "L1")
            #expect(stored.count == 1)
            #expect(stored.first?.rowID == id)
            #expect(stored.first?.occurredAt == T.minutes(5))
            #expect(stored.first?.content.text.contains("Acme") == true)
            var expectedHit = Self.hit(lead: "L1")
            expectedHit.interactionID = id
            #expect(try await store.trackerHits(leadID: "L1") == [expectedHit])
            #expect(try await store.trackerHits(leadsCreatedIn: ReportPeriod(start: T.base, end: T.minutes(1))).count == 1)
            // L2's interaction has no hit; it still counts among the leads with conversations. L3 has none.
            try await store.upsertLead(Sample.lead("L3"))
            #expect(try await store.leadsWithInteractions(createdIn: ReportPeriod(start: T.base, end: T.minutes(1))) == ["L1", "L2"])
            #expect(try await store.leadsWithInteractions(createdIn: ReportPeriod(start: T.minutes(1), end: T.minutes(2))).isEmpty)
        }
    }

    @Test("An unknown lead is refused and nothing is stored; a bad kind names the field", arguments: StoreBackend.allCases)
    func refusals(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            await #expect(throws: StoreError.unknownLead(leadID: "nobody", referencedBy: "interaction", field: "lead_id")) {
                try await store.storeInteraction(Self.record(lead: "nobody"), hits: [Self.hit(lead: "nobody")])
            }
            try await store.upsertLead(Sample.lead("L1"))
            await #expect(throws: StoreError.self) { try await store.storeInteraction(Self.record(lead: "L1", kind: "fax"), hits: []) }
            #expect(try await store.interactions(leadID: "L1").isEmpty)
        }
    }

    @Test("Interactions read oldest first, unknown times last; leads found by e-mail ignoring case", arguments: StoreBackend.allCases)
    func orderAndLookup(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            var lead = Sample.lead("L1")
            lead.fields = JSONText(trusted: #"{"email":" Dana@Northwind.example "}"#)
            try await store.upsertLead(lead)
            _ = try await store.storeInteraction(Self.record(lead: "L1", sha: "c", at: nil), hits: [])
            _ = try await store.storeInteraction(Self.record(lead: "L1", sha: "b", at: T.minutes(9)), hits: [])
            _ = try await store.storeInteraction(Self.record(lead: "L1", sha: "a", at: T.minutes(1)), hits: [])
            #expect(try await store.interactions(leadID: "L1").map { $0.contentSHA256.first } == ["a", "b", "c"])
            #expect(try await store.leadIDs(email: "dana@northwind.EXAMPLE") == ["L1"])
            #expect(try await store.leadIDs(email: "other@northwind.example") == [])
        }
    }
}
