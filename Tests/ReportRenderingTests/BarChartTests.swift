import Testing

@testable import ReportRendering

@Suite struct BarChartTests {
    private let psi = BarChart(
        title: "PSI", categories: ["score", "lead_source", "pages_per_visit"],
        series: [BarSeries(name: "PSI", values: [0.05, 0.125, 0.3])],
        orientation: .horizontal, valueAxis: ChartAxis(label: "PSI", lower: 0, upper: 0.3),
        referenceLines: [ReferenceLine(value: 0.1, label: "0.1 watch"), ReferenceLine(value: 0.25, label: "0.25 shifted")])

    /// Issue 21 item 7: the dashboard showed "7 non-finite values not plotted" to sales managers.
    @Test func aMissingValueNoteInTheReadersWordsReplacesTheGenericCount() throws {
        var chart = BarChart(
            title: "weeks", categories: ["W1", "W2", "W3"], series: [BarSeries(name: "rate", values: [0.5, .nan, 0.7])],
            valueAxis: .probability("rate"))
        #expect(try chart.render().svg.contains("1 non-finite value not plotted."))
        chart.skippedValuesNote = "Weeks without a judged hand-off are left blank."
        let svg = try chart.render().svg
        #expect(svg.contains("Weeks without a judged hand-off are left blank.") && !svg.contains("non-finite"))
        chart.series = [BarSeries(name: "rate", values: [0.5, 0.6, 0.7])]
        #expect(!(try chart.render().svg.contains("left blank")), "no note when nothing was left out")
    }

    @Test func horizontalBarAtTheAxisMaxFillsThePlotWidth() throws {
        let parsed = expectWellFormedSVG(try psi.render().svg)
        let plot = try #require(plotRect(parsed))
        let bars = elements(in: "PSI", of: parsed).filter { $0.name == "rect" }
        #expect(bars.count == 3)
        let widths = bars.compactMap { $0.number("width") }
        #expect(abs(widths[2] - plot.width) <= 0.011)
        #expect(abs(widths[0] - plot.width / 6) <= 0.011)
        #expect(bars.allSatisfy { abs(($0.number("x") ?? -1) - plot.x) <= 0.011 })
        // Categories run top to bottom in the given order.
        let ys = bars.compactMap { $0.number("y") }
        #expect(ys == ys.sorted())
    }

    @Test func referenceLinesAreDrawnWithTheirLabelsAtTheirValues() throws {
        let parsed = expectWellFormedSVG(try psi.render().svg)
        let plot = try #require(plotRect(parsed))
        let group = parsed.filter { $0.ancestorAttributes.contains { $0["class"] == "reference-lines" } }
        #expect(group.filter { $0.name == "text" }.map(\.text) == ["0.1 watch", "0.25 shifted"])
        let xs = group.filter { $0.name == "line" }.compactMap { $0.number("x1") }
        #expect(xs.count == 2)
        #expect(abs(xs[0] - (plot.x + plot.width / 3)) <= 0.011)
        #expect(abs(xs[1] - (plot.x + plot.width * 0.25 / 0.3)) <= 0.011)
    }

    @Test func groupedVerticalBarsWithErrorBarsAndNegativeValues() throws {
        let chart = BarChart(
            title: "Weight change", categories: ["Organic", "Paid search", "Referral"],
            series: [
                BarSeries(name: "Champion", values: [BarValue(0.5, lower: 0.25, upper: 0.75), BarValue(-1), BarValue(2)]),
                BarSeries(name: "Challenger", values: [BarValue(1, lower: 0.5, upper: 1.5), BarValue(-0.5), BarValue(.nan)]),
            ],
            valueAxis: ChartAxis(label: "Log-odds"))
        let rendered = try chart.render()
        let parsed = expectWellFormedSVG(rendered.svg)
        let plot = try #require(plotRect(parsed))
        #expect(rendered.skippedValueCount == 1)
        // Domain -1...2 (step 0.5): zero sits one third up from the bottom.
        let zero = plot.bottom - plot.height / 3
        let champion = elements(in: "Champion", of: parsed).filter { $0.name == "rect" }
        let challenger = elements(in: "Challenger", of: parsed).filter { $0.name == "rect" }
        #expect(champion.count == 3 && challenger.count == 2)
        // The negative bar hangs from zero down to the plot bottom.
        let negative = champion[1]
        #expect(abs((negative.number("y") ?? 0) - zero) <= 0.011)
        #expect(abs((negative.number("y") ?? 0) + (negative.number("height") ?? 0) - plot.bottom) <= 0.011)
        // The tallest bar reaches the top.
        #expect(abs((champion[2].number("y") ?? 0) - plot.y) <= 0.011)
        // Side by side: the challenger's bar sits right of the champion's in the same category.
        #expect((challenger[0].number("x") ?? 0) > (champion[0].number("x") ?? 0))
        #expect(parsed.contains { $0.name == "text" && $0.text == "Challenger" })
        #expect(elements(in: "Champion", of: parsed).filter { $0.name == "path" }.count == 1)
        #expect(parsed.contains { $0.name == "title" && $0.text == "Organic, Champion: 0.5" })
    }

