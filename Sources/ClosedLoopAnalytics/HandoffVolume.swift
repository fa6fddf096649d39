import Foundation
import HandoffStore

/// A grouping of hand-offs for volume tables.
public enum VolumeDimension: String, Sendable, Hashable, CaseIterable {
    case source, campaign, scoreBand = "score band", rep

    /// The group `journey` falls in; "(none)" when the attribute is missing.
    public func key(_ journey: LeadJourney, _ configuration: AnalyticsConfiguration) -> String {
        switch self {
        case .source: journey.lead.source ?? "(none)"
        case .campaign: journey.lead.campaign ?? "(none)"
        case .scoreBand: journey.score.map { configuration.scoreBand($0.probability) } ?? "(unscored)"
        case .rep: journey.repID ?? journey.queue.map { "queue: \($0)" } ?? "(none)"
        }
    }
}

/// Hand-offs (first assignments) in a period, by group.
public struct HandoffVolume: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public let key: String
        public let count: Int
        /// count / total (nil when the total is 0).
        public let share: Double?
    }

    public let dimension: VolumeDimension
    public let total: Int
    /// Largest group first, ties by key.
    public let rows: [Row]

    /// Counts journeys whose hand-off lies in `period`.
    public static func compute(_ journeys: [LeadJourney], period: ReportPeriod, by dimension: VolumeDimension,
                               configuration: AnalyticsConfiguration = AnalyticsConfiguration()) -> HandoffVolume {
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
public struct MarketingSLA: Sendable, Hashable {
    /// Hand-offs in the period whose decision stage is MQL or SQL.
    public let delivered: Int
    /// Committed qualified hand-offs for the period (weekly commitment × weeks), nil when none stated.
    public let committed: Int?
    /// delivered / committed, nil without a commitment (or a zero one).
    public var attainment: Double? { committed.flatMap { $0 > 0 ? Double(delivered) / Double($0) : nil } }
    /// Hand-offs (all stages) with documented qualification evidence, out of all hand-offs in the period.
    public let evidence: Proportion

    /// - Parameter weeks: length of the period in weeks (1 for a week, days/7 for a month).
    public static func compute(_ journeys: [LeadJourney], period: ReportPeriod, weeks: Double,
                               committedPerWeek: Int?) -> MarketingSLA {
        let handed = journeys.filter { $0.handoffAt.map(period.contains) ?? false }
        let delivered = handed.filter { $0.handoffStage == .mql || $0.handoffStage == .sql }.count
        let committed = committedPerWeek.map { Int((Double($0) * weeks).rounded()) }
        return MarketingSLA(delivered: delivered, committed: committed,
                            evidence: Proportion(handed.filter(\.hasEvidence).count, of: handed.count))
    }
}
