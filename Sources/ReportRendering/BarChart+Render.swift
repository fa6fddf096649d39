extension BarChart {
    /// Draws the chart as a standalone SVG document.
    ///
    /// A non-finite bar value leaves its slot empty; a non-finite error-bar end drops that error bar.
    /// Both are counted in ``RenderedChart/skippedValueCount`` and reported in the footnote.
    /// - Throws: ``ChartError/noData(chart:)`` without categories or series,
    ///   ``ChartError/lengthMismatch(series:expected:actual:)``, ``ChartError/noFiniteValues(chart:)``,
    ///   ``ChartError/invertedErrorBar(series:index:lower:upper:)``, ``ChartError/invalidAxisRange(axis:lower:upper:)``,
    ///   ``ChartError/invalidCanvas(width:height:)``.
    package func render() throws(ChartError) -> RenderedChart {
        let canvas = try self.canvas.validated()
        guard !categories.isEmpty, !series.isEmpty else { throw .noData(chart: chartName) }
        var skipped = 0
        var extent: [Double] = []
        for s in series {
            guard s.values.count == categories.count else {
                throw .lengthMismatch(series: s.name, expected: categories.count, actual: s.values.count)
            }
            for (index, bar) in s.values.enumerated() {
                guard bar.value.isFinite else {
                    skipped += 1
                    continue
                }
                extent.append(bar.value)
                guard let error = bar.errorBar else { continue }
                if error.lower.isFinite, error.upper.isFinite, error.lower > error.upper {
                    throw .invertedErrorBar(series: s.name, index: index, lower: error.lower, upper: error.upper)
                }
                for end in [error.lower, error.upper] {
                    if end.isFinite { extent.append(end) } else { skipped += 1 }
                }
            }
        }
        guard !extent.isEmpty else { throw .noFiniteValues(chart: chartName) }
        extent.append(0)
        extent += referenceLines.map(\.value).filter(\.isFinite)
        let scale = try valueAxis.scale(dataMinimum: extent.min() ?? 0, dataMaximum: extent.max() ?? 0, name: "value")

        let tickWidth = orientation == .vertical ? tickLabelWidth(axis: valueAxis, scale: scale, fontSize: canvas.fontSize) : 0
        let categoryAxis = CategoryAxis(labels: categories, orientation: orientation, canvas: canvas, valueTickWidth: tickWidth)
        let notes = [footnote, skipped > 0 ? (skippedValuesNote ?? skippedNote(skipped)) : nil].compactMap { $0 }
        let frame = ChartFrame(
            canvas: canvas, identifier: sanitizedIdentifier(identifier), title: title, subtitle: subtitle,
            legend: series.count > 1
                ? series.enumerated().map { LegendEntry(name: $1.name, colour: ChartPalette.colour(at: $0), symbol: .swatch) } : [],
            notes: notes, leftLabelWidth: categoryAxis.leftGutter, bottomLabelHeight: categoryAxis.bottomGutter,
            hasLeftTitle: !(orientation == .vertical ? valueAxis.label : categoryAxisLabel).isEmpty,
            hasBottomTitle: !(orientation == .vertical ? categoryAxisLabel : valueAxis.label).isEmpty)
        let plot = frame.plotArea
        let clipID = "\(frame.identifier)-plot"
        let valueSide: AxisSide = orientation == .vertical ? .left : .bottom
        let toScreen = { (v: Double) in
            self.orientation == .vertical
                ? scale.position(of: v, from: plot.bottom, to: plot.top)
                : scale.position(of: v, from: plot.left, to: plot.right)
        }

        var w = SVGWriter()
        frame.begin(&w)
        defineClip(&w, id: clipID, plot: plot)
        drawNumericAxis(&w, axis: valueAxis, scale: scale, side: valueSide, plot: plot, fontSize: canvas.fontSize)
        w.open("g", [("clip-path", "url(#\(clipID))")])
        let zero = toScreen(min(max(0, scale.lower), scale.upper))
        for (seriesIndex, s) in series.enumerated() {
            let colour = ChartPalette.colour(at: seriesIndex)
            w.open("g", [("class", "series"), ("data-series", s.name), ("fill", colour)])
            for (index, bar) in s.values.enumerated() where bar.value.isFinite {
                let (start, width) = categoryAxis.band(index, plot: plot)
                let slot = width * 0.8 / Double(series.count)
                let offset = start + width * 0.1 + Double(seriesIndex) * slot
                let end = toScreen(bar.value)
                let label = "\(categories[index]), \(s.name): \(valueAxis.valueLabel(bar.value))"
                let rect: [(String, String)] =
                    orientation == .vertical
                    ? [
                        ("x", coord(offset + slot * 0.05)), ("y", coord(min(zero, end))), ("width", coord(slot * 0.9)),
                        ("height", coord(abs(end - zero))),
                    ]
                    : [
                        ("x", coord(min(zero, end))), ("y", coord(offset + slot * 0.05)), ("width", coord(abs(end - zero))),
                        ("height", coord(slot * 0.9)),
                    ]
                w.open("rect", rect)
                w.element("title", [], content: label)
                w.close("rect")
                if let error = bar.errorBar, error.lower.isFinite, error.upper.isFinite {
                    let mid = offset + slot / 2
                    if orientation == .vertical {
                        drawVerticalErrorBar(&w, x: mid, top: toScreen(error.upper), bottom: toScreen(error.lower), colour: ChartPalette.ink)
                    } else {
                        drawHorizontalErrorBar(&w, y: mid, left: toScreen(error.lower), right: toScreen(error.upper), colour: ChartPalette.ink)
                    }
                }
            }
            w.close("g")
        }
        w.close("g")
        drawReferenceLines(&w, lines: referenceLines, scale: scale, orientation: orientation, plot: plot, fontSize: canvas.fontSize)
        if scale.lower < 0 {
            // The zero line separates negative from positive bars.
            let attributes: [(String, String)] =
                orientation == .vertical
                ? [("x1", coord(plot.left)), ("y1", coord(zero)), ("x2", coord(plot.right)), ("y2", coord(zero))]
                : [("x1", coord(zero)), ("y1", coord(plot.top)), ("x2", coord(zero)), ("y2", coord(plot.bottom))]
            w.element("line", attributes + [("stroke", ChartPalette.ink)])
        }
        categoryAxis.draw(&w, plot: plot)
        drawPlotAxes(&w, plot: plot)
        frame.axisTitles(
            &w, plot: plot,
            bottom: orientation == .vertical ? categoryAxisLabel : valueAxis.label,
            left: orientation == .vertical ? valueAxis.label : categoryAxisLabel)
        frame.end(&w)
        return RenderedChart(svg: w.text, skippedValueCount: skipped, notes: notes)
    }

    private var chartName: String { title.isEmpty ? "bar chart" : "bar chart '\(title)'" }
}
