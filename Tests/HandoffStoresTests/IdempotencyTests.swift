import Foundation
import HandoffPersistence
import Testing

@Suite struct IdempotencyTests {
    @Test(arguments: StoreBackend.allCases)
    func retriedEventIsStoredOnceAndFirstDeliveryWins(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let first = Sample.event("evt-1", lead: "L1", at: T.minutes(5), type: "webinar")
            #expect(try await store.appendEvent(first) == .stored(rowID: nil))
            var retry = first
            retry.type = "pricing_page"
            retry.receivedAt = T.minutes(9)
            #expect(try await store.appendEvent(retry) == .alreadyStored)
            #expect(try await store.appendEvent(first) == .alreadyStored)
            let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
            #expect(timeline.events == [first])
            #expect(try await store.counts().events == 1)
        }
    }

    /// The engine tells a retry from a reused id by the stored row (issue 20): both backends read
    /// it back by id alone, payload text included, whatever lead it belongs to.
    @Test(arguments: StoreBackend.allCases)
    func anEventIsReadBackByItsIDAlone(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let event = Sample.event("evt-1", lead: "L1", at: T.minutes(5), type: "webinar")
            _ = try await store.appendEvent(event)
            #expect(try await store.event(id: "evt-1") == event)
            #expect(try await store.event(id: "evt-2") == nil)
            #expect(try await store.event(id: "L1") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func retriedUnitWritesNothingTwice(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("r1"))
            let unit = Sample.ingest(event: "evt-1", lead: "L1", rep: "r1")
            let first = try await store.commit(unit)
            guard case let .committed(outcomes) = first else {
                Issue.record("first delivery should commit, got \(first)")
                return
            }
            #expect(outcomes.count == 5)
            let before = try await store.counts()
            // Without the trigger guard the retry would fail (lead already assigned) or score twice.
            #expect(try await store.commit(unit) == .duplicate(label: "engagement event 'evt-1'"))
            #expect(try await store.counts() == before)
            #expect(before.scores == 1 && before.decisions == 1 && before.assignments == 1 && before.timers == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func crmAppendsAreIdempotentByID(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertRep(Sample.rep("r1"))
            let attempt = ContactAttemptRecord(
                id: "att-1", leadID: "L1", repID: "r1", channel: "call", result: "voicemail",
                attemptedAt: T.minutes(10))
            let disposition = DispositionRecord(
                id: "disp-1", leadID: "L1", repID: "r1", code: "bad-timing",
                reengageAt: T.minutes(60 * 24 * 90), decidedAt: T.minutes(20))
            let opportunity = OpportunityRecord(
                id: "opp-1", leadID: "L1", amount: Money(minorUnits: 4_250_000, currency: "EUR"),
                stage: "discovery", openedAt: T.minutes(30))
            let outcome = OutcomeRecord(
                id: "won-1", opportunityID: "opp-1", leadID: "L1", result: .won,
                amount: Money(minorUnits: 3_999_999, currency: "EUR"), closedAt: T.minutes(90))
            let alert = AlertRecord(id: "alert-1", kind: "escalation", leadID: "L1", target: "r1", createdAt: T.minutes(64))
            for operation in [
                WriteOperation.appendContactAttempt(attempt), .appendDisposition(disposition),
                .upsertOpportunity(opportunity), .appendOutcome(outcome), .raiseAlert(alert),
            ] {
                #expect(try await store.apply(operation) == .stored(rowID: nil), "\(operation.label)")
            }
            for operation in [
                WriteOperation.appendContactAttempt(attempt), .appendDisposition(disposition),
                .appendOutcome(outcome), .raiseAlert(alert),
            ] {
                #expect(try await store.apply(operation) == .alreadyStored, "\(operation.label)")
            }
            #expect(try await store.apply(.upsertOpportunity(opportunity)) == .updated)
            let counts = try await store.counts()
            #expect(
                counts.contactAttempts == 1 && counts.dispositions == 1 && counts.opportunities == 1
                    && counts.outcomes == 1 && counts.alerts == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func leadUpsertKeepsCreationTime(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            #expect(try await store.upsertLead(Sample.lead("L1", at: T.base)) == .stored(rowID: nil))
            let update = LeadRecord(
                id: "L1", fields: try JSONText(validating: #"{"company_size":900}"#), source: "Referral",
                campaign: nil, createdAt: T.minutes(50), updatedAt: T.minutes(50))
            #expect(try await store.upsertLead(update) == .updated)
            let stored = try #require(try await store.lead(id: "L1"))
            #expect(stored.createdAt == T.base)
            #expect(stored.updatedAt == T.minutes(50))
            #expect(stored.fields.text == #"{"company_size":900}"#)
            #expect(stored.source == "Referral" && stored.campaign == nil)
        }
    }
}
