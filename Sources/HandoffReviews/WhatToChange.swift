import Foundation
import ReportRendering

/// One recommended change, with the number that triggered it.
package struct ChangeItem: Sendable, Hashable {
    /// Which rule fired (see ``WhatToChange``).
    package let rule: String
    package let text: String
}

/// Rules that turn the measures into a short list of changes. Each rule fires only on a number
/// that crosses its threshold, and its text quotes that number; when nothing crosses, the list
/// is empty and the report says so in one line.
///
/// 1. `sla-compliance`: a policy's compliance CI upper bound is below
///    ``AnalyticsConfiguration/complianceGoal`` (the shortfall is beyond chance).
/// 2. `never-touched`: hand-offs still untouched after their target.
/// 3. `slow-rep`: a rep's p90 speed exceeds twice the longest target among their hand-offs' policies (≥ 3 touched).
/// 4. `rep-left`: hand-offs in the period went to reps who have left or are off the roster.
/// 5. `marketing-shortfall`: delivered qualified hand-offs below the commitment.
/// 6. `missing-evidence`: hand-offs without qualification evidence.
/// 7. `disposition-pattern`: a code over-represented in a category (Bonferroni-flagged residual > 0).
/// 8. `speed-pays`: within a band, the fastest bucket's CI lower bound exceeds a slower bucket's upper bound.
/// 9. `score-band`: a band flagged "high score, low conversion".
/// Rules 1–3 stay silent when the store holds no contact attempt at all in the loaded window
/// (the source does not record touches; the report says so instead).
/// 10. `fallback-queue`: leads were parked in a fallback queue (no routing rule or rep with
///     capacity placed them) — how many, how long, how many still wait or were later assigned.
package enum WhatToChange {
    package static func items(_ review: ReviewResults, configuration: AnalyticsConfiguration) -> [ChangeItem] {
        var items: [ChangeItem] = []
        for policy in review.compliance.policies where review.contactAttemptsRecorded {
            if let ci = policy.compliance.interval, ci.upper < configuration.complianceGoal {
                items.append(
                    .init(
                        rule: "sla-compliance",
                        text:
                            "First-touch compliance for policy `\(policy.name)` (target \(SpeedBuckets.format(policy.targetHours)) business h) is \(policy.compliance.formatted), below the \(NumberFormat.percent(configuration.complianceGoal)) goal even at the top of its interval: check rep capacity and alerting for this priority."
                    ))
            }
            if policy.untouchedMissed > 0 {
                items.append(
                    .init(
                        rule: "never-touched",
                        text:
                            "\(policy.untouchedMissed) `\(policy.name)` hand-off(s) are still untouched past the \(SpeedBuckets.format(policy.targetHours)) business-hour target: reassign them now."
                    ))
            }
        }
        let policyOfRep = Dictionary(grouping: review.handoffs) { $0.repID ?? "" }
        // Queue groups (no rep status) are not reps: parking has its own rule.
        for group in review.speed.byRep where group.hours.count >= 3 && group.repStatus != nil {
            let longest =
                (policyOfRep[group.key] ?? []).map { configuration.targetHours(policy: $0.policy ?? "") }.max()
                ?? configuration.defaultFirstTouchTargetHours
            if let p90 = group.p90, p90 > 2 * longest {
                items.append(
                    .init(
                        rule: "slow-rep",
                        text:
                            "Rep `\(group.key)`: 90 % of first touches within \(NumberFormat.hours(p90)) of business time (n = \(group.hours.count)), more than twice the \(SpeedBuckets.format(longest)) h target: review their queue and working hours."
                    ))
            }
        }
        for group in review.speed.byRep where group.repStatus == .left || group.repStatus == .notOnRoster {
            items.append(
                .init(
                    rule: "rep-left",
                    text:
                        "\(group.handoffs) hand-off(s) went to rep `\(group.key)`, who is \(group.repStatus == .left ? "marked as left" : "not on the roster"): remove them from routing and reassign their open leads."
                ))
        }
        if let committed = review.marketing.committed, review.marketing.delivered < committed {
            items.append(
                .init(
                    rule: "marketing-shortfall",
                    text:
                        "Marketing delivered \(review.marketing.delivered) qualified hand-offs against \(committed) committed (\(review.marketing.attainment.map { NumberFormat.percent($0) } ?? "—")): revisit campaign volume or the MQL threshold."
                ))
        }
        let missing = review.marketing.evidence.trials - review.marketing.evidence.successes
        if missing > 0 {
            items.append(
                .init(
                    rule: "missing-evidence",
                    text:
                        "\(missing) of \(review.marketing.evidence.trials) hand-offs carry no qualification evidence: the playbook rule that fired must record its values."
                ))
        }
        for pattern in review.dispositions.patterns where pattern.adjustedResidual > 0 {
            items.append(
                .init(
                    rule: "disposition-pattern",
                    text:
                        "\(pattern.grouping) `\(pattern.category)`: `\(pattern.code)` in \(pattern.inCategory.formatted) of its dispositions vs \(pattern.elsewhere.rate.map { NumberFormat.percent($0) } ?? "—") elsewhere (adjusted residual \(NumberFormat.fixed(pattern.adjustedResidual, 2)), beyond the Bonferroni cut-off \(NumberFormat.fixed(review.dispositions.groupings.first { $0.name == pattern.grouping }?.test.residualCutoff ?? 0, 2))): tighten targeting or qualification for it."
                ))
        }
        let sp = review.speedPays
        for band in sp.bands {
            guard let fastBucket = sp.buckets.first, let fast = sp.cell(band: band, bucket: fastBucket), let fastCI = fast.conversion.interval else {
                continue
            }
            for bucket in sp.buckets.dropFirst() {
                if let slow = sp.cell(band: band, bucket: bucket), let slowCI = slow.conversion.interval, fastCI.lower > slowCI.upper {
                    items.append(
                        .init(
                            rule: "speed-pays",
                            text:
                                "Score band \(band): first touch \(fastBucket) converts \(fast.conversion.formatted) vs \(slow.conversion.formatted) for \(bucket): speed pays here, so route this band to reps who can answer within the hour."
                        ))
                    break
                }
            }
        }
        for band in review.scoreBands.bands where band.highScoreLowConversion {
            items.append(
                .init(
                    rule: "score-band",
                    text:
                        "Score band \(band.band) (probability \(NumberFormat.fixed(band.minimumProbability, 3))–\(NumberFormat.fixed(band.maximumProbability, 3)), mean predicted \(NumberFormat.percent(band.meanPredicted))) converts \(band.conversion.formatted): high score, low conversion; check the model's inputs for these leads before the next recalibration."
                ))
        }
        let parked = review.parking.total
        if parked.parked > 0 {
            let queues = review.parking.queues.map { "`\($0.name)`" }.joined(separator: ", ")
            items.append(
                .init(
                    rule: "fallback-queue",
                    text:
                        "\(parked.parked) hand-off(s) landed in a fallback queue (\(queues)): nobody could take them (median \(NumberFormat.hours(parked.medianHours)), longest \(NumberFormat.hours(parked.maxHours)) parked, clock time; \(parked.stillParked) still parked, \(parked.laterAssigned) later assigned to a rep). A routing/capacity failure, kept out of the reps' SLA compliance; add a routing rule or rep capacity for them and work the queue now."
                ))
        }
        return items
    }
}
