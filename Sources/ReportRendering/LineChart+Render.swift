extension LineChart {
    /// Draws the chart as a standalone SVG document.
    ///
    /// Points with a non-finite x or y are skipped (the line breaks there); an error bar with a
    /// non-finite end is dropped while its point is kept. Each skipped value is counted in
    /// ``RenderedChart/skippedValueCount`` and reported in the footnote.
    /// - Throws: ``ChartError/noData(chart:)`` without points, ``ChartError/noFiniteValues(chart:)`` when no
    ///   point is finite, ``ChartError/invertedErrorBar(series:index:lower:upper:)``,
    ///   ``ChartError/invalidAxisRange(axis:lower:upper:)``, ``ChartError/invalidCanvas(width:height:)``.
    package func render() throws(ChartError) -> RenderedChart {
        let canvas = try self.canvas.validated()
        guard series.contains(where: { !$0.points.isEmpty }) else { throw .noData(chart: chartName) }
        var skipped = 0
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            for (index, point) in s.points.enumerated() {
                guard point.x.isFinite, point.y.isFinite else {
                    skipped += 1
                    continue
                }
                xs.append(point.x)
                ys.append(point.y)
                guard let bar = point.errorBar else { continue }
                if bar.lower.isFinite, bar.upper.isFinite, bar.lower > bar.upper {
                    throw .invertedErrorBar(series: s.name, index: index, lower: bar.lower, upper: bar.upper)
                }
                for end in [bar.lower, bar.upper] {
                    if end.isFinite { ys.append(end) } else { skipped += 1 }
                }
            }
        }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            throw .noFiniteValues(chart: chartName)
        }
        let xScale = try xAxis.scale(dataMinimum: xMin, dataMaximum: xMax, name: "x")
        let yScale = try yAxis.scale(dataMinimum: yMin, dataMaximum: yMax, name: "y")
        let notes = [footnote, skippedNote(skipped)].compactMap { $0 }
        let legend = series.enumerated().map { index, s in
            LegendEntry(
                name: s.name, colour: ChartPalette.colour(at: index),
                symbol: .line(dash: s.style == .markers ? nil : dashPattern(index), marker: s.style == .line ? nil : MarkerShape.at(index)))
        }
        let frame = ChartFrame(
            canvas: canvas, identifier: sanitizedIdentifier(identifier), title: title, subtitle: subtitle,
            legend: series.count > 1 || showsIdentityDiagonal ? legend : [], notes: notes,
            leftLabelWidth: tickLabelWidth(axis: yAxis, scale: yScale, fontSize: canvas.fontSize),
            bottomLabelHeight: canvas.fontSize + 2, hasLeftTitle: !yAxis.label.isEmpty, hasBottomTitle: !xAxis.label.isEmpty)
        let plot = frame.plotArea
        let clipID = "\(frame.identifier)-plot"
        let px = { (x: Double) in xScale.position(of: x, from: plot.left, to: plot.right) }
        let py = { (y: Double) in yScale.position(of: y, from: plot.bottom, to: plot.top) }

        var w = SVGWriter()
        frame.begin(&w)
        defineClip(&w, id: clipID, plot: plot)
        drawNumericAxis(&w, axis: xAxis, scale: xScale, side: .bottom, plot: plot, fontSize: canvas.fontSize)
        drawNumericAxis(&w, axis: yAxis, scale: yScale, side: .left, plot: plot, fontSize: canvas.fontSize)
        w.open("g", [("clip-path", "url(#\(clipID))")])
        if showsIdentityDiagonal {
            let from = max(xScale.lower, yScale.lower), to = min(xScale.upper, yScale.upper)
            if from < to {
                w.element(
                    "line",
                    [
                        ("class", "diagonal"), ("x1", coord(px(from))), ("y1", coord(py(from))), ("x2", coord(px(to))), ("y2", coord(py(to))),
                        ("stroke", ChartPalette.muted), ("stroke-dasharray", "4 4"),
                    ])
            }
        }
        for (index, s) in series.enumerated() {
            let colour = ChartPalette.colour(at: index)
            w.open("g", [("class", "series"), ("data-series", s.name)])
            if s.style != .markers {
                for run in finiteRuns(s.points) where run.count > 1 {
                    let d = run.enumerated().map { i, p in "\(i == 0 ? "M" : "L")\(coord(px(p.x))) \(coord(py(p.y)))" }.joined()
                    var attributes = [("d", d), ("fill", "none"), ("stroke", colour), ("stroke-width", "2")]
                    if let dash = dashPattern(index) { attributes.append(("stroke-dasharray", dash)) }
                    w.element("path", attributes)
                }
            }
            for point in s.points where point.x.isFinite && point.y.isFinite {
                if let bar = point.errorBar, bar.lower.isFinite, bar.upper.isFinite {
                    drawVerticalErrorBar(&w, x: px(point.x), top: py(bar.upper), bottom: py(bar.lower), colour: colour)
                }
            }
            if s.style != .line {
                for point in s.points where point.x.isFinite && point.y.isFinite {
                    MarkerShape.at(index).draw(&w, x: px(point.x), y: py(point.y), colour: colour)
                }
            }
            w.close("g")
        }
        w.close("g")
        drawPlotAxes(&w, plot: plot)
        frame.axisTitles(&w, plot: plot, bottom: xAxis.label, left: yAxis.label)
        frame.end(&w)
        return RenderedChart(svg: w.text, skippedValueCount: skipped, notes: notes)
    }

    private var chartName: String { title.isEmpty ? "line chart" : "line chart '\(title)'" }
}

/// Consecutive runs of points with finite coordinates; a non-finite point ends a run.
private func finiteRuns(_ points: [ChartPoint]) -> [[ChartPoint]] {
    var runs: [[ChartPoint]] = [[]]
    for point in points {
        if point.x.isFinite, point.y.isFinite {
            runs[runs.count - 1].append(point)
        } else if !(runs.last?.isEmpty ?? true) {
            runs.append([])
        }
    }
    return runs.filter { !$0.isEmpty }
}
