/// One layer of a ``StackedBarChart`` (e.g. the "Disqualified" disposition), one value per category.
package struct StackSegment: Sendable, Equatable {
    package var name: String
    /// Non-negative counts or shares, one per category.
    package var values: [Double]

    package init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// Bars made of stacked segments: a funnel or disposition breakdown per category.
///
/// ```swift
/// let funnel = StackedBarChart(
///     title: "Dispositions by lead source", categories: ["Organic", "Paid", "Referral"],
///     segments: [StackSegment(name: "Won", values: [40, 25, 30]), StackSegment(name: "Lost", values: [160, 175, 70])],
///     orientation: .horizontal, showsShares: true, valueAxis: ChartAxis(label: "Share of MQLs", tickFormat: .percent))
/// ```
package struct StackedBarChart: Sendable, Equatable {
    package var title: String
    package var subtitle: String?
    /// Category names in drawing order (left to right, or top to bottom for horizontal bars).
    package var categories: [String]
    /// Segments stacked from the axis outward in this order; each has one value per category.
    package var segments: [StackSegment]
    package var orientation: BarOrientation
    /// Draws each bar as shares of its total (every bar reaches 1) instead of absolute values;
    /// a category whose total is 0 is drawn empty.
    package var showsShares: Bool
    package var valueAxis: ChartAxis
    package var categoryAxisLabel: String
    package var footnote: String?
    package var canvas: ChartCanvas
    /// Prefix for element ids; give each chart on one HTML page its own.
    package var identifier: String

    package init(
        title: String, subtitle: String? = nil, categories: [String], segments: [StackSegment],
        orientation: BarOrientation = .vertical, showsShares: Bool = false, valueAxis: ChartAxis,
        categoryAxisLabel: String = "", footnote: String? = nil, canvas: ChartCanvas = ChartCanvas(),
        identifier: String = "stacked-bar-chart"
    ) {
        self.title = title
        self.subtitle = subtitle
        self.categories = categories
        self.segments = segments
        self.orientation = orientation
        self.showsShares = showsShares
        self.valueAxis = valueAxis
        self.categoryAxisLabel = categoryAxisLabel
        self.footnote = footnote
        self.canvas = canvas
        self.identifier = identifier
    }

    /// Draws the chart as a standalone SVG document.
    ///
    /// A non-finite segment value is treated as absent (0), counted in ``RenderedChart/skippedValueCount``
    /// and reported in the footnote.
    /// - Throws: ``ChartError/noData(chart:)``, ``ChartError/lengthMismatch(series:expected:actual:)``,
    ///   ``ChartError/negativeStackValue(segment:category:value:)``, ``ChartError/noFiniteValues(chart:)``,
    ///   ``ChartError/invalidAxisRange(axis:lower:upper:)``, ``ChartError/invalidCanvas(width:height:)``.
    package func render() throws(ChartError) -> RenderedChart {
        let canvas = try self.canvas.validated()
        guard !categories.isEmpty, !segments.isEmpty else { throw .noData(chart: chartName) }
        var skipped = 0, finite = 0
        for segment in segments {
            guard segment.values.count == categories.count else {
                throw .lengthMismatch(series: segment.name, expected: categories.count, actual: segment.values.count)
            }
            for (index, value) in segment.values.enumerated() {
                guard value.isFinite else {
                    skipped += 1
                    continue
                }
                guard value >= 0 else { throw .negativeStackValue(segment: segment.name, category: categories[index], value: value) }
                finite += 1
            }
        }
        guard finite > 0 else { throw .noFiniteValues(chart: chartName) }
        let totals = categories.indices.map { index in
            segments.reduce(0.0) { $0 + ($1.values[index].isFinite ? $1.values[index] : 0) }
        }
        let divisor = totals.map { showsShares ? $0 : 1 }
        let top = showsShares ? 1 : (totals.max() ?? 0)
        let scale = try valueAxis.scale(dataMinimum: 0, dataMaximum: top > 0 ? top : 1, name: "value")

        let tickWidth = orientation == .vertical ? tickLabelWidth(axis: valueAxis, scale: scale, fontSize: canvas.fontSize) : 0
        let categoryAxis = CategoryAxis(labels: categories, orientation: orientation, canvas: canvas, valueTickWidth: tickWidth)
        let notes = [footnote, skippedNote(skipped)].compactMap { $0 }
        let frame = ChartFrame(
            canvas: canvas, identifier: sanitizedIdentifier(identifier), title: title, subtitle: subtitle,
            legend: segments.enumerated().map { LegendEntry(name: $1.name, colour: ChartPalette.colour(at: $0), symbol: .swatch) },
            notes: notes, leftLabelWidth: categoryAxis.leftGutter, bottomLabelHeight: categoryAxis.bottomGutter,
            hasLeftTitle: !(orientation == .vertical ? valueAxis.label : categoryAxisLabel).isEmpty,
            hasBottomTitle: !(orientation == .vertical ? categoryAxisLabel : valueAxis.label).isEmpty)
        let plot = frame.plotArea
        let clipID = "\(frame.identifier)-plot"
        let toScreen = { (v: Double) in
            self.orientation == .vertical
                ? scale.position(of: v, from: plot.bottom, to: plot.top)
                : scale.position(of: v, from: plot.left, to: plot.right)
        }

        var w = SVGWriter()
        frame.begin(&w)
        defineClip(&w, id: clipID, plot: plot)
        drawNumericAxis(&w, axis: valueAxis, scale: scale, side: orientation == .vertical ? .left : .bottom, plot: plot, fontSize: canvas.fontSize)
        w.open("g", [("clip-path", "url(#\(clipID))")])
        var cumulative = [Double](repeating: 0, count: categories.count)
        for (segmentIndex, segment) in segments.enumerated() {
            w.open("g", [("class", "segment"), ("data-series", segment.name), ("fill", ChartPalette.colour(at: segmentIndex))])
            for (index, raw) in segment.values.enumerated() where raw.isFinite && raw > 0 && divisor[index] > 0 {
                let value = raw / divisor[index]
                let from = toScreen(cumulative[index]), to = toScreen(cumulative[index] + value)
                cumulative[index] += value
                let (start, width) = categoryAxis.band(index, plot: plot)
                let rect: [(String, String)] =
                    orientation == .vertical
                    ? [("x", coord(start + width * 0.15)), ("y", coord(to)), ("width", coord(width * 0.7)), ("height", coord(from - to))]
                    : [("x", coord(from)), ("y", coord(start + width * 0.15)), ("width", coord(to - from)), ("height", coord(width * 0.7))]
                let share = totals[index] > 0 ? raw / totals[index] : 0
                w.open("rect", rect + [("stroke", "#FFFFFF"), ("stroke-width", "0.75")])
                w.element(
                    "title", [],
                    content:
                        "\(categories[index]), \(segment.name): \(ChartNumberFormat.significant(raw, digits: 4)) (\(ChartNumberFormat.fixed(share * 100, decimals: 1))%)"
                )
                w.close("rect")
            }
            w.close("g")
        }
        w.close("g")
        categoryAxis.draw(&w, plot: plot)
        drawPlotAxes(&w, plot: plot)
        frame.axisTitles(
            &w, plot: plot,
            bottom: orientation == .vertical ? categoryAxisLabel : valueAxis.label,
            left: orientation == .vertical ? valueAxis.label : categoryAxisLabel)
        frame.end(&w)
        return RenderedChart(svg: w.text, skippedValueCount: skipped, notes: notes)
    }

    private var chartName: String { title.isEmpty ? "stacked bar chart" : "stacked bar chart '\(title)'" }
}
