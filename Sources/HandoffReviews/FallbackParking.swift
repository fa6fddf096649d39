import Foundation
import HandoffPersistence

/// Leads parked in a fallback queue: nobody could take them (no routing rule or rep with capacity
/// placed them, or a reassignment found nobody left), and the router raised an alert. A routing
/// and capacity failure, reported apart from the reps' SLA compliance (see ``SLACompliance``).
package struct FallbackParking: Sendable, Hashable {
    /// One queue's parked leads.
    package struct Queue: Sendable, Hashable {
        package let name: String
        /// Leads parked in the period.
        package let parked: Int
        /// Of those, parked at their first hand-off (the rest after a reassignment).
        package let atHandoff: Int
        /// Still in the queue at the as-of time.
        package let stillParked: Int
        /// Assigned to a rep after parking, by the as-of time.
        package let laterAssigned: Int
        /// Clock hours each lead spent parked (until it left the queue, else until the as-of time).
        package let hoursParked: [Double]
        package var medianHours: Double? { Quantile.of(hoursParked, 0.5) }
        package var maxHours: Double? { hoursParked.max() }
    }

    /// By queue name.
    package let queues: [Queue]
    /// All queues together.
    package let total: Queue

    /// Leads whose first parking lies in `period` (events after `asOf` ignored).
    package static func compute(_ journeys: [LeadJourney], period: ReportPeriod, asOf: Date) -> FallbackParking {
        let parked = journeys.filter { j in j.parkedAt.map { period.contains($0) && $0 <= asOf } ?? false }
        func queue(_ name: String, _ members: [LeadJourney]) -> Queue {
            var still = 0, assigned = 0
            var hours: [Double] = []
            for j in members {
                guard let start = j.parkedAt else { continue }
                let end = j.unparkedAt.flatMap { $0 <= asOf ? $0 : nil }
                if end == nil { still += 1 }
                if let rep = j.repAssignedAfterParkingAt, rep <= asOf { assigned += 1 }
                hours.append(max(0, (end ?? asOf).timeIntervalSince(start)) / 3600)
            }
            return Queue(
                name: name, parked: members.count, atHandoff: members.filter { $0.queue != nil }.count,
                stillParked: still, laterAssigned: assigned, hoursParked: hours.sorted())
        }
        let queues = Dictionary(grouping: parked) { $0.parkedQueue ?? "(unnamed)" }.map { queue($0.key, $0.value) }.sorted { $0.name < $1.name }
        return FallbackParking(queues: queues, total: queue("all", parked))
    }
}
