import BatonSupport
import ReportRendering
import Testing

@Suite struct LineChartTests {
    private func reliability(_ points: [ChartPoint], footnote: String? = nil) -> LineChart {
        LineChart(
            title: "Reliability", xAxis: .probability("Predicted"), yAxis: .probability("Observed"),
            series: [LineSeries(name: "Champion", points: points, style: .markers)],
            showsIdentityDiagonal: true, footnote: footnote)
    }

    @Test func valuesAtTheAxisEndsLandOnThePlotEdges() throws {
        let chart = reliability([ChartPoint(x: 1, y: 1), ChartPoint(x: 0, y: 0), ChartPoint(x: 0.5, y: 0.25)])
        let parsed = expectWellFormedSVG(try chart.render().svg)
        let plot = try #require(plotRect(parsed))
        let markers = elements(in: "Champion", of: parsed).filter { $0.name == "circle" }
        #expect(markers.count == 3)
        let centres = markers.compactMap { m in m.number("cx").flatMap { x in m.number("cy").map { (x, $0) } } }
        // Coordinates (and the plot rectangle) are written with two decimals, so they match to 0.01.
        #expect(abs(centres[0].0 - plot.right) <= 0.011 && abs(centres[0].1 - plot.y) <= 0.011)
        #expect(abs(centres[1].0 - plot.x) <= 0.011 && abs(centres[1].1 - plot.bottom) <= 0.011)
        #expect(abs(centres[2].0 - (plot.x + plot.width / 2)) <= 0.011)
        #expect(abs(centres[2].1 - (plot.bottom - plot.height / 4)) <= 0.011)
    }

