import Foundation
import HandoffPersistence

/// Every measure of one review, computed from ``ReviewData`` for one period.
package struct ReviewResults: Sendable {
    package let period: ReviewPeriod
    package let asOf: Date
    /// Journeys handed off in the period.
    package let handoffs: [LeadJourney]
    package let volume: [HandoffVolume]
    package let marketing: MarketingSLA
    package let speed: SpeedToContact
    package let compliance: SLACompliance
    /// Leads parked in a fallback queue in the period (routing/capacity failures).
    package let parking: FallbackParking
    /// Leads contacted within SLA (``SLACompliance/overall``) per ISO week for the trend, oldest first (the period's last week last).
    package let trend: [(week: String, compliance: Proportion)]
    /// Cohorts of leads created in the period (one for a week or month), then the earlier months.
    package let funnel: [FunnelCohort]
    package let dispositions: DispositionPatterns
    package let speedPays: SpeedPays
    package let scoreBands: ScoreVsConversion
    /// Tracker mentions in won against lost leads' conversations.
    package let trackers: TrackerOutcomes
    /// Each rep's share of the router's leads against their weight, with what kept them from more.
    package let distribution: RoutingDistribution
    /// False when no loaded lead has a contact attempt: the source does not record touches
    /// (e.g. an imported funnel), so speed and compliance cannot be judged and their rules stay silent.
    package let contactAttemptsRecorded: Bool

    /// Computes the measures; events after `asOf` are ignored.
    package init(data: ReviewData, period: ReviewPeriod, asOf: Date, configuration: AnalyticsConfiguration) {
        let range = period.range
        let journeys = data.journeys
        self.period = period
        self.asOf = asOf
        self.handoffs = journeys.filter { $0.handoffAt.map(range.contains) ?? false }
        self.volume = VolumeDimension.allCases.map { HandoffVolume.compute(journeys, period: range, by: $0, configuration: configuration) }
        let weeks = range.end.timeIntervalSince(range.start) / (7 * 86_400)
        self.marketing = MarketingSLA.compute(journeys, period: range, weeks: weeks, committedPerWeek: configuration.committedQualifiedPerWeek)
        self.speed = SpeedToContact.compute(journeys, period: range, reps: data.reps, asOf: asOf, configuration: configuration)
        self.compliance = SLACompliance.compute(journeys, period: range, reps: data.reps, asOf: asOf, configuration: configuration)
        self.parking = FallbackParking.compute(journeys, period: range, asOf: asOf)
        let lastWeek = ReviewPeriod.containingWeek(range.end.addingTimeInterval(-1), timeZone: period.timeZone)
        self.trend = (0..<max(1, configuration.trendWeeks)).reversed().map { back in
            let week = lastWeek.isoWeek(offsetBy: -back)
            return (
                week.label,
                SLACompliance.compute(
                    journeys, period: week.range, reps: data.reps, asOf: asOf,
                    configuration: configuration
                ).overall
            )
        }
        let created = journeys.filter { range.contains($0.lead.createdAt) }
        let current = Funnel.cohort(created, label: period.label, asOf: asOf, configuration: configuration)
        let monthly = Funnel.cohorts(
            journeys.filter { $0.lead.createdAt < range.start }, timeZone: period.timeZone, asOf: asOf,
            configuration: configuration
        ).suffix(max(0, configuration.earlierCohortMonths))
        self.funnel = [current] + monthly.reversed()
        self.dispositions = DispositionPatterns.compute(journeys, period: range, asOf: asOf, configuration: configuration)
        self.speedPays = SpeedPays.compute(journeys, reps: data.reps, asOf: asOf, configuration: configuration)
        self.contactAttemptsRecorded = journeys.contains { $0.attemptCount > 0 }
        self.scoreBands = ScoreVsConversion.compute(journeys, deployments: data.deployments, asOf: asOf, configuration: configuration)
        self.distribution = RoutingDistribution.compute(data.routingDecisions)
        self.trackers = TrackerOutcomes.compute(
            journeys, withInteractions: data.conversationLeads, hits: data.trackerHits, asOf: asOf, configuration: configuration)
    }
}