    @Test func longCategoryNamesAreCutWithTheFullNameKept() throws {
        let long = String(repeating: "Very long lead source name ", count: 6)
        let chart = BarChart(
            title: "", categories: [long, "b"], series: [BarSeries(name: "n", values: [1, 2])],
            orientation: .horizontal, valueAxis: ChartAxis(label: "Leads"))
        let parsed = expectWellFormedSVG(try chart.render().svg)
        let label = try #require(
            parsed.first { $0.name == "text" && $0.ancestorAttributes.contains { $0["class"] == "categories" } && $0.text.hasSuffix("…") })
        #expect(label.text.count < long.count)
        #expect(parsed.contains { $0.name == "title" && $0.text == long })
    }

    @Test func badInputThrows() {
        #expect(throws: ChartError.lengthMismatch(series: "PSI", expected: 2, actual: 3)) {
            try BarChart(title: "", categories: ["a", "b"], series: [BarSeries(name: "PSI", values: [1, 2, 3])], valueAxis: ChartAxis(label: ""))
                .render()
        }
        #expect(throws: ChartError.noData(chart: "bar chart")) {
            try BarChart(title: "", categories: [], series: [], valueAxis: ChartAxis(label: "")).render()
        }
        #expect(throws: ChartError.noFiniteValues(chart: "bar chart")) {
            try BarChart(title: "", categories: ["a"], series: [BarSeries(name: "s", values: [.infinity])], valueAxis: ChartAxis(label: "")).render()
        }
        #expect(throws: ChartError.invalidAxisRange(axis: "value", lower: .infinity, upper: 1)) {
            try BarChart(
                title: "", categories: ["a"], series: [BarSeries(name: "s", values: [1])], valueAxis: ChartAxis(label: "", lower: .infinity, upper: 1)
            ).render()
        }
    }

    @Test func deterministic() throws {
        #expect(try psi.render() == psi.render())
    }
}

@Suite struct HistogramTests {
    @Test func binsAreHalfOpenExceptTheLast() throws {
        // By hand over edges 0, 0.5, 1: [0, 0.5) holds 0, 0.1, 0.15, 0.4999; [0.5, 1] holds 0.5, 1.0;
        // 1.5 and -0.1 are outside; NaN is non-finite.
        let chart = Histogram(
            title: "", series: [HistogramSeries(name: "s", values: [0, 0.1, 0.15, 0.4999, 0.5, 1.0, 1.5, -0.1, .nan])],
            bins: .edges([0, 0.5, 1]), xAxis: ChartAxis(label: "score"))
        let binned = try chart.binnedSeries()
        #expect(binned == [BinnedSeries(name: "s", counts: [4, 2], outOfRange: 2, nonFinite: 1)])
        let rendered = try chart.render()
        _ = expectWellFormedSVG(rendered.svg)
        #expect(rendered.skippedValueCount == 1)
        #expect(rendered.notes == ["1 non-finite value not plotted.", "2 values outside the bins not plotted."])
    }

    @Test func automaticBinsShareNiceEdgesCoveringEverySeries() throws {
        var random = LCG(seed: 7)
        let won = (0..<400).map { _ in 0.3 + 0.6 * random.unit() }
        let lost = (0..<900).map { _ in 0.02 + 0.5 * random.unit() }
        let chart = Histogram(
            title: "Score by outcome", series: [HistogramSeries(name: "Won", values: won), HistogramSeries(name: "Lost", values: lost)],
            bins: .automatic(target: 10), scale: .proportion, xAxis: ChartAxis(label: "Predicted"))
        let edges = try chart.binEdges()
        let all = won + lost
        #expect(edges.first! <= all.min()! && edges.last! >= all.max()!)
        let step = edges[1] - edges[0]
        #expect(zip(edges, edges.dropFirst()).allSatisfy { abs($1 - $0 - step) < 1e-12 })
        let binned = try chart.binnedSeries()
        #expect(binned.map { $0.counts.reduce(0, +) } == [400, 900])
        // Brute-force count of the first bin against the binary search.
        #expect(binned[1].counts[0] == lost.filter { $0 >= edges[0] && $0 < edges[1] }.count)
        let parsed = expectWellFormedSVG(try chart.render().svg)
        #expect(elements(in: "Won", of: parsed).isEmpty == false || parsed.contains { $0.attributes["data-series"] == "Won" })
    }

