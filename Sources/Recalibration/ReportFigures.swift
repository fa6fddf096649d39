import LabNumerics
import LabStatistics
import ReportRendering

/// The report's SVG figures, by file name, drawn with SVGCharts. A figure that cannot be drawn
/// is left out and its reason listed in ``Figures/problems`` (the report prints them).
enum ReportFigures {
    struct Figures {
        var files: [(name: String, svg: String)] = []
        var problems: [String] = []
    }

    static func render(_ r: QuarterlyRecalibration.Result) -> Figures {
        var figures = Figures()
        func add(_ name: String, _ draw: () throws(ChartError) -> RenderedChart) {
            do { figures.files.append((name, try draw().svg)) } catch { figures.problems.append("\(name): \(error.description)") }
        }
        let models = [r.champion, r.challenger].compactMap { $0 }
        let quarter = "test quarter \(r.testQuarter), \(r.testRows) leads"

        add("reliability.svg") { () throws(ChartError) in
            try LineChart(
                title: "Reliability: predicted vs observed conversion", subtitle: quarter,
                xAxis: .probability("Mean predicted conversion (bin)"), yAxis: .probability("Observed conversion"),
                series: models.map { m in
                    LineSeries(
                        name: m.role,
                        points: m.metrics.reliability.bins.compactMap { bin in
                            guard let p = bin.meanPredicted, let o = bin.observedRate else { return nil }
                            let ci = ConfidenceInterval.wilson(successes: bin.positives, trials: bin.count)
                            return ChartPoint(x: p, y: o, lower: ci.lower, upper: ci.upper)
                        })
                },
                showsIdentityDiagonal: true, footnote: "10 uniform probability bins; 95 % Wilson intervals; dashed: perfect calibration",
                identifier: "reliability"
            ).render()
        }
        add("score-distribution.svg") { () throws(ChartError) in
            let points = r.challenger.points
            return try Histogram(
                title: "Challenger score by outcome", subtitle: quarter,
                series: [
                    HistogramSeries(name: "won", values: zip(points, r.outcomes).filter { $0.1 == 1 }.map(\.0)),
                    HistogramSeries(name: "lost", values: zip(points, r.outcomes).filter { $0.1 == 0 }.map(\.0)),
                ],
                bins: .automatic(target: 30), scale: .proportion, xAxis: ChartAxis(label: "Score (points)"),
                footnote: "share of each outcome's leads per bin", identifier: "scores"
            ).render()
        }
        add("cumulative-gains.svg") { () throws(ChartError) in
            try LineChart(
                title: "Cumulative gains: share of wins in the top-scored leads", subtitle: quarter,
                xAxis: .probability("Share of leads, best scores first"), yAxis: .probability("Share of won leads captured"),
                series: models.map { m in
                    LineSeries(
                        name: m.role,
                        points: [ChartPoint(x: 0, y: 0)]
                            + m.metrics.bands.bands.map {
                                ChartPoint(x: $0.cumulativeShare, y: $0.cumulativeGain)
                            })
                },
                showsIdentityDiagonal: true, footnote: "10 score bands; dashed: random order", identifier: "gains"
            ).render()
        }
        add("lift.svg") { () throws(ChartError) in
            try BarChart(
                title: "Lift by score band", subtitle: quarter,
                categories: (1...10).map { "band \($0)" },
                series: models.map { m in
                    BarSeries(name: m.role, values: m.metrics.bands.bands.map { BarValue($0.lift) })
                },
                valueAxis: ChartAxis(label: "Conversion / overall conversion", lower: 0),
                categoryAxisLabel: "Score band (1 = highest)", referenceLines: [ReferenceLine(value: 1, label: "overall")],
                identifier: "lift"
            ).render()
        }
        if !r.drift.isEmpty {
            add("psi.svg") { () throws(ChartError) in
                let sorted = r.drift.sorted { $0.stability.index > $1.stability.index }
                let sinceChampion = Dictionary(r.championDrift.map { ($0.variable, $0.stability.index) }, uniquingKeysWith: { a, _ in a })
                var series = [BarSeries(name: "training window → test", values: sorted.map { BarValue($0.stability.index) })]
                if !sinceChampion.isEmpty {
                    series.append(BarSeries(name: "champion's window → test", values: sorted.map { BarValue(sinceChampion[$0.variable] ?? .nan) }))
                }
                let top = max(0.3, (r.drift + r.championDrift).map(\.stability.index).max() ?? 0) * 1.05
                return try BarChart(
                    title: "Population stability index by variable", subtitle: "test quarter \(r.testQuarter); 0.1 watch, 0.25 shifted",
                    categories: sorted.map(\.variable), series: series,
                    orientation: .horizontal, valueAxis: ChartAxis(label: "PSI", lower: 0, upper: top),
                    referenceLines: [ReferenceLine(value: 0.1, label: "watch"), ReferenceLine(value: 0.25, label: "shifted")],
                    footnote: sinceChampion.isEmpty ? nil : "the challenger's score has no champion-window bar: the challenger did not exist then",
                    canvas: ChartCanvas(width: 720, height: Double(120 + 16 * series.count * sorted.count)), identifier: "psi"
                ).render()
            }
        }
        let changes = r.weightChanges.filter { $0.difference != nil && $0.term != "(intercept)" }
        if !changes.isEmpty {
            add("weight-changes.svg") { () throws(ChartError) in
                let shown = Array(changes.sorted { abs($0.z ?? 0) > abs($1.z ?? 0) }.prefix(20))
                func bar(_ e: TermEstimate?) -> BarValue {
                    guard let e else { return BarValue(.nan) }
                    guard let ci = e.interval else { return BarValue(e.estimate) }
                    return BarValue(e.estimate, lower: ci.lower, upper: ci.upper)
                }
                return try BarChart(
                    title: "Weight changes, champion → challenger", subtitle: "the \(shown.count) largest by |z| of \(changes.count) shared terms",
                    categories: shown.map(\.term),
                    series: [
                        BarSeries(name: "champion", values: shown.map { bar($0.champion) }),
                        BarSeries(name: "challenger", values: shown.map { bar($0.challenger) }),
                    ],
                    orientation: .horizontal, valueAxis: ChartAxis(label: "β (log-odds per unit) with 95 % CI"),
                    referenceLines: [ReferenceLine(value: 0, label: "no effect")],
                    canvas: ChartCanvas(width: 760, height: Double(140 + 34 * shown.count)), identifier: "weights"
                ).render()
            }
        }
        let curve = r.thresholdCurve
        let centre = r.chosenThreshold?.threshold
        let marked = centre.map { "chosen MQL threshold \(NumberFormat.fixed($0, 0)) points" } ?? "no threshold chosen"
        add("threshold-curve.svg") { () throws(ChartError) in
            try LineChart(
                title: "Precision and recall by MQL threshold (challenger)", subtitle: "\(quarter); \(marked)",
                xAxis: ChartAxis(label: "MQL threshold (points)"), yAxis: .probability("Share"),
                series: [
                    LineSeries(
                        name: "precision", points: curve.points.filter { $0.leads > 0 }.map { ChartPoint(x: $0.threshold, y: $0.precision) },
                        style: .line),
                    LineSeries(name: "recall", points: curve.points.map { ChartPoint(x: $0.threshold, y: $0.recall) }, style: .line),
                ]
                    + (r.chosenThreshold.map { p in
                        [
                            LineSeries(
                                name: "chosen", points: [ChartPoint(x: p.threshold, y: p.precision), ChartPoint(x: p.threshold, y: p.recall)],
                                style: .markers)
                        ]
                    } ?? []),
                identifier: "threshold"
            ).render()
        }
        add("threshold-volume.svg") { () throws(ChartError) in
            try LineChart(
                title: "Weekly MQL volume and conversions by threshold (challenger)", subtitle: "\(quarter); \(marked)",
                xAxis: ChartAxis(label: "MQL threshold (points)"), yAxis: ChartAxis(label: "Leads per week", lower: 0),
                series: [
                    LineSeries(name: "MQLs per week", points: curve.points.map { ChartPoint(x: $0.threshold, y: $0.leadsPerWeek) }, style: .line),
                    LineSeries(
                        name: "expected conversions per week",
                        points: curve.points.map { ChartPoint(x: $0.threshold, y: $0.expectedConversions / curve.weeks) }, style: .line),
                ]
                    + (r.options.capacityPerWeek.map { c in
                        [
                            LineSeries(
                                name: "capacity",
                                points: [
                                    ChartPoint(x: curve.points.first?.threshold ?? 0, y: c), ChartPoint(x: curve.points.last?.threshold ?? 0, y: c),
                                ], style: .line)
                        ]
                    } ?? []),
                footnote:
                    "volumes: test-quarter counts / \(NumberFormat.fixed(curve.weeks, 2)) weeks\(r.testCoverage.isPartial ? " (" + r.testCoverage.statement + ")" : "")",
                identifier: "volume"
            ).render()
        }
        return figures
    }
}
