import Foundation
import HandoffPersistence
import Testing

@Suite struct ReferenceErrorTests {
    @Test(arguments: StoreBackend.allCases)
    func eventForAnUnknownLeadNamesEventAndField(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            let error = await #expect(throws: StoreError.self) {
                try await store.appendEvent(Sample.event("evt-9", lead: "ghost"))
            }
            #expect(error == .unknownLead(leadID: "ghost", referencedBy: "engagement event 'evt-9'", field: "leadID"))
            #expect(error?.description.contains("Send the lead-created event for 'ghost' first") == true)
            let total = try await store.counts().total
            #expect(total == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func unknownAndDepartedRepsAreRefused(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("gone", status: .left))
            let unknown = await #expect(throws: StoreError.self) {
                try await store.apply(.openAssignment(Sample.assignment(lead: "L1", rep: "nobody")))
            }
            #expect(unknown == .unknownRep(repID: "nobody", referencedBy: "assignment of lead 'L1'", field: "target"))
            let departed = await #expect(throws: StoreError.self) {
                try await store.apply(.openAssignment(Sample.assignment(lead: "L1", rep: "gone")))
            }
            guard case .invalidField(_, "target", let reason) = departed else {
                Issue.record("expected invalidField(target), got \(String(describing: departed))")
                return
            }
            #expect(reason.contains("has left"))
            let attempt = ContactAttemptRecord(id: "att-1", leadID: "L1", repID: "nobody", channel: "call", attemptedAt: T.minutes(4))
            let attemptError = await #expect(throws: StoreError.self) { try await store.apply(.appendContactAttempt(attempt)) }
            #expect(attemptError == .unknownRep(repID: "nobody", referencedBy: "contact attempt 'att-1'", field: "repID"))
            #expect(try await store.counts().assignments == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func outcomeChecksItsOpportunity(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertLead(Sample.lead("L2"))
            let orphan = OutcomeRecord(
                id: "won-1", opportunityID: "opp-x", leadID: "L1", result: .won,
                amount: Money(minorUnits: 100, currency: "USD"), closedAt: T.minutes(9))
            let error = await #expect(throws: StoreError.self) { try await store.apply(.appendOutcome(orphan)) }
            #expect(error == .unknownOpportunity(opportunityID: "opp-x", referencedBy: "outcome 'won-1'", field: "opportunityID"))

            try await store.apply(
                .upsertOpportunity(
                    OpportunityRecord(
                        id: "opp-1", leadID: "L1",
                        amount: Money(minorUnits: 100, currency: "USD"),
                        stage: "proposal", openedAt: T.minutes(5))))
            var wrongLead = orphan
            wrongLead.opportunityID = "opp-1"
            wrongLead.leadID = "L2"
            let mismatch = await #expect(throws: StoreError.self) { try await store.apply(.appendOutcome(wrongLead)) }
            guard case .conflictingRecord("outcome", "won-1", _) = mismatch else {
                Issue.record("expected conflictingRecord, got \(String(describing: mismatch))")
                return
            }
            var first = orphan
            first.opportunityID = "opp-1"
            #expect(try await store.apply(.appendOutcome(first)) == .stored(rowID: nil))
            var second = first
            second.id = "lost-2"
            second.result = .lost
            let twice = await #expect(throws: StoreError.self) { try await store.apply(.appendOutcome(second)) }
            #expect(twice?.description.contains("already closed by outcome 'won-1'") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func invalidValuesNameTheirField(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let badMoney = OpportunityRecord(
                id: "opp-1", leadID: "L1", amount: Money(minorUnits: 5, currency: "eur"),
                stage: "x", openedAt: T.base)
            let money = await #expect(throws: StoreError.self) { try await store.apply(.upsertOpportunity(badMoney)) }
            guard case .invalidField("opportunity 'opp-1'", "amount.currency", _) = money else {
                Issue.record("got \(String(describing: money))")
                return
            }
            let nan = await #expect(throws: StoreError.self) {
                try await store.apply(.recordScore(Sample.score(lead: "L1", probability: .nan)))
            }
            guard case .invalidField(_, "probability", _) = nan else {
                Issue.record("got \(String(describing: nan))")
                return
            }
            #expect(throws: StoreError.self) { try JSONText(validating: "{not json", record: "lead 'L1'", field: "fields") }
            #expect(try await store.counts().scores == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func secondOpenAssignmentIsRefusedUntilTheFirstCloses(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("r1"))
            try await store.upsertRep(Sample.rep("r2"))
            try await store.apply(.openAssignment(Sample.assignment(lead: "L1", rep: "r1")))
            let error = await #expect(throws: StoreError.self) {
                try await store.apply(.openAssignment(Sample.assignment(lead: "L1", rep: "r2", at: T.minutes(70))))
            }
            #expect(error == .leadAlreadyAssigned(leadID: "L1", openAssignmentTarget: "rep 'r1'"))
            let reassigned = try await store.commit(
                UnitOfWork([
                    .closeAssignment(leadID: "L1", at: T.minutes(70), reason: "reassigned after SLA breach"),
                    .openAssignment(Sample.assignment(lead: "L1", rep: "r2", at: T.minutes(70))),
                ]))
            #expect(reassigned == .committed([.updated, .stored(rowID: 2)]))
            #expect(try await store.openHandoffs(repID: "r1").isEmpty)
            #expect(try await store.openHandoffs(repID: "r2").map(\.lead.id) == ["L1"])
        }
    }
}
