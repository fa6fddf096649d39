import Foundation
import HandoffPersistence

/// Does speed pay? Conversion (won) by speed-to-contact bucket within each score band.
///
/// Only matured hand-offs count: won or lost by the as-of time, or handed off at least
/// ``AnalyticsConfiguration/maturityDays`` before it (then "not won" is final enough to count).
package struct SpeedPays: Sendable, Hashable {
    package struct Cell: Sendable, Hashable {
        package let band: String
        package let bucket: String
        package let conversion: Proportion
    }

    package let bands: [String]
    package let buckets: [String]
    /// Every band × bucket, empty ones included (conversion 0 of 0).
    package let cells: [Cell]
    /// Matured hand-offs used.
    package let matured: Int

    package func cell(band: String, bucket: String) -> Cell? { cells.first { $0.band == band && $0.bucket == bucket } }

    /// True when `journey` can be judged won / not won at `asOf`.
    package static func isMatured(_ journey: LeadJourney, asOf: Date, maturityDays: Int) -> Bool {
        if journey.wonAt.map({ $0 <= asOf }) ?? false { return true }
        if journey.lostAt.map({ $0 <= asOf }) ?? false { return true }
        guard let handoff = journey.handoffAt else { return false }
        return asOf.timeIntervalSince(handoff) >= Double(maturityDays) * 86_400
    }

    package static func compute(
        _ journeys: [LeadJourney], reps: [String: RepRecord], asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> SpeedPays {
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
            buckets.map { bucket in
                Cell(band: band, bucket: bucket, conversion: Proportion(won[band + "|" + bucket] ?? 0, of: total[band + "|" + bucket] ?? 0))
            }
        }
        return SpeedPays(bands: bands, buckets: buckets, cells: cells, matured: matured.count)
    }
}
