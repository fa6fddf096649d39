import Foundation
import HandoffPersistence

/// Does speed pay? Conversion (won) by speed-to-contact bucket within each score band, and a
/// verdict from a Cochran–Mantel–Haenszel analysis stratified by score band.
///
/// Only matured hand-offs count: won or lost by the as-of time, or handed off at least
/// ``AnalyticsConfiguration/maturityDays`` before it (then "not won" is final enough to count).
///
/// The test splits each band's hand-offs in two: first touched within the first speed bucket
/// (≤ the first of ``AnalyticsConfiguration/speedBucketEdgesHours``, 1 business hour by default)
/// and the rest, touched later or never (a lead nobody contacted is the slowest contact of all).
/// ``test`` is the ``MantelHaenszel`` analysis of won vs not won, fast as the exposed row, with the
/// continuity-corrected CMH test; the verdict reads its 95 % interval.
package struct SpeedPays: Sendable, Hashable {
    /// What the test says, in order of precedence.
    package enum Verdict: Sendable, Hashable {
        /// Fewer matured hand-offs than ``AnalyticsConfiguration/speedPaysMinimumMatured``.
        case tooFewMatured(have: Int, need: Int)
        /// One group has fewer than ``AnalyticsConfiguration/speedPaysMinimumPerGroup``.
        case tooFewInAGroup(fast: Int, later: Int, need: Int)
        /// The odds ratio does not exist (0 or infinite: ``MantelHaenszel/missingEstimate``).
        case noEstimate
        /// The interval lies above 1: the fast group converted more often.
        case fasterConvertsMore
        /// The interval lies below 1: the fast group converted less often.
        case fasterConvertsLess
        /// The interval includes 1.
        case noEvidence
    }

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
    /// The fast group's bound in business hours (first touch ≤ it), nil when no bucket edge is configured.
    package let fastWithinHours: Double?
    /// Matured hand-offs first touched within ``fastWithinHours``, and the others (later or never).
    package let fast: Int
    package let later: Int
    /// CMH over the score bands (strata in ``bands`` order): exposed = fast, event = won.
    package let test: MantelHaenszel
    package let verdict: Verdict

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
        let fastWithin = configuration.speedBucketEdgesHours.first
        var won: [String: Int] = [:], total: [String: Int] = [:]
        // Per band: [fast won, fast not won, later won, later not won].
        var split: [String: [Int]] = [:]
        for j in matured {
            guard let score = j.score else { continue }
            let hours = SpeedToContact.hours(j, reps: reps, asOf: asOf, configuration: configuration)
            let band = configuration.scoreBand(score.probability)
            let key = band + "|" + configuration.speedBucket(hours: hours)
            let isWon = j.isWon(by: asOf)
            total[key, default: 0] += 1
            if isWon { won[key, default: 0] += 1 }
            let isFast = fastWithin.map { edge in hours.map { $0 <= edge } ?? false } ?? false
            split[band, default: [0, 0, 0, 0]][(isFast ? 0 : 2) + (isWon ? 0 : 1)] += 1
        }
        let strata = bands.map { band in
            let t = split[band] ?? [0, 0, 0, 0]
            return MantelHaenszel.Stratum(exposedEvents: t[0], exposedNonEvents: t[1], unexposedEvents: t[2], unexposedNonEvents: t[3])
        }
        let test = MantelHaenszel(strata: strata, confidence: 0.95, continuityCorrection: true)
        let fast = strata.reduce(0) { $0 + $1.exposed }, later = strata.reduce(0) { $0 + $1.unexposed }
        let verdict: Verdict
        if matured.count < configuration.speedPaysMinimumMatured {
            verdict = .tooFewMatured(have: matured.count, need: configuration.speedPaysMinimumMatured)
        } else if fast < configuration.speedPaysMinimumPerGroup || later < configuration.speedPaysMinimumPerGroup {
            verdict = .tooFewInAGroup(fast: fast, later: later, need: configuration.speedPaysMinimumPerGroup)
        } else if let ci = test.confidenceInterval {
            verdict = ci.lower > 1 ? .fasterConvertsMore : (ci.upper < 1 ? .fasterConvertsLess : .noEvidence)
        } else {
            verdict = .noEstimate
        }
        let cells = bands.flatMap { band in
            buckets.map { bucket in
                Cell(band: band, bucket: bucket, conversion: Proportion(won[band + "|" + bucket] ?? 0, of: total[band + "|" + bucket] ?? 0))
            }
        }
        return SpeedPays(
            bands: bands, buckets: buckets, cells: cells, matured: matured.count, fastWithinHours: fastWithin, fast: fast, later: later,
            test: test, verdict: verdict)
    }
}
