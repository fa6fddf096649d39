import Foundation
import HandoffStore

/// Does speed pay? Conversion (won) by speed-to-contact bucket within each score band.
///
/// Only matured hand-offs count: won or lost by the as-of time, or handed off at least
/// ``AnalyticsConfiguration/maturityDays`` before it (then "not won" is final enough to count).
public struct SpeedPays: Sendable, Hashable {
    public struct Cell: Sendable, Hashable {
        public let band: String
        public let bucket: String
        public let conversion: Proportion
    }

    public let bands: [String]
    public let buckets: [String]
    /// Every band × bucket, empty ones included (conversion 0 of 0).
    public let cells: [Cell]
    /// Matured hand-offs used.
    public let matured: Int

    public func cell(band: String, bucket: String) -> Cell? { cells.first { $0.band == band && $0.bucket == bucket } }

    /// True when `journey` can be judged won / not won at `asOf`.
    public static func isMatured(_ journey: LeadJourney, asOf: Date, maturityDays: Int) -> Bool {
        if journey.wonAt.map({ $0 <= asOf }) ?? false { return true }
        if journey.lostAt.map({ $0 <= asOf }) ?? false { return true }
        guard let handoff = journey.handoffAt else { return false }
        return asOf.timeIntervalSince(handoff) >= Double(maturityDays) * 86_400
    }

    public static func compute(_ journeys: [LeadJourney], reps: [String: RepRecord], asOf: Date,
                               configuration: AnalyticsConfiguration = AnalyticsConfiguration()) -> SpeedPays {
        let matured = journeys.filter { $0.handoffAt.map { $0 <= asOf } ?? false }
            .filter { $0.score != nil && isMatured($0, asOf: asOf, maturityDays: configuration.maturityDays) }
        let bands = configuration.scoreBandLabels, buckets = configuration.speedBucketLabels
        var won: [String: Int] = [:], total: [String: Int] = [:]
        for j in matured {
            guard let score = j.score else { continue }
            let hours = SpeedToContact.hours(j, reps: reps, asOf: asOf, configuration: configuration)
            let key = configuration.scoreBand(score.probability) + "|" + configuration.speedBucket(hours: hours)
            total[key, default: 0] += 1
            if j.isWon(by: asOf) { won[key, default: 0] += 1 }
        }
        let cells = bands.flatMap { band in
            buckets.map { bucket in Cell(band: band, bucket: bucket, conversion: Proportion(won[band + "|" + bucket] ?? 0, of: total[band + "|" + bucket] ?? 0)) }
        }
        return SpeedPays(bands: bands, buckets: buckets, cells: cells, matured: matured.count)
    }
}
