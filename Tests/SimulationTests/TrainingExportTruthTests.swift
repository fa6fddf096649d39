import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import Simulation
import Testing

/// The training export (issue 15) of a store filled by replaying a simulated event log, checked
/// against the simulator: which leads were handed off (its truth), what each lead's row holds
/// (the log's events up to the one that handed the lead off, nothing after), and the outcomes.
@Suite struct TrainingExportTruthTests {
    @Test func exportedRowsMatchTheSimulatorsTruth() async throws {
        let (result, _) = try await TrafficSimulatorTests.simulate(seed: 42)
        let truth = result.truth
        // Replay the log, as `baton handoff replay` does, into a fresh store.
        let (engine, store) = try TrafficSimulatorTests.freshEngine()
        let entries = EventLog.jsonLines(String(decoding: try result.jsonLines(), as: UTF8.self))
        try await engine.prepare(at: try #require(entries.compactMap { try? $0.event.get().occurredAt }.min()))
        let summary = try await EventReplay.run(entries, engine: engine, continueOnError: false)
        #expect(summary.rejected.isEmpty)

        let asOf = EngineFixture.utc(2027, 1, 1, 0, 0)
        let rows = TrainingRow.rows(
            from: try await store.leadHistories(createdBefore: asOf), asOf: asOf, features: EngineFixture.spec.features)
        #expect(rows.count == truth.leads)
        #expect(rows.count { $0.handedOff } == truth.leadsHandedOff)
        #expect(!truth.firstHandoffEvents.isEmpty)

        // The log's distinct events per lead, in delivery order (a retried delivery counts once).
        var seen = Set<String>()
        var log: [String: [InboundEvent]] = [:]
        for event in result.events where seen.insert(event.eventID).inserted { log[event.leadID, default: []].append(event) }

        var leadsWithLaterEngagement = 0
        for row in rows {
            let events = log[row.leadID] ?? []
            guard let handoff = truth.firstHandoffEvents[row.leadID] else { continue }
            #expect(row.handedOff, "\(row.leadID)")
            let cut = try #require(events.firstIndex { $0.eventID == handoff })
            let before = events[...cut], after = events[(cut + 1)...]
            guard case let .lead(created)? = events.first?.body else {
                Issue.record("\(row.leadID) does not start with lead_created")
                continue
            }
            func count(_ slice: ArraySlice<InboundEvent>, _ type: String) -> Int {
                slice.count { if case let .engagement(e) = $0.body { e.eventType == type } else { false } }
            }
            let opens = Int(created.fields["email_opens"] ?? "0", radix: 10) ?? 0
            let demos = Int(created.fields["demo_requests"] ?? "0", radix: 10) ?? 0
            // email_opens and demo_requests are counted features: the field plus the events up to the hand-off.
            let expectedOpens = opens + count(before, "email_open"), expectedDemos = demos + count(before, "demo_request")
            #expect(row.values["email_opens"] == "\(expectedOpens)", "\(row.leadID)")
            #expect(row.values["demo_requests"] == "\(expectedDemos)", "\(row.leadID)")
            #expect(
                row.values["company_size"] == created.fields["company_size"] && row.values["budget_authority"] == created.fields["budget_authority"])
            #expect(row.scoredAt == before.last.map { max($0.occurredAt, events[0].occurredAt) }, "\(row.leadID)")
            if count(after, "email_open") > 0 {
                leadsWithLaterEngagement += 1
                // The opens after the hand-off are in the store (the lead's timeline), and not in the row.
                let stored = try #require(try await store.leadTimeline(leadID: row.leadID)).events.count { $0.type == "email_open" }
                #expect(stored == count(events[...], "email_open") && row.values["email_opens"] != "\(opens + stored)", "\(row.leadID)")
            }
        }
        // The simulation has leads engaging after their hand-off: the case the cut exists for.
        #expect(leadsWithLaterEngagement > 0)

        // Outcomes: each won lead of the log is won in the export, and only those.
        let wonLeads = Set(result.events.filter { $0.kind == .won }.map(\.leadID))
        #expect(wonLeads.count == truth.won)
        #expect(Set(rows.filter { $0.outcome == .won }.map(\.leadID)) == wonLeads)
        let lostLeads = Set(result.events.filter { $0.kind == .lost }.map(\.leadID))
        #expect(lostLeads.isSubset(of: Set(rows.filter { $0.outcome == .lost }.map(\.leadID))))
    }
}
