import Foundation
import HandoffPersistence

/// The choices behind the measures: SLA targets, commitments, bands, buckets and the
/// thresholds of the "what to change" rules. Defaults follow the issue (1 business hour for
/// high intent, 4 for standard).
package struct AnalyticsConfiguration: Sendable {
    /// First-touch target per SLA policy name, in business hours.
    package var firstTouchTargetHours: [String: Double] = ["high": 1, "standard": 4]
    /// Target used for a policy not in ``firstTouchTargetHours``.
    package var defaultFirstTouchTargetHours: Double = 4
    /// Reps whose attempts count as a touch on any rep's lead (the playbook's `sla.touches_from`);
    /// otherwise only the owner's attempts are touches, as the hand-off flow's SLA clock counts them.
    package var touchesFrom: Set<String> = []
    /// Qualified hand-offs (MQL or SQL) marketing committed to deliver per week; nil = no commitment stated.
    package var committedQualifiedPerWeek: Int?
    /// Score bands on the production probability: upper edges of all but the last band, increasing in (0, 1).
    package var scoreBandEdges: [Double] = [0.2, 0.4, 0.6, 0.8]
    /// Speed-to-contact buckets: upper edges in business hours (a last open bucket follows, then "never touched").
    package var speedBucketEdgesHours: [Double] = [1, 4, 24]
    /// Lead fields (string values in the lead's JSON) used as fit attributes for disposition patterns.
    package var fitAttributes: [String] = []
    /// Categories with fewer leads than this are pooled into "(other)" before a test (minimum-count rule).
    package var minimumCategoryCount: Int = 5
    /// Days after the hand-off after which a lead without an outcome counts as matured (not converted).
    package var maturityDays: Int = 90
    /// Below this many matured, scored hand-offs "does speed pay?" gives no verdict.
    package var speedPaysMinimumMatured: Int = 50
    /// Below this many matured hand-offs in either group (first touch within the first speed bucket,
    /// or later / never) "does speed pay?" gives no verdict.
    package var speedPaysMinimumPerGroup: Int = 10
    /// Below this many won, or this many lost, leads with captured conversations the review shows
    /// no tracker frequencies by outcome (too few to compare).
    package var trackerMinimumPerOutcome: Int = 10
    /// Sources whose leads are not marketing-sourced (excluded from attributed revenue).
    package var salesSourcedSources: Set<String> = []
    /// Compliance a policy should reach; a policy whose Wilson upper bound is below it triggers a change item.
    package var complianceGoal: Double = 0.9
    /// Significance level for the disposition tests (before Bonferroni).
    package var alpha: Double = 0.05
    /// Weeks shown in the SLA compliance trend.
    package var trendWeeks: Int = 8
    /// Earlier monthly cohorts shown in the funnel after the period's own cohort.
    package var earlierCohortMonths: Int = 6
    /// Business-time calendar per rep (nil rep: fallback queue / unknown); default
    /// ``defaultCalendar`` (09:00–17:00 Monday–Friday in the rep's time zone, no holidays);
    /// ``use(_:name:)`` sets the reps' calendars from a playbook.
    package var calendar: @Sendable (RepRecord?) -> any BusinessTimeCalendar = AnalyticsConfiguration.defaultCalendar
    /// How ``calendar`` measures business time, as the report states it.
    package var calendarNote = "09:00–17:00 Monday to Friday in each rep's time zone, no holidays; the default when no playbook is given"

    package init() {}

    /// The first-touch target for `policy`, in business hours.
    package func targetHours(policy: String) -> Double { firstTouchTargetHours[policy] ?? defaultFirstTouchTargetHours }

    /// Label of the score band holding `probability` ("0.20–0.40").
    package func scoreBand(_ probability: Double) -> String {
        let edges = [0] + scoreBandEdges + [1]
        let index = scoreBandEdges.firstIndex { probability < $0 } ?? scoreBandEdges.count
        return String(format: "%.2f–%.2f", edges[index], edges[index + 1])
    }

    /// All score band labels, lowest first.
    package var scoreBandLabels: [String] {
        let edges = [0] + scoreBandEdges + [1]
        return (0..<(edges.count - 1)).map { String(format: "%.2f–%.2f", edges[$0], edges[$0 + 1]) }
    }

    /// Bucket label for a speed in business hours, or "never touched" for nil.
    package func speedBucket(hours: Double?) -> String {
        guard let hours else { return SpeedBuckets.never }
        if let index = speedBucketEdgesHours.firstIndex(where: { hours <= $0 }) {
            let low = index == 0 ? 0 : speedBucketEdgesHours[index - 1]
            return index == 0
                ? "≤ \(SpeedBuckets.format(speedBucketEdgesHours[0])) h"
                : "\(SpeedBuckets.format(low))–\(SpeedBuckets.format(speedBucketEdgesHours[index])) h"
        }
        return "> \(SpeedBuckets.format(speedBucketEdgesHours.last ?? 0)) h"
    }

    /// All speed bucket labels, fastest first, "never touched" last.
    package var speedBucketLabels: [String] {
        speedBucketEdgesHours.map { speedBucket(hours: $0) } + [speedBucket(hours: (speedBucketEdgesHours.last ?? 0) + 1), SpeedBuckets.never]
    }
}

enum SpeedBuckets {
    static let never = "never touched"
    static func format(_ hours: Double) -> String {
        hours == hours.rounded() ? String(Int(hours)) : String(format: "%g", hours)
    }
}
