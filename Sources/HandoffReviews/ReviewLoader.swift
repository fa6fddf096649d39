import Foundation
import HandoffPersistence
import HandoffRules

/// Everything a review reads from the store.
package struct ReviewData: Sendable {
    /// Journeys of leads created in the loaded window (see ``ReviewLoader/load(store:period:lookbackDays:trendWeeks:touchesFrom:)``).
    package var journeys: [LeadJourney]
    /// Roster by id, reps who left included.
    package var reps: [String: RepRecord]
    package var deployments: [ModelDeployment]
    /// Leads of the window with at least one captured interaction.
    package var conversationLeads: Set<String>
    /// The tracker hits of the window's leads.
    package var trackerHits: [TrackerHitRecord]
    /// The router's decisions in the review period (from the decision ledger).
    package var routingDecisions: [RoutingExplanation] = []

    package init(
        journeys: [LeadJourney], reps: [String: RepRecord], deployments: [ModelDeployment], conversationLeads: Set<String> = [],
        trackerHits: [TrackerHitRecord] = [], routingDecisions: [RoutingExplanation] = []
    ) {
        self.routingDecisions = routingDecisions
        self.journeys = journeys
        self.reps = reps
        self.deployments = deployments
        self.conversationLeads = conversationLeads
        self.trackerHits = trackerHits
    }
}

/// Reads a review's records from a ``HandoffStore``.
package enum ReviewLoader {
    /// Loads the cohort of leads created from `lookbackDays` before the trend's first week (or
    /// the period's start, whichever is earlier) to the period's end, with all their rows. The
    /// lookback catches leads created before the period and handed off in it, and the matured
    /// outcomes behind "does speed pay" and the score bands.
    package static func load(
        store: any HandoffStore, period: ReviewPeriod, lookbackDays: Int = 365,
        trendWeeks: Int = 8, touchesFrom: Set<String> = []
    ) async throws(AnalyticsError) -> ReviewData {
        let trendStart = ReviewPeriod.containingWeek(period.range.start, timeZone: period.timeZone)
            .isoWeek(offsetBy: -(trendWeeks - 1)).range.start
        let from = min(trendStart, period.range.start).addingTimeInterval(-Double(lookbackDays) * 86_400)
        do {
            let window = ReportPeriod(start: from, end: period.range.end)
            var routing: [RoutingExplanation] = []
            for record in try await store.decisionLedger(kind: .routing, decidedIn: period.range) {
                if let explanation = try record.decoded().routing { routing.append(explanation) }
            }
            let batch = try await store.cohort(createdIn: window)
            let reps = try await store.reps()
            let deployments = try await store.deployments()
            return ReviewData(
                journeys: LeadJourney.build(from: batch, touchesFrom: touchesFrom),
                reps: Dictionary(reps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }), deployments: deployments,
                conversationLeads: Set(try await store.leadsWithInteractions(createdIn: window)),
                trackerHits: try await store.trackerHits(leadsCreatedIn: window),
                routingDecisions: routing)
        } catch {
            throw .store(error)
        }
    }
}
