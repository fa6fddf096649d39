import Foundation
import HandoffPersistence
import Testing

@Suite struct TimelineAndReadTests {
    /// The flow's light read is the full timeline without scores and decisions, and with event
    /// payloads only where the flow reads them back (the SLA clock's pauses), on either backend.
    @Test(arguments: StoreBackend.allCases)
    func flowTimelineIsTheTimelineStripped(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1", at: T.base))
            try await store.upsertRep(Sample.rep("r1"))
            var pause = Sample.event("p1", lead: "L1", at: T.minutes(3), type: "sla_pause")
            pause.payload = JSONText(trusted: #"{"reason":"holiday"}"#)
            _ = try await store.commit(
                UnitOfWork(
                    trigger: .appendEvent(Sample.event("e1", lead: "L1", at: T.minutes(1))),
                    then: [
                        .recordScore(Sample.score(lead: "L1", at: T.minutes(1))), .recordDecision(Sample.decision(lead: "L1", at: T.minutes(1))),
                        .openAssignment(Sample.assignment(lead: "L1", rep: "r1", at: T.minutes(2))),
                    ]))
            try await store.appendEvent(pause)
            let full = try #require(try await store.leadTimeline(leadID: "L1"))
            #expect(!full.scores.isEmpty && !full.decisions.isEmpty && full.events.count == 2)
            var expected = full
            expected.scores = []
            expected.decisions = []
            expected.events = full.events.map { event in
                var kept = event
                if !EngagementEventRecord.flowPayloadTypes.contains(event.type) { kept.payload = .emptyObject }
                return kept
            }
            #expect(try await store.flowTimeline(leadID: "L1") == expected)
            #expect(expected.events.first { $0.id == "p1" }?.payload == pause.payload)
            #expect(try await store.flowTimeline(leadID: "nobody") == nil)
        }
    }

