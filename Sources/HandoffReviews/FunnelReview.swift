import Foundation
import HandoffPersistence
import ReportRendering

/// The pipeline over a whole store, for data that has a funnel but no hand-off operations
/// (the Olist import): every monthly cohort, the sales cycle, won rate by source with a test
/// of independence, attributed revenue, and what the speed measures can say.
package struct FunnelReview: Sendable {
    package let markdown: String
    package let charts: [String: String]
    package let cohorts: [FunnelCohort]
    /// Days from MQL to won over all won leads: median and p90 (type 7).
    package let cycleMedianDays: Double?
    package let cycleP90Days: Double?
    /// Won leads out of all leads, per source (largest first).
    package let wonBySource: [(source: String, won: Proportion)]
    package let sourceTest: ContingencyTest

    package init(
        journeys: [LeadJourney], reps: [String: RepRecord], timeZone: TimeZone, asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) {
        let cohorts = Funnel.cohorts(journeys, timeZone: timeZone, asOf: asOf, configuration: configuration)
        self.cohorts = cohorts
        let cycle = journeys.compactMap { j -> Double? in
            guard let m = j.mqlAt, let w = j.wonAt, w <= asOf else { return nil }
            return w.timeIntervalSince(m) / 86_400
        }
        cycleMedianDays = Quantile.of(cycle, 0.5)
        cycleP90Days = Quantile.of(cycle, 0.9)
        let minimum = configuration.minimumCategoryCount
        let bySource = Dictionary(grouping: journeys) { VolumeDimension.source.key($0, configuration) }
        let won = bySource.map { (source: $0.key, won: Proportion($0.value.filter { $0.isWon(by: asOf) }.count, of: $0.value.count)) }
            .sorted { $0.won.trials != $1.won.trials ? $0.won.trials > $1.won.trials : $0.source < $1.source }
        wonBySource = won
        var pooled: [String: (Int, Int)] = [:]
        for row in won {
            let key = row.won.trials >= minimum ? row.source : "(other)"
            let old = pooled[key] ?? (0, 0)
            pooled[key] = (old.0 + row.won.successes, old.1 + row.won.trials - row.won.successes)
        }
        let keys = pooled.keys.sorted()
        let sourceTest = ContingencyTest(counts: keys.map { [pooled[$0]?.0 ?? 0, pooled[$0]?.1 ?? 0] }, alpha: configuration.alpha)
        self.sourceTest = sourceTest
        let touched = journeys.filter { $0.firstTouchAt != nil }.count

        var md = MarkdownWriter()
        md.line("# Pipeline review: all cohorts")
        md.line()
        md.line(
            "\(journeys.count) leads in \(cohorts.count) monthly cohorts (months in \(timeZone.identifier)); outcomes up to \(ISO8601DateFormatter().string(from: asOf))."
        )
        md.line()
        md.line("## Funnel by cohort month")
        md.line()
        md.line(
            "Reached counts a stage when it or a later stage is recorded; stages without their own timestamps are counted as passed (see `recorded`)."
        )
        md.line()
        let stages = FunnelStage.allCases
        md.table(
            ["cohort"] + stages.map { "\($0.rawValue) reached (recorded)" } + [
                "lead → won (95 % CI)", "MQL → won median days", "attributed revenue",
            ],
            cohorts.map { c in
                [c.cohort] + c.stages.map { "\($0.reached) (\($0.recorded))" }
                    + [
                        Proportion(c.stages.last?.reached ?? 0, of: c.stages.first?.reached ?? 0).formatted, NumberFormat.days(c.medianDaysMQLToWon),
                        c.attributedRevenue.sorted { $0.key < $1.key }.map { "\($0.key) \(MoneyText.major($0.value))" }.joined(separator: ", "),
                    ]
            })
        let total = Funnel.cohort(journeys, label: "all", asOf: asOf, configuration: configuration)
        md.line(
            "All cohorts: \(total.stages.map { "\($0.stage.rawValue) \($0.reached)" }.joined(separator: " → ")); lead → won \(Proportion(total.stages.last?.reached ?? 0, of: total.stages.first?.reached ?? 0).formatted). Revenue attributed: \(total.attributedRevenue.sorted { $0.key < $1.key }.map { "\($0.key) \(MoneyText.major($0.value))" }.joined(separator: ", ")) from \(total.attributedWins) won deals."
        )
        md.line()
        md.line("## Speed")
        md.line()
        md.line(
            "- Sales cycle, MQL → won: median \(NumberFormat.days(cycleMedianDays)), p90 \(NumberFormat.days(cycleP90Days)) over \(cycle.count) won leads\(cycle.contains { $0 < 0 } ? " (\(cycle.filter { $0 < 0 }.count) with a won date before the MQL date, kept as recorded)" : "")."
        )
        if touched == 0 {
            md.line("- Speed to contact: **cannot be measured** — no contact attempt is stored, so there is no first touch to time.")
        } else {
            let hours = journeys.compactMap { SpeedToContact.hours($0, reps: reps, asOf: asOf, configuration: configuration) }
            md.line(
                "- Speed to contact: median \(NumberFormat.hours(Quantile.of(hours, 0.5))), p90 \(NumberFormat.hours(Quantile.of(hours, 0.9))) business hours over \(hours.count) touched leads."
            )
        }
        md.line()
        md.line("## Won rate by source")
        md.line()
        md.table(["source", "won (95 % Wilson CI)"], won.map { [$0.source, $0.won.formatted] })
        if let x2 = sourceTest.statistic, let p = sourceTest.pValue {
            md.line(
                String(
                    format:
                        "Chi-square test of independence, won × source (sources with fewer than %d leads pooled as (other)): X² = %.2f on %d df, p = %.3g.",
                    minimum, x2, sourceTest.degreesOfFreedom, p))
            let flagged = keys.enumerated().filter { abs(sourceTest.adjustedResiduals[$0.offset][0]) > sourceTest.residualCutoff }
            md.line(
                flagged.isEmpty
                    ? "No single source differs beyond the Bonferroni cut-off."
                    : "Sources beyond the Bonferroni cut-off |r| > \(NumberFormat.fixed(sourceTest.residualCutoff, 2)): "
                        + flagged.map { "\($0.element) (r = \(NumberFormat.fixed(sourceTest.adjustedResiduals[$0.offset][0], 2)))" }.joined(
                            separator: ", ") + ".")
        } else {
            md.line("Won × source was not tested: \(sourceTest.skipReason ?? "").")
        }
        md.line()
        var charts: [String: String] = [:]
        if let chart = try? BarChart(
            title: "Won rate by MQL cohort month", subtitle: "95 % Wilson intervals", categories: cohorts.map(\.cohort),
            series: [
                BarSeries(
                    name: "won",
                    values: cohorts.map { c -> BarValue in
                        let p = Proportion(c.stages.last?.reached ?? 0, of: c.stages.first?.reached ?? 0)
                        guard let r = p.rate, let ci = p.interval else { return BarValue(.nan) }
                        return BarValue(r, lower: ci.lower, upper: ci.upper)
                    })
            ], valueAxis: .probability("Won"), categoryAxisLabel: "cohort", identifier: "won-by-cohort"
        ).render() {
            charts["won-by-cohort.svg"] = chart.svg
            md.line("![won-by-cohort.svg](won-by-cohort.svg)")
            md.line()
        }
        if !cycle.isEmpty,
            let chart = try? Histogram(
                title: "Days from MQL to won", series: [HistogramSeries(name: "won deals", values: cycle)],
                bins: .automatic(target: 20), xAxis: ChartAxis(label: "days"), yAxisLabel: "deals",
                identifier: "cycle"
            ).render()
        {
            charts["cycle.svg"] = chart.svg
            md.line("![cycle.svg](cycle.svg)")
            md.line()
        }
        if let footnote = Proportion.smallSampleFootnote(for: md.text) {
            md.line()
            md.line(footnote)
        }
        markdown = md.text
        self.charts = charts
    }

    /// Writes report.md and the charts into `directory` atomically.
    package func write(to directory: URL) throws(AnalyticsError) {
        try ReviewReport.write(markdown: markdown, charts: charts, to: directory)
    }

    /// Loads every lead of the store (created before `asOf`) and builds the review.
    package static func load(
        store: any HandoffStore, timeZone: TimeZone, asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) async throws(AnalyticsError) -> FunnelReview {
        do {
            let batch = try await store.cohort(createdIn: ReportPeriod(start: Date(timeIntervalSince1970: 0), end: asOf))
            let reps = try await store.reps()
            return FunnelReview(
                journeys: LeadJourney.build(from: batch, touchesFrom: configuration.touchesFrom),
                reps: Dictionary(reps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                timeZone: timeZone, asOf: asOf, configuration: configuration)
        } catch {
            throw .store(error)
        }
    }
}
