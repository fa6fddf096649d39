import Foundation
import HandoffPersistence

/// How often each conversation tracker (the playbook's `trackers`: competitors, security review,
/// budget, …) was mentioned in the captured conversations of leads that were won, against leads
/// that were lost: "security review mentioned: won 41 % vs lost 18 %", each share with its Wilson
/// 95 % interval (``Proportion``).
///
/// The leads compared are those of the loaded window with at least one captured interaction and
/// an outcome (won or lost) by `asOf`; a tracker counts for a lead when any of its interactions
/// matched it. Leads without captured conversations are left out: they say nothing either way.
/// Below ``AnalyticsConfiguration/trackerMinimumPerOutcome`` won or lost such leads there is no
/// table, only the counts. A difference is a pattern to look into, not a cause: the leads that
/// bring up security reviews may be larger companies, which win more often anyway.
package struct TrackerOutcomes: Sendable, Equatable {
    /// One tracker's share of won and of lost leads that mentioned it.
    package struct Row: Sendable, Equatable {
        package let tracker: String
        package let category: String
        package let won: Proportion
        package let lost: Proportion
    }

    /// Won leads with captured conversations.
    package let wonLeads: Int
    /// Lost leads with captured conversations.
    package let lostLeads: Int
    /// The minimum of each the table needs.
    package let minimum: Int
    /// By tracker name; empty when either group is below ``minimum`` or no tracker matched.
    package let rows: [Row]

    package var isShown: Bool { wonLeads >= minimum && lostLeads >= minimum }

    /// - Parameters:
    ///   - withInteractions: ids of the leads with at least one captured interaction.
    ///   - hits: the tracker hits of those leads.
    package static func compute(
        _ journeys: [LeadJourney], withInteractions: Set<String>, hits: [TrackerHitRecord], asOf: Date,
        configuration: AnalyticsConfiguration
    ) -> TrackerOutcomes {
        var won = Set<String>(), lost = Set<String>()
        for journey in journeys where withInteractions.contains(journey.lead.id) {
            if let at = journey.wonAt, at <= asOf {
                won.insert(journey.lead.id)
            } else if let at = journey.lostAt, at <= asOf {
                lost.insert(journey.lead.id)
            }
        }
        var mentionedBy: [String: Set<String>] = [:]
        var category: [String: String] = [:]
        for hit in hits where won.contains(hit.leadID) || lost.contains(hit.leadID) {
            mentionedBy[hit.tracker, default: []].insert(hit.leadID)
            category[hit.tracker] = category[hit.tracker] ?? hit.category
        }
        let minimum = configuration.trackerMinimumPerOutcome
        let shown = won.count >= minimum && lost.count >= minimum
        let rows =
            shown
            ? mentionedBy.keys.sorted().map { tracker -> Row in
                let leads = mentionedBy[tracker] ?? []
                return Row(
                    tracker: tracker, category: category[tracker] ?? "",
                    won: Proportion(leads.intersection(won).count, of: won.count),
                    lost: Proportion(leads.intersection(lost).count, of: lost.count))
            } : []
        return TrackerOutcomes(wonLeads: won.count, lostLeads: lost.count, minimum: minimum, rows: rows)
    }
}