    /// Every event's first reads in one: the same answers as the three reads it stands for
    /// (the stored row of a known id alone; for a new id the lead's standing merges and flow state).
    @Test(arguments: StoreBackend.allCases)
    func eventArrivalAnswersAsItsThreeReads(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1", at: T.base))
            try await store.upsertLead(Sample.lead("L0", at: T.base))
            try await store.appendEvent(Sample.event("e1", lead: "L1", at: T.minutes(1)))
            _ = try await store.commit(
                UnitOfWork(
                    trigger: .appendEvent(Sample.event("m1", lead: "L1", at: T.minutes(2), type: "merge")),
                    then: [
                        .recordMerge(
                            LeadMergeRecord(
                                mergedID: "L0", survivorID: "L1", rule: .crm, evidence: "CRM merge", eventID: "m1", fieldChanges: [],
                                mergedAt: T.minutes(2)))
                    ]))
            let known = try await store.eventArrival(eventID: "e1", leadID: "L1")
            #expect(known.stored == (try await store.event(id: "e1")) && known.stored != nil)
            #expect(known.merges.isEmpty && known.timeline == nil)

            let fresh = try await store.eventArrival(eventID: "e-new", leadID: "L1")
            #expect(fresh.stored == nil)
            #expect(fresh.merges == (try await store.leadMerges(involving: "L1", includeEnded: false)) && fresh.merges.count == 1)
            #expect(fresh.timeline == (try await store.flowTimeline(leadID: "L1")) && fresh.timeline?.events.count == 2)

            let merged = try await store.eventArrival(eventID: "e-new", leadID: "L0")
            #expect(merged.merges.map(\.survivorID) == ["L1"])
            let nobody = try await store.eventArrival(eventID: "e-new", leadID: "nobody")
            #expect(nobody.stored == nil && nobody.merges.isEmpty && nobody.timeline == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func timelineIsChronologicalWithCausalTieBreaks(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1", at: T.base))
            try await store.upsertRep(Sample.rep("r1"))
            // Events arrive out of order; e-late first.
            try await store.appendEvent(Sample.event("e-late", lead: "L1", at: T.minutes(30)))
            try await store.appendEvent(Sample.event("e-early", lead: "L1", at: T.minutes(1)))
            // Everything of the ingest at the same instant: event, score, decision, assignment, timer.
            let at = T.minutes(10)
            _ = try await store.commit(
                UnitOfWork(
                    trigger: .appendEvent(Sample.event("e-demo", lead: "L1", at: at)),
                    then: [
                        .upsertTimer(SLATimerRecord(id: "L1/ft", leadID: "L1", policy: "p", dueAt: T.minutes(70), startedAt: at)),
                        .openAssignment(Sample.assignment(lead: "L1", rep: "r1", at: at)),
                        .recordScore(Sample.score(lead: "L1", at: at)),
                        .recordDecision(Sample.decision(lead: "L1", at: at)),
                    ]))
            try await store.apply(
                .appendContactAttempt(
                    ContactAttemptRecord(
                        id: "a1", leadID: "L1", repID: "r1", channel: "call",
                        attemptedAt: T.minutes(20))))
            try await store.apply(
                .upsertOpportunity(
                    OpportunityRecord(
                        id: "o1", leadID: "L1",
                        amount: Money(minorUnits: 1_000_00, currency: "EUR"),
                        stage: "proposal", openedAt: T.minutes(40))))
            try await store.apply(
                .appendOutcome(
                    OutcomeRecord(
                        id: "w1", opportunityID: "o1", leadID: "L1", result: .won,
                        amount: Money(minorUnits: 1_000_00, currency: "EUR"),
                        closedAt: T.minutes(50))))
            let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
            let kinds = timeline.entries.map(\.kind)
            #expect(
                kinds == [
                    .leadCreated, .engagement, .engagement, .score, .decision, .assigned, .slaStarted,
                    .contactAttempt, .engagement, .opportunity, .outcome,
                ])
            #expect(timeline.entries.filter { $0.kind == .engagement }.map(\.reference) == ["e-early", "e-demo", "e-late"])
            #expect(timeline.events.map(\.id) == ["e-early", "e-demo", "e-late"])
            let times = timeline.entries.map(\.at)
            #expect(times == times.sorted())
            // The decision was linked to the score written earlier in the same unit.
            #expect(timeline.decisions.first?.scoreRowID == timeline.scores.first?.rowID)
            #expect(timeline.scores.first?.rowID != nil)
            #expect(try await store.leadTimeline(leadID: "nobody") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func openHandoffsPerRep(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            for rep in ["r1", "r2"] { try await store.upsertRep(Sample.rep(rep)) }
            for (i, lead) in ["L1", "L2", "L3"].enumerated() {
                try await store.upsertLead(Sample.lead(lead))
                _ = try await store.commit(Sample.ingest(event: "e\(i)", lead: lead, rep: i == 1 ? "r2" : "r1"))
            }
            try await store.upsertLead(Sample.lead("L4"))
            try await store.apply(
                .openAssignment(
                    AssignmentRecord(
                        leadID: "L4", target: .fallbackQueue("unrouted"),
                        rule: "fallback", assignedAt: T.minutes(3))))
            try await store.apply(
                .appendContactAttempt(
                    ContactAttemptRecord(
                        id: "a1", leadID: "L1", repID: "r1", channel: "email",
                        attemptedAt: T.minutes(4))))
            let r1 = try await store.openHandoffs(repID: "r1")
            #expect(r1.map(\.lead.id) == ["L1", "L3"])
            #expect(r1.map(\.attemptsSinceAssigned) == [1, 0])
            #expect(r1.first?.latestDecision?.stage == .sql)
            #expect(r1.first?.latestScore?.probability == 0.42)
            #expect(r1.first?.openTimers.map(\.id) == ["L1/first-touch"])
            #expect(try await store.openHandoffs(repID: "r2").map(\.lead.id) == ["L2"])
            let all = try await store.openHandoffs(repID: nil)
            #expect(all.count == 4)
            #expect(all.last?.assignment.target == .fallbackQueue("unrouted"))
            #expect(try await store.openAssignmentCounts() == ["r1": 2, "r2": 1], "queues are not reps")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func periodReadsAreHalfOpen(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            // Leads created at day 0, day 7 (on the boundary) and day 8; events on day 1, 7 and 9.
            let day = 24.0 * 60
            for (lead, d) in [("A", 0.0), ("B", 7), ("C", 8)] {
                try await store.upsertLead(Sample.lead(lead, at: T.minutes(d * day)))
            }
            try await store.appendEvent(Sample.event("eA", lead: "A", at: T.minutes(1 * day)))
            try await store.appendEvent(Sample.event("eA2", lead: "A", at: T.minutes(9 * day)))
            try await store.appendEvent(Sample.event("eB", lead: "B", at: T.minutes(7 * day)))
            let week1 = ReportPeriod(start: T.base, end: T.minutes(7 * day))
            let week2 = ReportPeriod(start: T.minutes(7 * day), end: T.minutes(14 * day))
            let activity1 = try await store.activity(in: week1)
            #expect(activity1.leads.map(\.id) == ["A"])
            #expect(activity1.events.map(\.id) == ["eA"])
            let activity2 = try await store.activity(in: week2)
            #expect(activity2.leads.map(\.id) == ["B", "C"])
            #expect(activity2.events.map(\.id) == ["eB", "eA2"])
            let cohort1 = try await store.cohort(createdIn: week1)
            #expect(cohort1.leads.map(\.id) == ["A"])
            #expect(cohort1.events.map(\.id) == ["eA", "eA2"], "a cohort keeps its leads' later events")
            let empty = try await store.activity(in: ReportPeriod(start: T.minutes(100 * day), end: T.minutes(107 * day)))
            #expect(empty == ActivityBatch())
        }
    }
}
