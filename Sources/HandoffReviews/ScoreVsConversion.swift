import Foundation
import HandoffPersistence

/// The production model's score against matured outcomes: ten bands by rank of the score.
///
/// Leads scored by the model that was in production at the scoring time (from the registry's
/// deployments; every score when no deployment is recorded) with matured outcomes (see
/// ``SpeedPays/isMatured(_:asOf:maturityDays:)``) are sorted by probability, highest first (ties
/// by lead id), and cut into ten bands of equal size by rank; band 1 holds the highest scores, as
/// in `baton validate` and the recalibration report (one order everywhere, issue 21 item 8). A
/// band is flagged "high score, low conversion" when it is in the upper half (band ≤ 5) and the
/// upper end of its Wilson 95 % interval lies below its mean predicted probability or below the
/// conversion rate of all matured leads.
package struct ScoreVsConversion: Sendable, Hashable {
    package struct Band: Sendable, Hashable {
        package let band: Int
        package let minimumProbability: Double
        package let maximumProbability: Double
        package let meanPredicted: Double
        package let conversion: Proportion
        package let highScoreLowConversion: Bool
    }

    /// Empty when fewer than 10 matured scored leads (``note`` says so).
    package let bands: [Band]
    package let overall: Proportion
    package let note: String?

    package static func compute(
        _ journeys: [LeadJourney], deployments: [ModelDeployment], asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> ScoreVsConversion {
        func isProduction(_ score: ScoreRecord) -> Bool {
            guard !deployments.isEmpty else { return true }
            return deployments.contains { d in
                d.sha256 == score.model.sha256 && d.promotedAt <= score.scoredAt && (d.retiredAt.map { score.scoredAt < $0 } ?? true)
            }
        }
        let eligible = journeys.filter { j in
            guard let score = j.score, j.handoffAt.map({ $0 <= asOf }) ?? false else { return false }
            return isProduction(score) && SpeedPays.isMatured(j, asOf: asOf, maturityDays: configuration.maturityDays)
        }.sorted { a, b in
            let pa = a.score?.probability ?? 0, pb = b.score?.probability ?? 0
            return pa != pb ? pa > pb : a.lead.id < b.lead.id
        }
        let n = eligible.count
        let overall = Proportion(eligible.filter { $0.isWon(by: asOf) }.count, of: n)
        guard n >= 10 else {
            return ScoreVsConversion(
                bands: [], overall: overall,
                note: "only \(n) matured leads scored by the production model; ten bands need at least 10")
        }
        var bands: [Band] = []
        for band in 1...10 {
            let members = eligible[((band - 1) * n / 10)..<(band * n / 10)]
            let p = members.compactMap { $0.score?.probability }
            let mean = p.reduce(0, +) / Double(p.count)
            let conversion = Proportion(members.filter { $0.isWon(by: asOf) }.count, of: members.count)
            let upper = conversion.interval?.upper ?? 1
            let flagged = band <= 5 && (upper < mean || upper < (overall.rate ?? 0))
            bands.append(
                Band(
                    band: band, minimumProbability: p.min() ?? 0, maximumProbability: p.max() ?? 0,
                    meanPredicted: mean, conversion: conversion, highScoreLowConversion: flagged))
        }
        let note: String? = deployments.isEmpty ? "no model deployments are recorded; every stored score was used" : nil
        return ScoreVsConversion(bands: bands, overall: overall, note: note)
    }
}
