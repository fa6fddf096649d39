/// Row counts per table (for tests, `/metrics` and status output).
public struct StoreCounts: Sendable, Hashable, Codable {
    public var leads = 0
    public var events = 0
    public var scores = 0
    public var decisions = 0
    public var assignments = 0
    public var reps = 0
    public var routerStates = 0
    public var timers = 0
    public var contactAttempts = 0
    public var dispositions = 0
    public var opportunities = 0
    public var outcomes = 0
    public var models = 0
    public var deployments = 0
    public var alerts = 0

    public init() {}

    /// Sum over all tables.
    public var total: Int {
        leads + events + scores + decisions + assignments + reps + routerStates + timers + contactAttempts
            + dispositions + opportunities + outcomes + models + deployments + alerts
    }
}
