import Foundation
import HandoffPersistence
import HandoffRules

extension AnalyticsConfiguration {
    /// The default business time when no playbook is given: 09:00–17:00 Monday–Friday in the
    /// rep's time zone from the store (UTC for the fallback queue or an unknown zone), no holidays.
    package static let defaultCalendar: @Sendable (RepRecord?) -> any BusinessTimeCalendar = { rep in
        BusinessCalendar(timeZone: rep.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt, hours: .nineToFive)
    }

    /// Measures business time and first-touch targets as the hand-off flow's playbook states them.
    ///
    /// - A rep the playbook's `reps:` names gets its own calendar: its `time_zone`, its
    ///   `working_hours` (or the `sla:` default hours) and its holiday list.
    /// - A store rep the playbook does not name gets the `sla:` working hours in the rep's stored
    ///   time zone, without holidays; the fallback queue gets them in UTC.
    /// - `sla.policies` set the first-touch target per policy (business hours).
    /// - Parameter name: how the report names the playbook (its file name).
    package mutating func use(_ playbook: FlowPlaybook, name: String) {
        let roster = playbook.roster, hours = playbook.sla.workingHours
        calendar = { rep in
            if let id = rep?.id, let own = roster.rep(id) { return own.calendar }
            return BusinessCalendar(timeZone: rep.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt, hours: hours)
        }
        firstTouchTargetHours = playbook.sla.policies.mapValues(\.firstTouchHours)
        defaultFirstTouchTargetHours = playbook.sla.policies["standard"]?.firstTouchHours ?? defaultFirstTouchTargetHours
        touchesFrom = playbook.sla.touchesFrom
        let ids = roster.ids.sorted()
        let shown = ids.prefix(8).joined(separator: ", ") + (ids.count > 8 ? ", …" : "")
        calendarNote =
            "from the playbook \(name): the time zone, working hours and holidays of its \(ids.count) rep(s) (\(shown)); "
            + "other reps get its default working hours \(Self.describe(hours)) in their own time zone (the fallback queue in UTC), without holidays"
    }

    /// `09:00–17:00 Mon–Fri`.
    static func describe(_ hours: WorkingHours) -> String {
        func clock(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
        let days = Weekday.allCases.filter { hours.days.contains($0) }.map { $0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst() }
        return "\(clock(hours.opensAtMinute))–\(clock(hours.closesAtMinute)) \(days.joined(separator: ", "))"
    }
}
