import Foundation
import ReportRendering

/// The review's charts as SVG files; a chart without data is left out with a sentence saying why.
enum ReviewCharts {
    struct Chart {
        let file: String
        let svg: String?
        /// Why there is no chart (no data), or notes about skipped values.
        let note: String?
    }

    static func all(_ r: ReviewResults, configuration: AnalyticsConfiguration) -> [Chart] {
        [trend(r, configuration), speed(r), funnel(r), dispositions(r), speedByBand(r)]
    }

    private static func draw(_ file: String, _ render: () throws(ChartError) -> RenderedChart) -> Chart {
        do {
            let chart = try render()
            return Chart(file: file, svg: chart.svg, note: chart.notes.isEmpty ? nil : chart.notes.joined(separator: " "))
        } catch {
            return Chart(file: file, svg: nil, note: "No chart: \(error.description)")
        }
    }

    static func trend(_ r: ReviewResults, _ configuration: AnalyticsConfiguration) -> Chart {
        guard r.trend.contains(where: { $0.compliance.trials > 0 }) else {
            return Chart(
                file: "sla-trend.svg", svg: nil, note: "No chart: no hand-off could be judged against its SLA in the last \(r.trend.count) weeks.")
        }
        let values = r.trend.map { week -> BarValue in
            guard let rate = week.compliance.rate, let ci = week.compliance.interval else { return BarValue(.nan) }
            return BarValue(rate, lower: ci.lower, upper: ci.upper)
        }
        return draw("sla-trend.svg") { () throws(ChartError) in
            try BarChart(
                title: "First-touch SLA compliance by ISO week", subtitle: "leads contacted within SLA, parked leads included; 95 % Wilson intervals",
                categories: r.trend.map(\.week), series: [BarSeries(name: "compliance", values: values)],
                valueAxis: .probability("Share of hand-offs touched within target"), categoryAxisLabel: "week",
                referenceLines: [ReferenceLine(value: configuration.complianceGoal, label: "goal")],
                footnote: "Weeks without judged hand-offs have no bar.", identifier: "sla-trend"
            ).render()
        }
    }

    static func speed(_ r: ReviewResults) -> Chart {
        let series = r.speed.byPriority.filter { !$0.hours.isEmpty }.map { HistogramSeries(name: $0.key, values: $0.hours) }
        guard !series.isEmpty else { return Chart(file: "speed.svg", svg: nil, note: "No chart: no hand-off of the period was touched.") }
        return draw("speed.svg") { () throws(ChartError) in
            try Histogram(
                title: "Speed to contact", subtitle: "business hours from hand-off to first touch, by priority",
                series: series, bins: .automatic(target: 12), xAxis: ChartAxis(label: "Business hours"),
                yAxisLabel: "Hand-offs", identifier: "speed"
            ).render()
        }
    }

    static func funnel(_ r: ReviewResults) -> Chart {
        guard let cohort = r.funnel.first, (cohort.stages.first?.reached ?? 0) > 0 else {
            return Chart(file: "funnel.svg", svg: nil, note: "No chart: no lead was created in the period.")
        }
        return draw("funnel.svg") { () throws(ChartError) in
            try BarChart(
                title: "Funnel of leads created in \(cohort.cohort)", categories: cohort.stages.map(\.stage.rawValue),
                series: [BarSeries(name: "leads", values: cohort.stages.map { Double($0.reached) })],
                orientation: .horizontal, valueAxis: ChartAxis(label: "Leads that reached the stage"), identifier: "funnel"
            ).render()
        }
    }

    static func dispositions(_ r: ReviewResults) -> Chart {
        guard let grouping = r.dispositions.groupings.first(where: { $0.name == "source" }), r.dispositions.dispositioned > 0 else {
            return Chart(file: "dispositions.svg", svg: nil, note: "No chart: no hand-off of the period has a disposition.")
        }
        let table = grouping.test.counts
        let segments = grouping.codes.enumerated().map { j, code in StackSegment(name: code, values: table.map { Double($0[j]) }) }
        return draw("dispositions.svg") { () throws(ChartError) in
            try StackedBarChart(
                title: "Dispositions by source", subtitle: "share of each source's dispositioned hand-offs",
                categories: grouping.categories, segments: segments, showsShares: true,
                valueAxis: .probability("Share"), categoryAxisLabel: "source",
                footnote: "Sources and codes with fewer than the minimum count are pooled as (other).",
                identifier: "dispositions"
            ).render()
        }
    }

    static func speedByBand(_ r: ReviewResults) -> Chart {
        let sp = r.speedPays
        guard sp.matured > 0 else { return Chart(file: "speed-by-band.svg", svg: nil, note: "No chart: no matured, scored hand-off yet.") }
        let series = sp.buckets.map { bucket in
            BarSeries(
                name: bucket,
                values: sp.bands.map { band -> BarValue in
                    guard let c = sp.cell(band: band, bucket: bucket)?.conversion, let rate = c.rate, let ci = c.interval else {
                        return BarValue(.nan)
                    }
                    return BarValue(rate, lower: ci.lower, upper: ci.upper)
                })
        }
        return draw("speed-by-band.svg") { () throws(ChartError) in
            try BarChart(
                title: "Conversion by speed to contact within score band", subtitle: "matured hand-offs; 95 % Wilson intervals",
                categories: sp.bands, series: series, valueAxis: .probability("Won"), categoryAxisLabel: "score band (probability)",
                footnote: "Empty band × speed cells have no bar.", identifier: "speed-by-band"
            ).render()
        }
    }
}
