import Foundation

/// How the simulated sales team reacts to hand-offs: the distributions the traffic simulator
/// draws from (all seeded). Defaults are the documented scenario of `baton generate --events`.
///
/// **First touch.** Each rep has a personality drawn once from the seed: a share of hand-offs
/// it ignores (uniform in ``ignoreShare``) and a share it touches late (uniform in
/// ``lateShare``); the rest it touches promptly. A prompt touch comes after a business delay of
/// `target × U(promptFraction)` (before the policy's deadline); a late one after
/// `target × (lateMinimumMultiple + Exp(mean lateExtraMeanMultiple))`, which breaches the SLA
/// (reminder, manager) and, past `target + reassign_after_hours`, is overtaken by the engine's
/// reassignment (the rep's touch then never happens). An ignored lead is reassigned by the engine
/// and the new holder draws again. Delays are business time in the holder's calendar.
///
/// **Speed pays (planted effect).** A lead the true model says would buy is won when its first
/// hand-off was touched within the SLA; when it was touched late (or only after a reassignment)
/// it is still won with probability ``lateWinKeepProbability`` and otherwise lost to a faster
/// competitor. So, lead mix being equal in expectation (lateness is drawn independently of the
/// lead), the won rate of late-touched leads is `lateWinKeepProbability` × that of prompt ones.
///
/// **Cadence and outcomes.** Further attempts follow every `U(attemptGapBusinessHours)` business
/// hours. Buyers: 2–4 attempts (the last connected), an opportunity 1–5 days later, `won` 10–60
/// days after that (amount 85–100 % of the expected deal). Non-buyers: an opportunity and `lost`
/// with probability ``lostDealShare``; otherwise a disposition drawn by fit weights (see
/// ``dispositionWeights(_:)``) after 1–4 attempts, or `unresponsive` after exactly the policy's
/// minimum attempts, none connected.
package struct SalesBehaviour: Sendable, Hashable {
    package var ignoreShare: ClosedRange<Double> = 0.02...0.08
    package var lateShare: ClosedRange<Double> = 0.12...0.32
    package var promptFraction: ClosedRange<Double> = 0.05...0.9
    package var lateMinimumMultiple = 1.1
    package var lateExtraMeanMultiple = 1.4
    package var attemptGapBusinessHours: ClosedRange<Double> = 2...14
    package var lateWinKeepProbability = 0.5
    package var lostDealShare = 0.15
    /// Share of events delivered a second time (same id and content, 1 minute to 6 hours later).
    package var duplicateShare = 0.02

    package init() {}

    /// Disposition codes and their weights for a non-buyer: `wrong_fit` 3 for poor-fit sources
    /// (else 0.5); `no_budget` 2.5 for small companies, 1 without budget authority (else 0.3);
    /// `bad_timing` 2 for long or unknown timelines (else 0.6); `competitor_chosen` 1.2 with a
    /// competitor in place (else 0.3); `unresponsive` 1.
    package static func dispositionWeights(_ fit: SimulatedLead.Fit) -> [(code: String, weight: Double)] {
        [
            ("wrong_fit", fit.poorFitSource ? 3.0 : 0.5),
            ("no_budget", fit.smallCompany ? 2.5 : (fit.budgetAuthority ? 0.3 : 1.0)),
            ("bad_timing", fit.longTimeline ? 2.0 : 0.6),
            ("competitor_chosen", fit.competitorInPlace ? 1.2 : 0.3),
            ("unresponsive", 1.0),
        ]
    }
}
