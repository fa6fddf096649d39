import BatonSupport
import Foundation
import HandoffPersistence

/// A grouping of hand-offs for volume tables.
package enum VolumeDimension: String, Sendable, Hashable, CaseIterable {
    case source, campaign, scoreBand = "score band", rep

    /// The group `journey` falls in; "(none)" when the attribute is missing.
    package func key(_ journey: LeadJourney, _ configuration: AnalyticsConfiguration) -> String {
        switch self {
        case .source: journey.lead.source ?? "(none)"
        case .campaign: journey.lead.campaign ?? "(none)"
        case .scoreBand: journey.score.map { configuration.scoreBand($0.probability) } ?? "(unscored)"
        case .rep: journey.repID ?? journey.queue.map { "queue: \($0)" } ?? "(none)"
        }
    }
}

/// Hand-offs (first assignments) in a period, by group.
package struct HandoffVolume: Sendable, Hashable {
    package struct Row: Sendable, Hashable {
        package let key: String
        package let count: Int
        /// count / total (nil when the total is 0).
        package let share: Double?
    }

    package let dimension: VolumeDimension
    package let total: Int
    /// Largest group first, ties by key.
    package let rows: [Row]

    /// Counts journeys whose hand-off lies in `period`.
    package static func compute(
        _ journeys: [LeadJourney], period: ReportPeriod, by dimension: VolumeDimension,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> HandoffVolume {
        let handed = journeys.filter { $0.handoffAt.map(period.contains) ?? false }
        let counts = Dictionary(grouping: handed) { dimension.key($0, configuration) }.mapValues(\.count)
        let total = handed.count
        let rows = counts.map { Row(key: $0.key, count: $0.value, share: total > 0 ? Double($0.value) / Double(total) : nil) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
        return HandoffVolume(dimension: dimension, total: total, rows: rows)
    }
}

/// The marketing side of the SLA: qualified leads delivered against the committed volume, and
/// the share of hand-offs whose qualification decision carries evidence.
package struct MarketingSLA: Sendable, Hashable {
    /// Hand-offs in the period whose decision stage is MQL or SQL.
    package let delivered: Int
    /// Committed qualified hand-offs for the period (weekly commitment × weeks), nil when none stated.
    package let committed: Int?
    /// delivered / committed, nil without a commitment (or a zero one).
    package var attainment: Double? { committed.flatMap { $0 > 0 ? Double(delivered) / Double($0) : nil } }
    /// Hand-offs (all stages) with documented qualification evidence, out of all hand-offs in the period.
    package let evidence: Proportion

    /// - Parameter weeks: length of the period in weeks (1 for a week, days/7 for a month).
    package static func compute(
        _ journeys: [LeadJourney], period: ReportPeriod, weeks: Double,
        committedPerWeek: Int?
    ) -> MarketingSLA {
        let handed = journeys.filter { $0.handoffAt.map(period.contains) ?? false }
        let delivered = handed.filter { $0.handoffStage == .mql || $0.handoffStage == .sql }.count
        let committed = committedPerWeek.map { (Double($0) * weeks).clampedInt(in: 0...Int.max) }
        return MarketingSLA(
            delivered: delivered, committed: committed,
            evidence: Proportion(handed.filter(\.hasEvidence).count, of: handed.count))
    }
}
