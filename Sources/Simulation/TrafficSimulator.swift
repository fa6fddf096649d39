import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules

/// Closed-loop hand-off traffic: marketing events from given leads, and a simulated sales team
/// that reacts to what the REAL engine does with them.
///
/// ```swift
/// let engine = try HandoffEngine(store: scratchStore, playbook: playbook, scorer: scorer)
/// let result = try await TrafficSimulator(seed: 7).run(leads: leads, engine: engine)
/// try result.jsonLines().write(to: logURL)      // replays into the same store
/// ```
///
/// The simulator delivers events in time order exactly as ``EventReplay`` would replay them:
/// before an event that moves time forward, SLA timers due strictly before it fire (each at its
/// own due instant), then the event is applied. When the engine hands a lead to a rep
/// (``EngineEffect/Kind/handedOff(repID:priority:deadline:)``, from an event or from a timer's
/// reassignment), the rep's reaction is drawn from ``SalesBehaviour`` and scheduled; when the
/// lead is taken from the rep (reassigned or parked), the rep's pending actions are dropped.
/// About ``SalesBehaviour/duplicateShare`` of events are delivered a second time later (same id
/// and content), as retried webhooks are. After the last event, timers due by its instant fire.
///
/// Because reactions are scheduled strictly after the instant that caused them and timers fire
/// at their own due instants, replaying ``SimulationResult/events`` (in their order) into a fresh
/// store with the same playbook and weight file stores the same rows and yields the same
/// ``ReplaySummary`` (``SimulationTruth/replay``).
package struct TrafficSimulator: Sendable {
    package let seed: UInt64
    package var behaviour: SalesBehaviour

    package init(seed: UInt64, behaviour: SalesBehaviour = SalesBehaviour()) {
        self.seed = seed
        self.behaviour = behaviour
    }

    /// Runs the leads through `engine` (whose store should be empty) and returns the delivered
    /// events with the truth.
    /// - Throws: ``EngineError`` when the engine refuses a simulated event (a simulator defect,
    ///   named by the event id) or the store fails.
    /// - Parameter progress: after each delivery, the leads whose creation simulated time has
    ///   reached and their total (the CLI shows it on a terminal).
    package func run(
        leads: [SimulatedLead], engine: HandoffEngine, progress: (_ reached: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws(EngineError) -> SimulationResult {
        var run = SimulationRun(seed: seed, behaviour: behaviour, engine: engine)
        return try await run.go(leads, progress: progress)
    }
}

/// The delivered log and its known answers.
package struct SimulationResult: Sendable {
    /// Every delivery in order (retries included, with their original content).
    package let events: [InboundEvent]
    package var truth: SimulationTruth

    /// The log as JSONL: one event object a line, keys sorted (same run, same bytes).
    package func jsonLines() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for event in events {
            data += try encoder.encode(event)
            data += Data("\n".utf8)
        }
        return data
    }
}
