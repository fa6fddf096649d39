/// Row counts per table (for tests, `/metrics` and status output).
package struct StoreCounts: Sendable, Hashable, Codable {
    package var leads = 0
    package var events = 0
    package var scores = 0
    package var decisions = 0
    package var assignments = 0
    package var reps = 0
    package var routerStates = 0
    package var timers = 0
    package var contactAttempts = 0
    package var dispositions = 0
    package var opportunities = 0
    package var outcomes = 0
    package var models = 0
    package var deployments = 0
    package var alerts = 0

    package init() {}

    /// Sum over all tables.
    package var total: Int {
        leads + events + scores + decisions + assignments + reps + routerStates + timers + contactAttempts
            + dispositions + opportunities + outcomes + models + deployments + alerts
    }
}
