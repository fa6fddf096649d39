import Foundation
import HandoffPersistence

/// Business time from hand-off to first touch, measured in the assigned rep's calendar.
package struct SpeedToContact: Sendable, Hashable {
    /// One group (a priority, a rep).
    package struct Group: Sendable, Hashable {
        package let key: String
        /// Hand-offs in the group.
        package let handoffs: Int
        /// Business hours to first touch of the touched ones.
        package let hours: [Double]
        /// Hand-offs not touched by the as-of time.
        package var untouched: Int { handoffs - hours.count }
        /// Median and 90th percentile (type 7), nil when nothing was touched.
        package var median: Double? { Quantile.of(hours, 0.5) }
        package var p90: Double? { Quantile.of(hours, 0.9) }
        /// For rep groups: whether the rep is active, has left or is not on the roster; nil for
        /// other groups.
        package let repStatus: RepStanding?
    }

    /// Where the rep of a rep group stands on the roster.
    package enum RepStanding: Sendable, Hashable {
        case active
        /// Marked as left on the roster.
        case left
        /// Not on the roster at all.
        case notOnRoster

        /// What the review prints after the rep's id; nil for an active rep.
        package var note: String? {
            switch self {
            case .active: nil
            case .left: "left"
            case .notOnRoster: "not on the roster"
            }
        }
    }

    /// All hand-offs of the period.
    package let overall: Group
    /// Wall-clock hours from each first touch (by the as-of time) to its arrival in Baton: the
    /// CRM's lag. The SLA is judged at the touch's own time, so a lagging CRM does not turn a
    /// touch in time into a miss; this says how late the flow learnt of it.
    package var crmLagHours: [Double] = []
    package let byPriority: [Group]
    package let byRep: [Group]
    /// Speed to lead split in two, so that reps answer only for their part (issue 16). The
    /// **system delay**: wall-clock hours from the lead's qualification (its first MQL or SQL
    /// decision; the hand-off when none is stored) to its first assignment to a rep: routing, and
    /// any time parked in a fallback queue. One value per lead of the period that reached a rep by
    /// the as-of time.
    package var systemDelayHours: [Double] = []
    /// The **rep delay**: business hours in that rep's calendar from their assignment to the
    /// first touch at or after it. One value per such lead touched by the as-of time.
    package var repDelayHours: [Double] = []

    /// Business hours from hand-off to first touch for one journey, nil when untouched by `asOf`.
    package static func hours(
        _ journey: LeadJourney, reps: [String: RepRecord], asOf: Date,
        configuration: AnalyticsConfiguration
    ) -> Double? {
        guard let handoff = journey.handoffAt, let touch = journey.firstTouchAt, touch <= asOf else { return nil }
        let calendar = configuration.calendar(journey.repID.flatMap { reps[$0] })
        return journey.businessSeconds(from: handoff, to: touch, in: calendar) / 3600
    }

    package static func compute(
        _ journeys: [LeadJourney], period: ReportPeriod, reps: [String: RepRecord], asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> SpeedToContact {
        let handed = journeys.filter { $0.handoffAt.map(period.contains) ?? false }
        func group(_ key: String, _ members: [LeadJourney], repStatus: RepStanding? = nil) -> Group {
            Group(
                key: key, handoffs: members.count,
                hours: members.compactMap { hours($0, reps: reps, asOf: asOf, configuration: configuration) }, repStatus: repStatus)
        }
        let byPriority = Dictionary(grouping: handed) { $0.priority?.rawValue ?? "(none)" }
            .map { group($0.key, $0.value) }.sorted { $0.key < $1.key }
        let byRep = Dictionary(grouping: handed) { VolumeDimension.rep.key($0, configuration) }
            .map { key, members -> Group in
                let status: RepStanding? = members.first?.repID.map { id in
                    guard let rep = reps[id] else { return .notOnRoster }
                    return rep.status == .left ? .left : .active
                }
                return group(key, members, repStatus: status)
            }.sorted { $0.key < $1.key }
        let lags = handed.compactMap { j -> Double? in
            guard let touch = j.firstTouchAt, touch <= asOf, let arrived = j.firstTouchArrivedAt else { return nil }
            return max(0, arrived.timeIntervalSince(touch)) / 3600
        }
        var speed = SpeedToContact(overall: group("all", handed), crmLagHours: lags, byPriority: byPriority, byRep: byRep)
        for journey in handed {
            guard let rep = journey.firstRep, rep.at <= asOf else { continue }
            let qualified = [journey.mqlAt, journey.handoffAt].compactMap { $0 }.min() ?? rep.at
            speed.systemDelayHours.append(max(0, rep.at.timeIntervalSince(qualified)) / 3600)
            if let touch = journey.firstTouchAt, touch >= rep.at, touch <= asOf {
                speed.repDelayHours.append(journey.businessSeconds(from: rep.at, to: touch, in: configuration.calendar(reps[rep.id])) / 3600)
            }
        }
        return speed
    }
}
