import Foundation
import HandoffPersistence
import HandoffRules
import Testing

/// ``HandoffStore/leadList(_:)`` (issue 21 item 16), the same answers from SQLite and PostgreSQL:
/// creation order, every filter, and pages that neither skip nor repeat a lead.
@Suite struct LeadListTests {
    /// Five leads a minute apart: L1 sql with r1, L2 mql parked in triage, L3 nurture, L4 sql with r2, L5 never scored.
    static func fill(_ store: any HandoffStore) async throws {
        try await store.upsertRep(Sample.rep("r1"))
        try await store.upsertRep(Sample.rep("r2"))
        for (i, id) in ["L1", "L2", "L3", "L4", "L5"].enumerated() {
            try await store.upsertLead(Sample.lead(id, at: T.minutes(Double(i))))
        }
        let stages: [(String, QualificationStage)] = [("L1", .sql), ("L2", .mql), ("L3", .nurture), ("L4", .sql)]
        for (id, stage) in stages {
            try await store.apply(.recordScore(Sample.score(lead: id, at: T.minutes(10))))
            // An earlier decision at another stage: only the latest counts.
            try await store.apply(.recordDecision(Sample.decision(lead: id, at: T.minutes(9), stage: .nurture)))
            try await store.apply(.recordDecision(Sample.decision(lead: id, at: T.minutes(10), stage: stage)))
        }
        try await store.apply(.openAssignment(Sample.assignment(lead: "L1", rep: "r1", at: T.minutes(11))))
        try await store.apply(
            .openAssignment(AssignmentRecord(leadID: "L2", target: .fallbackQueue("triage"), rule: "fallback", assignedAt: T.minutes(12))))
        try await store.apply(.openAssignment(Sample.assignment(lead: "L4", rep: "r2", at: T.minutes(13))))
        // L3's latest activity: an event that arrives at minute 60.
        try await store.appendEvent(
            EngagementEventRecord(
                id: "e-late", leadID: "L3", type: "pricing_page", occurredAt: T.minutes(20), receivedAt: T.minutes(60), payload: .emptyObject))
    }

    @Test(arguments: StoreBackend.allCases)
    func filtersAndPagesAgreeOnEveryBackend(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await Self.fill(store)
            func ids(_ query: LeadListQuery) async throws -> [String] { try await store.leadList(query).entries.map(\.lead.id) }
            #expect(try await ids(LeadListQuery()) == ["L1", "L2", "L3", "L4", "L5"])
            #expect(try await ids(LeadListQuery(stage: .sql)) == ["L1", "L4"])
            #expect(try await ids(LeadListQuery(stage: .nurture)) == ["L3"])
            #expect(try await ids(LeadListQuery(owner: "triage")) == ["L2"])
            #expect(try await ids(LeadListQuery(owner: "r2")) == ["L4"])
            #expect(try await ids(LeadListQuery(stage: .sql, owner: "r1")) == ["L1"])
            #expect(try await ids(LeadListQuery(since: T.minutes(30))) == ["L3"])
            #expect(try await ids(LeadListQuery(owner: "nobody")) == [])

            let all = try await store.leadList(LeadListQuery())
            let l3 = try #require(all.entries.first { $0.lead.id == "L3" })
            #expect(l3.lastActivityAt == T.minutes(60) && l3.openAssignment == nil && l3.latestDecision?.stage == .nurture)
            let l2 = try #require(all.entries.first { $0.lead.id == "L2" })
            #expect(l2.openAssignment?.target == .fallbackQueue("triage") && l2.latestScore != nil)
            #expect(all.next == nil)

            // Pages of two: L1 L2 | L3 L4 | L5, through the cursor's text form, as a client would.
            var seen: [String] = []
            var cursor: LeadListCursor?
            var pages = 0
            repeat {
                let page = try await store.leadList(LeadListQuery(after: cursor, limit: 2))
                seen += page.entries.map(\.lead.id)
                cursor = try page.next.map { try #require(LeadListCursor(text: $0.text)) }
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == ["L1", "L2", "L3", "L4", "L5"] && pages == 3)
            // A lead created after the first page was read shows up on a later page, never shifting the earlier ones.
            let first = try await store.leadList(LeadListQuery(limit: 2))
            try await store.upsertLead(Sample.lead("L6", at: T.minutes(30)))
            let rest = try await store.leadList(LeadListQuery(after: first.next, limit: 10))
            #expect(rest.entries.map(\.lead.id) == ["L3", "L4", "L5", "L6"])
        }
    }

    @Test func cursorsOnlyReadWhatTheyWrote() {
        let cursor = LeadListCursor(createdAt: T.base, leadID: "lead ü/1")
        #expect(LeadListCursor(text: cursor.text) == cursor)
        #expect(cursor.text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        for bad in ["", "not base64!", "Zm9v", String(repeating: "A", count: 2000), "LTE6TDE"] {  // "foo", "-1:L1"
            #expect(LeadListCursor(text: bad) == nil, "\(bad)")
        }
    }
}