    @Test func densityPeakReachesThePlotTopWhenTheAxisEndsThere() throws {
        // One series, two equal bins [0, 0.5), [0.5, 1]: 3 of 4 values in the first → density 1.5, axis 0...1.5 (step 0.5).
        let chart = Histogram(
            title: "", series: [HistogramSeries(name: "s", values: [0.1, 0.2, 0.3, 0.9])],
            bins: .edges([0, 0.5, 1]), scale: .density, xAxis: ChartAxis(label: "x", lower: 0, upper: 1))
        let parsed = expectWellFormedSVG(try chart.render().svg)
        let plot = try #require(plotRect(parsed))
        let path = try #require(parsed.first { $0.attributes["data-series"] == "s" })
        let numbers = pathNumbers(path.attributes["d"] ?? "")
        // M x0 y0 V peak H x1 V second H x2 V y0
        #expect(abs(numbers[0] - plot.x) <= 0.011 && abs(numbers[1] - plot.bottom) <= 0.011)
        #expect(abs(numbers[2] - plot.y) <= 0.011)
        #expect(abs(numbers[4] - (plot.bottom - plot.height / 3)) <= 0.011)
        #expect(abs(numbers[5] - plot.right) <= 0.011)
    }

    @Test func badEdgesAndEmptyDataThrow() {
        let values = [HistogramSeries(name: "s", values: [1, 2])]
        #expect(throws: ChartError.invalidBinEdges(detail: "edge 2 (1.0) is not above edge 1 (2.0)")) {
            try Histogram(title: "", series: values, bins: .edges([0, 2, 1]), xAxis: ChartAxis(label: "")).render()
        }
        #expect(throws: ChartError.invalidBinEdges(detail: "1 edge(s) given")) {
            try Histogram(title: "", series: values, bins: .edges([0]), xAxis: ChartAxis(label: "")).render()
        }
        #expect(throws: ChartError.noData(chart: "histogram")) {
            try Histogram(title: "", series: [HistogramSeries(name: "s", values: [])], xAxis: ChartAxis(label: "")).render()
        }
        #expect(throws: ChartError.noFiniteValues(chart: "histogram")) {
            try Histogram(title: "", series: [HistogramSeries(name: "s", values: [.nan])], xAxis: ChartAxis(label: "")).render()
        }
    }
}

@Suite struct StackedBarChartTests {
    private let funnel = StackedBarChart(
        title: "Dispositions", categories: ["Organic", "Paid", "Referral"],
        segments: [StackSegment(name: "Won", values: [40, 25, 30]), StackSegment(name: "Lost", values: [160, 175, 70])],
        valueAxis: ChartAxis(label: "MQLs"))

    @Test func stacksAddUpAndTheTallestReachesTheNiceTop() throws {
        let parsed = expectWellFormedSVG(try funnel.render().svg)
        let plot = try #require(plotRect(parsed))
        // Totals 200, 200, 100 → axis 0...200 (step 50): the first two stacks span the full height.
        let won = elements(in: "Won", of: parsed).filter { $0.name == "rect" }
        let lost = elements(in: "Lost", of: parsed).filter { $0.name == "rect" }
        #expect(won.count == 3 && lost.count == 3)
        #expect(abs((won[0].number("height") ?? 0) - plot.height * 40 / 200) <= 0.011)
        #expect(abs((won[0].number("y") ?? 0) + (won[0].number("height") ?? 0) - plot.bottom) <= 0.011)
        #expect(abs((lost[0].number("y") ?? 0) - plot.y) <= 0.011)
        #expect(abs((lost[2].number("y") ?? 0) - (plot.bottom - plot.height / 2)) <= 0.011)
        #expect(parsed.contains { $0.name == "title" && $0.text == "Referral, Won: 30 (30.0%)" })
    }

    @Test func sharesFillEveryBar() throws {
        var shares = funnel
        shares.showsShares = true
        shares.orientation = .horizontal
        shares.valueAxis = ChartAxis(label: "Share", tickFormat: .percent)
        let parsed = expectWellFormedSVG(try shares.render().svg)
        let plot = try #require(plotRect(parsed))
        let lost = elements(in: "Lost", of: parsed).filter { $0.name == "rect" }
        for rect in lost {
            #expect(abs((rect.number("x") ?? 0) + (rect.number("width") ?? 0) - plot.right) <= 0.011)
        }
        let ticks = parsed.filter { $0.ancestorAttributes.contains { $0["class"] == "x-axis" } && $0.name == "text" }.map(\.text)
        #expect(ticks == ["0%", "20%", "40%", "60%", "80%", "100%"])
    }

    @Test func negativeAndMismatchedThrow() {
        var negative = funnel
        negative.segments[1].values[2] = -1
        #expect(throws: ChartError.negativeStackValue(segment: "Lost", category: "Referral", value: -1)) { try negative.render() }
        var short = funnel
        short.segments[0].values.removeLast()
        #expect(throws: ChartError.lengthMismatch(series: "Won", expected: 3, actual: 2)) { try short.render() }
    }
}
