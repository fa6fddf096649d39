import Foundation

/// A sales rep who can receive hand-offs.
///
/// Routing reads the territories, industries and deal-size tiers (each a list of keys; `*`
/// matches any key, see ``RoutingPolicy``), the weight and capacity; the SLA clock reads the
/// business calendar (time zone, working hours, holidays) and the manager.
package struct Rep: Sendable, Hashable, Identifiable {
    /// Whether the rep still takes hand-offs.
    package enum Status: String, Sendable, Hashable, Codable {
        case active
        /// Left the team: never routed to again; their open hand-offs should be reassigned.
        case left
    }

    package let id: String
    package var name: String
    package var email: String
    /// Who is notified when this rep breaches an SLA (an email or id); `nil` when nobody is on file.
    package var manager: String?
    /// Territory keys: regions or countries (`emea`, `DE`), or `*`.
    package var territories: [String]
    /// Industry specialisations, or `*` for a generalist.
    package var industries: [String]
    /// Deal-size tiers the rep handles (`smb`, `mid`, `enterprise`), or `*`.
    package var dealSizeTiers: [String]
    /// Share of round-robin turns relative to the other eligible reps (≥ 1).
    package var weight: Int
    /// Most open hand-offs the rep may hold; a rep at capacity gets no new lead (≥ 0).
    package var capacity: Int
    /// Time zone, working hours and holidays.
    package var calendar: BusinessCalendar
    /// Periods of absence (half-open intervals); routing skips the rep while one covers "now".
    package var outOfOffice: [DateInterval]
    package var status: Status
    /// How the rep wants alerts (channels in order, quiet hours, which priorities push).
    package var alerts: AlertPreferences?
    /// Named accounts (account ids) the rep owns: `match: account_owner` sends their leads to them.
    package var accounts: [String] = []

    /// Preconditions: `weight ≥ 1`, `capacity ≥ 0`.
    package init(
        id: String, name: String, email: String = "", manager: String? = nil,
        territories: [String] = ["*"], industries: [String] = ["*"], dealSizeTiers: [String] = ["*"],
        weight: Int = 1, capacity: Int = 50, calendar: BusinessCalendar,
        outOfOffice: [DateInterval] = [], status: Status = .active, alerts: AlertPreferences? = nil
    ) {
        self.alerts = alerts
        precondition(weight >= 1, "rep weight must be ≥ 1")
        precondition(capacity >= 0, "rep capacity must be ≥ 0")
        self.id = id
        self.name = name
        self.email = email
        self.manager = manager
        self.territories = territories
        self.industries = industries
        self.dealSizeTiers = dealSizeTiers
        self.weight = weight
        self.capacity = capacity
        self.calendar = calendar
        self.outOfOffice = outOfOffice
        self.status = status
    }

    /// Whether an out-of-office period covers `instant`.
    package func isOutOfOffice(at instant: Date) -> Bool {
        outOfOffice.contains { instant >= $0.start && instant < $0.end }
    }

    /// Whether `instant` is inside the rep's working hours (not a holiday, not a closed weekday).
    package func isWorking(at instant: Date) -> Bool { calendar.isOpen(at: instant) }
}
