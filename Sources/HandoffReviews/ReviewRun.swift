import Foundation
import HandoffPersistence

/// One review from store to folder: load, compute, render, write. The CLI is a thin shell over this.
package enum ReviewRun {
    /// Which review.
    package enum Kind: Sendable {
        case weekly, monthly
        /// Any run of whole days (`--from`/`--to`), e.g. a quarter, long enough for the disposition tests.
        case period

        var title: String {
            switch self {
            case .weekly: "Weekly SLA review"
            case .monthly: "Monthly pipeline review"
            case .period: "Pipeline review"
            }
        }
    }

    /// Runs the review of `period` against `store` and writes `out`/report.md and its charts.
    /// - Returns: the report (for callers that want the items or the text).
    @discardableResult
    package static func run(
        kind: Kind, store: any HandoffStore, period: ReviewPeriod, asOf: Date, out: URL,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration(),
        lookbackDays: Int = 365
    ) async throws(AnalyticsError) -> ReviewReport {
        let data = try await ReviewLoader.load(
            store: store, period: period, lookbackDays: lookbackDays, trendWeeks: configuration.trendWeeks,
            touchesFrom: configuration.touchesFrom)
        let results = ReviewResults(data: data, period: period, asOf: asOf, configuration: configuration)
        let report = ReviewReport(results: results, configuration: configuration, title: kind.title)
        try report.write(to: out)
        return report
    }
}
