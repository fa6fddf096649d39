import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite

/// `baton generate --events`: synthetic leads' marketing side → the closed-loop simulator on a
/// scratch store → the event log and its truth.
package enum SimulatedTraffic {
    /// The simulator's view of a synthetic lead.
    package static func lead(_ s: SyntheticMarketingLead) -> SimulatedLead {
        SimulatedLead(
            id: s.id, createdAt: Date(timeIntervalSince1970: s.createdSecondsSince1970), fields: s.fields, source: s.source,
            engagements: s.engagements.map { .init(at: Date(timeIntervalSince1970: $0.secondsSince1970), eventType: $0.type, content: $0.content) },
            fit: .init(
                poorFitSource: s.poorFitSource, smallCompany: s.smallCompany, budgetAuthority: s.budgetAuthority,
                longTimeline: s.longTimeline, competitorInPlace: s.competitorInPlace),
            wouldBuy: s.won, dealAmount: Decimal(s.dealAmount), currency: s.currency)
    }

    /// Runs the simulation; the scratch store is deleted afterwards.
    /// - Parameter identities: with options, the leads are people at companies, some arriving
    ///   twice (``SyntheticIdentities``); their fields carry name, e-mail, company and website, and
    ///   the truth says who is who.
    package static func run(
        rows: Int, seed: UInt64, options: SyntheticOptions, model: String, playbook: String,
        identities: SyntheticIdentities.Options? = nil, progress: (_ reached: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> SimulationResult {
        let scorer: LeadScorer
        do { scorer = try LeadScorer(contentsOf: URL(fileURLWithPath: model)) } catch { throw SimulationFailure(error.description) }
        let book: Playbook
        do { book = try Playbook.load(url: URL(fileURLWithPath: playbook)) } catch { throw SimulationFailure(error.description) }
        var leads = try SyntheticEventLog.marketingLeads(rows: rows, seed: seed, options: options).map(lead)
        var who: [String: SyntheticIdentities.Identity]?
        if let identities {
            if let problem = identities.problem { throw SimulationFailure(problem) }
            let assigned = SyntheticIdentities.assign(leadIDs: leads.map(\.id), seed: seed, options: identities)
            for i in leads.indices { leads[i].fields.merge(assigned[leads[i].id]?.fields ?? [:]) { _, new in new } }
            who = assigned
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baton-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var options = SQLiteHandoffStore.Options()
        options.durability = .normal
        let store: SQLiteHandoffStore
        do { store = try SQLiteHandoffStore(path: scratch.appendingPathComponent("sim.sqlite").path, options: options) } catch {
            throw SimulationFailure(error.description)
        }
        defer { try? store.close() }
        let engine: HandoffEngine
        do { engine = try HandoffEngine(store: store, playbook: book, scorer: scorer) } catch { throw SimulationFailure(error.description) }
        let simulator = TrafficSimulator(seed: seed)
        do throws(EngineError) {
            var result = try await simulator.run(leads: leads, engine: engine, progress: progress)
            result.truth.identities = who
            return result
        } catch {
            throw SimulationFailure("the simulation stopped: \(error.description)")
        }
    }
}

/// Why `baton generate --events` could not simulate: the model, the playbook, the scratch store
/// or the engine refused.
package struct SimulationFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
