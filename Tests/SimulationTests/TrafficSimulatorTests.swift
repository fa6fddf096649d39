import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import Simulation
import TestSupport
import Testing

/// The closed-loop simulator on the fixture's model and playbook: its log replays into a fresh
/// store row for row, its truth equals what the replay stores, and a seed fixes every byte.
@Suite struct TrafficSimulatorTests {
    /// 60 leads created on March 2026 weekdays (Berlin and New York), two thirds requesting a demo
    /// with budget (SQL, high priority: handed off), some buying.
    static func leads(count: Int = 60, seed: UInt64 = 5) -> [SimulatedLead] {
        var random = SplitMix64(seed: seed)
        func u() -> Double { Double(random.next() >> 11) * 0x1.0p-53 }
        return (0..<count).map { i in
            let day = [2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20][i % 15]
            let created = EngineFixture.utc(2026, 3, day, 6 + Int(u() * 12), Int(u() * 60))
            let demo = u() < 0.67
            let fields = [
                "company_size": u() < 0.5 ? "1000+" : "1-10", "budget_authority": demo ? "yes" : "no",
                "demo_requests": "0", "email_opens": "0", "region": u() < 0.5 ? "emea" : "north_america",
            ]
            var engagements = (0..<Int(u() * 4)).map { _ in
                SimulatedLead.Engagement(at: created.addingTimeInterval(600 + u() * 5 * 86_400), eventType: "email_open")
            }
            if demo { engagements.append(.init(at: created.addingTimeInterval(1800 + u() * 86_400), eventType: "demo_request", content: "demo")) }
            return SimulatedLead(
                id: String(format: "S%03d", i), createdAt: created, fields: fields, source: u() < 0.3 ? "social" : "referral",
                engagements: engagements,
                fit: .init(
                    poorFitSource: false, smallCompany: fields["company_size"] == "1-10", budgetAuthority: demo,
                    longTimeline: u() < 0.3, competitorInPlace: u() < 0.3),
                wouldBuy: u() < 0.35, dealAmount: 20_000, currency: "EUR")
        }
    }

    /// An engine over a new store, not prepared (the simulator and the replay prepare it).
    static func freshEngine() throws -> (HandoffEngine, SQLiteHandoffStore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteHandoffStore(path: dir.appendingPathComponent("store.sqlite").path)
        let engine = try HandoffEngine(
            store: store, playbook: try EngineFixture.playbook(),
            scorer: try LeadScorer(weights: EngineFixture.weights()), knownFields: ["region"])
        return (engine, store)
    }

    static func simulate(seed: UInt64) async throws -> (SimulationResult, SQLiteHandoffStore) {
        let (engine, store) = try freshEngine()
        return (try await TrafficSimulator(seed: seed).run(leads: leads(), engine: engine), store)
    }

    static let everything = ReportPeriod(start: EngineFixture.utc(2000, 1, 1, 0, 0), end: EngineFixture.utc(2100, 1, 1, 0, 0))

