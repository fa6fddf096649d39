import Foundation
import HandoffPersistence

/// Stages of the closed loop, in order.
package enum FunnelStage: String, Sendable, Hashable, CaseIterable {
    case lead, mql = "MQL", sql = "SQL", opportunity, won
}

/// Lead → MQL → SQL → opportunity → won for one cohort (leads created in one month).
///
/// A lead counts as having reached a stage when it reached it or any later stage (a won deal
/// whose SQL decision was never recorded still passed SQL); `recorded` says how many of those
/// carry the stage's own timestamp. Stage conversion = reached(next) / reached(stage) with a
/// Wilson interval. Velocity (time in stage) is the median of (next stage time − this stage's
/// time) in days, over leads with both timestamps recorded.
package struct FunnelCohort: Sendable, Hashable {
    package struct Stage: Sendable, Hashable {
        package let stage: FunnelStage
        package let reached: Int
        package let recorded: Int
        /// Conversion to the next stage; nil for `won`.
        package let conversionToNext: Proportion?
        /// Median days until the next stage, and how many leads it is over; nil median when none.
        package let medianDaysToNext: Double?
        package let velocitySample: Int
    }

    /// "2025-10".
    package let cohort: String
    package let stages: [Stage]
    /// Median days from MQL to won (the whole sales cycle), over leads with both times.
    package let medianDaysMQLToWon: Double?
    /// Won amounts of marketing-sourced leads, minor units per currency.
    package let attributedRevenue: [String: Int64]
    /// Won deals of marketing-sourced leads.
    package let attributedWins: Int

    func stage(_ s: FunnelStage) -> Stage? { stages.first { $0.stage == s } }
}

package enum Funnel {
    /// Cohorts by the month (in `timeZone`) of lead creation, oldest first; only events up to `asOf` count.
    package static func cohorts(
        _ journeys: [LeadJourney], timeZone: TimeZone, asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> [FunnelCohort] {
        let calendar = ReviewPeriod.gregorian(timeZone)
        let grouped = Dictionary(grouping: journeys) { journey -> String in
            let parts = calendar.dateComponents([.year, .month], from: journey.lead.createdAt)
            return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
        }
        return grouped.keys.sorted().map { cohort(grouped[$0] ?? [], label: $0, asOf: asOf, configuration: configuration) }
    }

    /// One cohort of `journeys` (all of them), labelled `label`.
    package static func cohort(
        _ journeys: [LeadJourney], label: String, asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> FunnelCohort {
        func time(_ j: LeadJourney, _ s: FunnelStage) -> Date? {
            let t: Date? =
                switch s {
                case .lead: j.lead.createdAt
                case .mql: j.mqlAt
                case .sql: j.sqlAt
                case .opportunity: j.opportunityAt
                case .won: j.wonAt
                }
            return t.flatMap { $0 <= asOf ? $0 : nil }
        }
        let all = FunnelStage.allCases
        // The furthest stage each lead reached (recorded), so earlier stages count as passed.
        let furthest = journeys.map { j in all.lastIndex { time(j, $0) != nil } ?? 0 }
        let reached = all.indices.map { index in furthest.filter { $0 >= index }.count }
        var stages: [FunnelCohort.Stage] = []
        for (index, stage) in all.enumerated() {
            let recorded = journeys.filter { time($0, stage) != nil }.count
            var conversion: Proportion?, median: Double?, sample = 0
            if index + 1 < all.count {
                conversion = Proportion(reached[index + 1], of: reached[index])
                let days = journeys.compactMap { j -> Double? in
                    guard let a = time(j, stage), let b = time(j, all[index + 1]) else { return nil }
                    return b.timeIntervalSince(a) / 86_400
                }
                median = Quantile.of(days, 0.5)
                sample = days.count
            }
            stages.append(
                .init(
                    stage: stage, reached: reached[index], recorded: recorded, conversionToNext: conversion,
                    medianDaysToNext: median, velocitySample: sample))
        }
        let cycle = journeys.compactMap { j -> Double? in
            guard let a = time(j, .mql), let b = time(j, .won) else { return nil }
            return b.timeIntervalSince(a) / 86_400
        }
        let marketing = journeys.filter { j in j.lead.source.map { !configuration.salesSourcedSources.contains($0) } ?? true }
        var revenue: [String: Int64] = [:]
        var wins = 0
        for j in marketing where j.isWon(by: asOf) {
            wins += 1
            for amount in j.wonAmounts {
                // Saturating, never trapping: each amount is below 10¹⁵ major units (EventWork.money),
                // so only ~90 of the largest possible deals in one cohort could reach Int64.max.
                let (sum, overflow) = revenue[amount.currency, default: 0].addingReportingOverflow(amount.minorUnits)
                revenue[amount.currency] = overflow ? .max : sum
            }
        }
        return FunnelCohort(
            cohort: label, stages: stages, medianDaysMQLToWon: Quantile.of(cycle, 0.5),
            attributedRevenue: revenue, attributedWins: wins)
    }
}