    @Test func automaticAxesEndAtNiceTicksCoveringTheData() throws {
        let chart = LineChart(
            title: "Gains", xAxis: ChartAxis(label: "Share of leads"), yAxis: ChartAxis(label: "Share of wins"),
            series: [LineSeries(name: "Model", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 10, y: 7.3)], style: .lineAndMarkers)])
        let parsed = expectWellFormedSVG(try chart.render().svg)
        let plot = try #require(plotRect(parsed))
        // x: 0...10 step 2 ends exactly at the data; y: 0...7.3 widens to 0...8 (step 2).
        let point = try #require(elements(in: "Model", of: parsed).filter { $0.name == "circle" }.last)
        #expect(abs((point.number("cx") ?? 0) - plot.right) <= 0.011)
        let expectedY = plot.bottom - plot.height * 7.3 / 8
        #expect(abs((point.number("cy") ?? 0) - expectedY) <= 0.011)
        let yLabels = parsed.filter { $0.ancestorAttributes.contains { $0["class"] == "y-axis" } && $0.name == "text" }.map(\.text)
        #expect(yLabels == ["0", "2", "4", "6", "8"])
    }

    @Test func errorBarsSpanTheirInterval() throws {
        let chart = reliability([ChartPoint(x: 0.5, y: 0.5, lower: 0.25, upper: 0.75)])
        let parsed = expectWellFormedSVG(try chart.render().svg)
        let plot = try #require(plotRect(parsed))
        let bar = try #require(elements(in: "Champion", of: parsed).first { $0.name == "path" })
        let top = plot.bottom - plot.height * 0.75, bottom = plot.bottom - plot.height * 0.25
        let numbers = pathNumbers(bar.attributes["d"] ?? "")
        #expect(numbers.count >= 3)
        #expect(abs(numbers[0] - (plot.x + plot.width / 2)) <= 0.011)
        #expect(abs(numbers[1] - top) <= 0.011 && abs(numbers[2] - bottom) <= 0.011)
    }

    @Test func diagonalRunsFromCornerToCorner() throws {
        let parsed = expectWellFormedSVG(try reliability([ChartPoint(x: 0.2, y: 0.3)]).render().svg)
        let plot = try #require(plotRect(parsed))
        let diagonal = try #require(parsed.first { $0.attributes["class"] == "diagonal" })
        #expect(abs((diagonal.number("x1") ?? 0) - plot.x) <= 0.011 && abs((diagonal.number("y1") ?? 0) - plot.bottom) <= 0.011)
        #expect(abs((diagonal.number("x2") ?? 0) - plot.right) <= 0.011 && abs((diagonal.number("y2") ?? 0) - plot.y) <= 0.011)
    }

    @Test func nonFiniteValuesAreSkippedAndReported() throws {
        let chart = reliability(
            [
                ChartPoint(x: 0.1, y: .nan), ChartPoint(x: 0.3, y: 0.2, lower: -.infinity, upper: 0.4), ChartPoint(x: 0.6, y: 0.5),
            ], footnote: "n = 3 bins")
        let rendered = try chart.render()
        let parsed = expectWellFormedSVG(rendered.svg)
        #expect(rendered.skippedValueCount == 2)
        #expect(rendered.notes == ["n = 3 bins", "2 non-finite values not plotted."])
        let footnote = parsed.filter { $0.ancestorAttributes.contains { $0["class"] == "footnote" } }.map(\.text).joined(separator: " ")
        #expect(footnote.contains("2 non-finite values"))
        #expect(elements(in: "Champion", of: parsed).filter { $0.name == "circle" }.count == 2)
        // The error bar with an infinite end is dropped, the point stays.
        #expect(elements(in: "Champion", of: parsed).filter { $0.name == "path" }.isEmpty)
    }

    @Test func aLineBreaksAtANonFinitePoint() throws {
        let chart = LineChart(
            title: "", xAxis: ChartAxis(label: "x"), yAxis: ChartAxis(label: "y"),
            series: [
                LineSeries(
                    name: "s", points: [.init(x: 0, y: 0), .init(x: 1, y: 1), .init(x: 2, y: .infinity), .init(x: 3, y: 1), .init(x: 4, y: 0)],
                    style: .line)
            ])
        let parsed = expectWellFormedSVG(try chart.render().svg)
        #expect(elements(in: "s", of: parsed).filter { $0.name == "path" }.count == 2)
    }

    @Test func emptyAndAllNonFiniteDataThrow() {
        #expect(throws: ChartError.noData(chart: "line chart 'Reliability'")) { try reliability([]).render() }
        #expect(throws: ChartError.noFiniteValues(chart: "line chart 'Reliability'")) {
            try reliability([ChartPoint(x: .nan, y: 1)]).render()
        }
        #expect(throws: ChartError.invertedErrorBar(series: "Champion", index: 0, lower: 0.6, upper: 0.4)) {
            try reliability([ChartPoint(x: 0.5, y: 0.5, lower: 0.6, upper: 0.4)]).render()
        }
        var inverted = reliability([ChartPoint(x: 0.5, y: 0.5)])
        inverted.xAxis.lower = 2
        #expect(throws: ChartError.invalidAxisRange(axis: "x", lower: 2, upper: 1)) { try inverted.render() }
        var tiny = reliability([ChartPoint(x: 0.5, y: 0.5)])
        tiny.canvas = ChartCanvas(width: 50, height: 400)
        #expect(throws: ChartError.invalidCanvas(width: 50, height: 400)) { try tiny.render() }
    }

    @Test func escapesTextAndReadsItBack() throws {
        let nasty = "Leads <script>alert('x')</script> & \"friends\""
        let chart = LineChart(
            title: nasty, xAxis: ChartAxis(label: "a < b"), yAxis: ChartAxis(label: "c & d"),
            series: [
                LineSeries(name: "Q3 & Q4 <new>", points: [.init(x: 0, y: 0), .init(x: 1, y: 1)]),
                LineSeries(name: "'old'", points: [.init(x: 0, y: 1)]),
            ])
        let svg = try chart.render().svg
        let parsed = expectWellFormedSVG(svg)
        let texts = parsed.filter { $0.name == "text" || $0.name == "title" }.map(\.text)
        #expect(texts.contains(nasty))
        #expect(texts.contains("a < b") && texts.contains("c & d") && texts.contains("Q3 & Q4 <new>") && texts.contains("'old'"))
        #expect(xmlEscaped("a<b & \"c\" 'd'>\u{01}") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}")
    }

    @Test func sameInputGivesTheSameBytes() throws {
        let points = (0..<50).map { i in ChartPoint(x: Double(i) / 49, y: Double(i * i % 17) / 17, lower: 0, upper: 1) }
        let make = {
            LineChart(
                title: "Determinism", xAxis: .probability("p"), yAxis: .probability("o"),
                series: [LineSeries(name: "a", points: points), LineSeries(name: "b", points: points.reversed(), style: .line)],
                showsIdentityDiagonal: true)
        }
        let first = try make().render().svg
        let second = try make().render().svg
        #expect(first == second)
        #expect(first.utf8.count > 1000)
    }
}