    @Test func replayOfTheLogRebuildsTheSameStoreAndTheTruth() async throws {
        let (result, simStore) = try await Self.simulate(seed: 42)
        let truth = result.truth
        let (engine, store) = try Self.freshEngine()
        let entries = EventLog.jsonLines(String(decoding: try result.jsonLines(), as: UTF8.self))
        #expect(entries.count == truth.lines)
        let first = try #require(entries.compactMap { try? $0.event.get().occurredAt }.min())
        try await engine.prepare(at: first)
        let summary = try await EventReplay.run(entries, engine: engine, continueOnError: false)
        #expect(summary == truth.replay)
        #expect(summary.rejected.isEmpty)

        // Row for row: the simulator's own store and the replayed one.
        let simulated = try await simStore.activity(in: Self.everything)
        let replayed = try await store.activity(in: Self.everything)
        #expect(simulated == replayed)
        let counts = try await store.counts()
        #expect(counts == (try await simStore.counts()))

        // The truth's counts are the store's.
        #expect(counts.leads == truth.leads && counts.leads == 60)
        #expect(counts.events == truth.events)
        #expect(counts.contactAttempts == truth.contactAttempts)
        #expect(counts.dispositions == truth.dispositionsByCode.values.reduce(0, +))
        #expect(counts.opportunities == truth.opportunities)
        #expect(counts.outcomes == truth.won + truth.lost)
        #expect(replayed.outcomes.filter { $0.result == .won }.map(\.amount.minorUnits).reduce(0, +) == truth.wonMinorUnits["EUR"] ?? 0)
        #expect(replayed.assignments.filter { $0.repID != nil }.count == truth.handoffsByPriority.values.reduce(0, +))
        #expect(Set(replayed.assignments.map(\.leadID)).count == truth.leadsHandedOff)
        var latest: [String: String] = [:]
        for d in replayed.dispositions.sorted(by: { $0.decidedAt < $1.decidedAt }) { latest[d.leadID] = d.code }
        let byWeek = truth.weeks.values.reduce(into: [String: Int]()) { all, week in
            for (code, n) in week.dispositionsByCode { all[code, default: 0] += n }
        }
        #expect(byWeek == Dictionary(grouping: latest.values, by: { $0 }).mapValues(\.count))
    }

    @Test func theSalesSideReactsToTheEngine() async throws {
        let (result, _) = try await Self.simulate(seed: 42)
        let truth = result.truth
        // Hand-offs happened, most first touches were prompt, a tail breached and escalated.
        #expect(truth.leadsHandedOff >= 30)
        let within = truth.firstTouches.values.map(\.withinSLA).reduce(0, +)
        let late = truth.firstTouches.values.map(\.late).reduce(0, +)
        #expect(within > late && late > 0)
        #expect(truth.replay.breaches > 0 && truth.replay.reminders > 0)
        // The planted rule: a buyer touched within the SLA is always won; late ones at most all.
        #expect(truth.speedEffect.wonWithinSLA == truth.speedEffect.wouldBuyWithinSLA)
        #expect(truth.speedEffect.wonLate <= truth.speedEffect.wouldBuyLate)
        #expect(truth.speedEffect.touchedWithinSLA + truth.speedEffect.touchedLate <= truth.leadsHandedOff)
        // Dispositions come from the fit-patterned mix; `unresponsive` only after the minimum attempts
        // (the engine refuses it earlier, and the simulator stops on any refusal).
        #expect(!truth.dispositionsByCode.isEmpty)
        #expect(Set(truth.dispositionsByCode.keys).isSubset(of: ["wrong_fit", "no_budget", "bad_timing", "competitor_chosen", "unresponsive"]))
    }

    @Test func deliveriesAreInTimeOrderAndRetriesRepeatEarlierEvents() async throws {
        let (result, _) = try await Self.simulate(seed: 42)
        var seen: [String: InboundEvent] = [:]
        var latest = Date.distantPast
        var retries = 0
        for event in result.events {
            if let earlier = seen[event.eventID] {
                #expect(earlier == event)
                retries += 1
            } else {
                #expect(event.occurredAt >= latest, "\(event.eventID) is delivered before an earlier event")
                latest = event.occurredAt
                seen[event.eventID] = event
            }
        }
        #expect(retries == result.truth.duplicates && retries > 0)
        #expect(seen.count == result.truth.events)
        #expect(result.truth.eventsByType.values.reduce(0, +) == result.truth.events)
    }

    @Test func theSameSeedGivesTheSameBytes() async throws {
        let (a, _) = try await Self.simulate(seed: 7)
        let (b, _) = try await Self.simulate(seed: 7)
        let (c, _) = try await Self.simulate(seed: 8)
        #expect(try a.jsonLines() == b.jsonLines())
        #expect(try a.truth.jsonData() == b.truth.jsonData())
        #expect(try a.jsonLines() != c.jsonLines())
    }
}
