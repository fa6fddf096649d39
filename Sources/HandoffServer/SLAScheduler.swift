import BatonSupport
import Foundation
import HandoffFlow
import Logging

/// Fires due SLA steps (reminders, manager notifications, reassignments) from inside the
/// service, every `interval` seconds, without any request. Each step is its own unit of work in
/// the engine; a failing run is logged and retried at the next interval.
struct SLAScheduler: Sendable {
    let runtime: ModelRuntime
    let metrics: ServiceMetrics
    let interval: Double
    let now: @Sendable () -> Date
    let logger: Logger
    /// Writes each firing's CRM sync message (owner, SLA state) in the firing's own unit of work.
    var deliverer: AlertDeliverer?

    func run() async {
        while !Task.isCancelled {
            _ = await runOnce()
            try? await Task.sleep(for: .milliseconds((interval * 1000).clampedInt(in: 1...86_400_000)))
        }
    }

    /// One pass; returns what fired.
    @discardableResult
    func runOnce() async -> [EngineEffect] {
        let engine = await runtime.current()
        do {
            // Claimed under a lease, so several instances on one PostgreSQL store never fire a
            // step twice (issue 8); alone on SQLite the claim costs one UPDATE per step.
            let deliverer = self.deliverer
            let effects = try await engine.tick(at: now(), owner: Self.instanceID) { source, leadID, effects in
                deliverer?.crmOperations(source: .scheduler, id: source, leadID: leadID, effects: effects) ?? []
            }
            await metrics.tick(effects: effects.map(Self.label), failed: false)
            if !effects.isEmpty { logger.info("SLA scheduler: \(effects.count) step(s) fired") }
            return effects
        } catch {
            await metrics.tick(effects: [], failed: true)
            logger.error("SLA scheduler: \(error.description)")
            return []
        }
    }

    /// This process's name as a lease owner: host and process id.
    static let instanceID = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"

    static func label(_ effect: EngineEffect) -> String {
        switch effect.kind {
        case .breach: "breach"
        case .reminder: "reminder"
        case .managerNotified: "manager_notification"
        case .reassigned: "reassignment"
        case .handedOff: "handoff"
        case .queued: "queued"
        default: "other"
        }
    }
}
