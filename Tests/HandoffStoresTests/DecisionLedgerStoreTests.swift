import Foundation
import HandoffPersistence
import HandoffRules
import Testing

/// The decision ledger in the store (issue 16): entries commit with the decision they explain
/// or not at all, read back in order and byte for byte, on SQLite and PostgreSQL alike.
@Suite struct DecisionLedgerStoreTests {
    static func entry(_ kind: DecisionLedgerEntry.Kind, at: Date, source: String, summary: String) throws -> DecisionLedgerRecord {
        let routing = RoutingExplanation(
            method: .byHand, repID: "r1", from: "sales-triage", assignedBy: "lee", assignmentRule: "manual:lee", repWasWorking: true)
        let entry = DecisionLedgerEntry(kind: kind, at: at, source: source, summary: summary, routing: kind == .routing ? routing : nil)
        return try DecisionLedgerRecord(leadID: "L1", decidedAt: at, entry: entry)
    }

    @Test(arguments: StoreBackend.allCases)
    func entriesCommitWithTheirDecisionAndReadBackInOrder(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("r1"))
            let routing = try Self.entry(.routing, at: T.minutes(3), source: "evt-1", summary: "assigned by hand to r1 by lee")
            let sla = try Self.entry(.sla, at: T.minutes(3), source: "evt-1", summary: "hand off (r1): pending → awaiting_first_touch")
            let unit = UnitOfWork(
                trigger: .appendEvent(Sample.event("evt-1", lead: "L1")),
                then: [.recordLedgerEntry(routing), .openAssignment(Sample.assignment(lead: "L1", rep: "r1")), .recordLedgerEntry(sla)])
            guard case .committed(let outcomes) = try await store.commit(unit) else {
                Issue.record("the unit should commit")
                return
            }
            #expect(outcomes.count == 4)
            let read = try await store.decisionLedger(leadID: "L1")
            #expect(read.map(\.kind) == [.routing, .sla])
            #expect(read.map(\.source) == ["evt-1", "evt-1"])
            #expect(read.map(\.decidedAt) == [T.minutes(3), T.minutes(3)])
            #expect(read[0].entry == routing.entry, "the entry reads back as written")
            #expect(try read[0].decoded().routing?.assignedBy == "lee")
            #expect(read[0].rowID != nil && read[0].rowID ?? 0 < read[1].rowID ?? 0)
            #expect(try await store.decisionLedger(leadID: "nobody").isEmpty)
            // A retried delivery writes no second entry.
            #expect(try await store.commit(unit).isDuplicate)
            #expect(try await store.decisionLedger(leadID: "L1").count == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aUnitThatFailsLeavesNoLedgerEntry(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let entry = try Self.entry(.routing, at: T.minutes(3), source: "evt-1", summary: "assigned to nobody")
            // The ledger entry is written before the assignment names an unknown rep: both go.
            let unit = UnitOfWork(
                trigger: .appendEvent(Sample.event("evt-1", lead: "L1")),
                then: [.recordLedgerEntry(entry), .openAssignment(Sample.assignment(lead: "L1", rep: "nobody"))])
            await #expect(throws: StoreError.self) { try await store.commit(unit) }
            #expect(try await store.decisionLedger(leadID: "L1").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anEntryForAnUnknownLeadOrWithoutSourceIsRefusedByField(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            var entry = try Self.entry(.sla, at: T.minutes(3), source: "evt-1", summary: "tick")
            entry.leadID = "ghost"
            let unknown = await #expect(throws: StoreError.self) { try await store.apply(.recordLedgerEntry(entry)) }
            #expect(unknown == .unknownLead(leadID: "ghost", referencedBy: "sla ledger entry of lead 'ghost'", field: "leadID"))
            try await store.upsertLead(Sample.lead("L1"))
            entry.leadID = "L1"
            entry.source = ""
            let empty = await #expect(throws: StoreError.self) { try await store.apply(.recordLedgerEntry(entry)) }
            #expect(empty == .invalidField(record: "sla ledger entry of lead 'L1'", field: "source", reason: "is empty"))
            #expect(try await store.decisionLedger(leadID: "L1").isEmpty)
        }
    }
}
