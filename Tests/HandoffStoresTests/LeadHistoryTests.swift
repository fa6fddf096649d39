import Foundation
import HandoffPersistence
import HandoffRules
import Testing

/// ``HandoffStore/leadHistories(createdBefore:)`` (issue 15), the same answers from SQLite and
/// PostgreSQL: leads created before the cut-off, in creation order, each list in insertion order
/// (not time order), lead-field payloads kept and the others left out.
@Suite struct LeadHistoryTests {
    /// L1 (created at minute 0) with a journal whose arrival order differs from its time order,
    /// two scores, a decision, an assignment, an opportunity and a won outcome; L2 at minute 5;
    /// L3 at minute 60 (after the cut-off used below).
    static func fill(_ store: any HandoffStore) async throws {
        try await store.upsertRep(Sample.rep("r1"))
        for (id, minute) in [("L1", 0.0), ("L2", 5), ("L3", 60)] {
            try await store.upsertLead(Sample.lead(id, at: T.minutes(minute)))
        }
        let created = EngagementEventRecord(
            id: "c1", leadID: "L1", type: "lead_created", occurredAt: T.minutes(0),
            payload: JSONText(trusted: #"{"fields":{"industry":"software"},"type":"lead_created"}"#))
        try await store.appendEvent(created)
        try await store.appendEvent(Sample.event("e-2", lead: "L1", at: T.minutes(2), type: "webinar_attended"))
        // Arrives after e-2 but happened before it (late tracking data).
        try await store.appendEvent(Sample.event("e-1", lead: "L1", at: T.minutes(1), type: "pricing_page_view"))
        let updated = EngagementEventRecord(
            id: "u1", leadID: "L1", type: "lead_updated", occurredAt: T.minutes(3),
            payload: JSONText(trusted: #"{"fields":{"industry":"retail"}}"#))
        try await store.appendEvent(updated)
        try await store.appendEvent(Sample.event("e-L2", lead: "L2", at: T.minutes(6)))
        try await store.apply(.recordScore(Sample.score(lead: "L1", at: T.minutes(4), probability: 0.2)))
        try await store.apply(.recordScore(Sample.score(lead: "L1", at: T.minutes(3), probability: 0.3)))
        try await store.apply(.recordDecision(Sample.decision(lead: "L1", at: T.minutes(4))))
        try await store.apply(.openAssignment(Sample.assignment(lead: "L1", rep: "r1", at: T.minutes(4))))
        let opportunity = OpportunityRecord(
            id: "o1", leadID: "L1", amount: Money(minorUnits: 500_000, currency: "EUR"), stage: "proposal", openedAt: T.minutes(30))
        try await store.apply(.upsertOpportunity(opportunity))
        try await store.apply(
            .appendOutcome(
                OutcomeRecord(
                    id: "w1", opportunityID: "o1", leadID: "L1", result: .won, amount: Money(minorUnits: 500_000, currency: "EUR"),
                    closedAt: T.minutes(40))))
        try await store.appendEvent(Sample.event("e-L3", lead: "L3", at: T.minutes(61)))
        for (id, code, reengage) in [("p1", "bad_timing", Optional(T.minutes(9000))), ("p2", "wrong_fit", nil)] {
            try await store.apply(
                .appendDisposition(DispositionRecord(id: id, leadID: "L2", repID: "r1", code: code, reengageAt: reengage, decidedAt: T.minutes(20))))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func historiesAgreeOnEveryBackend(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await Self.fill(store)
            let histories = try await store.leadHistories(createdBefore: T.minutes(60))
            #expect(histories.map(\.lead.id) == ["L1", "L2"])
            let l1 = try #require(histories.first)
            #expect(l1.events.map(\.id) == ["c1", "e-2", "e-1", "u1"])
            // Lead-field payloads are kept (as JSON), the others are read as `{}`.
            struct Fields: Decodable { var fields: [String: String] }
            #expect(try l1.events[0].payload.decode(Fields.self).fields == ["industry": "software"])
            #expect(try l1.events[3].payload.decode(Fields.self).fields == ["industry": "retail"])
            #expect(l1.events[1].payload == .emptyObject && l1.events[2].payload == .emptyObject)
            // Insertion order, not time order; reasons and evidence are not read.
            #expect(l1.scores.map(\.probability) == [0.2, 0.3])
            #expect(l1.scores.allSatisfy { $0.reasons == .emptyArray } && l1.decisions.map(\.evidence) == [.emptyObject])
            #expect(l1.scores.allSatisfy { $0.rowID != nil } && l1.decisions.first?.stage == .sql)
            #expect(l1.assignments.map(\.target) == [.rep("r1")])
            #expect(l1.opportunities.map(\.id) == ["o1"] && l1.outcomes.map(\.result) == [.won])
            #expect(l1.outcomes.first?.closedAt == T.minutes(40))
            let l2 = histories[1]
            #expect(l2.events.map(\.id) == ["e-L2"] && l2.scores.isEmpty && l2.outcomes.isEmpty)
            #expect(l2.dispositions.map(\.code) == ["bad_timing", "wrong_fit"] && l2.dispositions.map(\.reengageAt) == [T.minutes(9000), nil])
            #expect(l1.dispositions.isEmpty)
            // The cut-off is strict; an empty store or a cut-off before the first lead reads nothing.
            #expect(try await store.leadHistories(createdBefore: T.minutes(5)).map(\.lead.id) == ["L1"])
            #expect(try await store.leadHistories(createdBefore: T.minutes(0)).isEmpty)
            #expect(try await store.leadHistories(createdBefore: T.minutes(61)).map(\.lead.id) == ["L1", "L2", "L3"])
        }
    }
}
