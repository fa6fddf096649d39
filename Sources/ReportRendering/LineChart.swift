/// One point of a line or scatter series, with an optional vertical error bar (e.g. a 95 % CI).
package struct ChartPoint: Sendable, Equatable {
    package var x: Double
    package var y: Double
    package var errorBar: ErrorBar?

    package init(x: Double, y: Double, errorBar: ErrorBar? = nil) {
        self.x = x
        self.y = y
        self.errorBar = errorBar
    }

    /// A point whose y has the interval `lower...upper`.
    package init(x: Double, y: Double, lower: Double, upper: Double) {
        self.init(x: x, y: y, errorBar: ErrorBar(lower: lower, upper: upper))
    }
}

/// A named series of points on a ``LineChart``.
package struct LineSeries: Sendable, Equatable {
    /// How the points are drawn.
    package enum Style: Sendable, Equatable {
        /// Points joined in the given order (no markers).
        case line
        /// Markers only (scatter).
        case markers
        /// Points joined, with a marker at each.
        case lineAndMarkers
    }

    package var name: String
    /// Drawn in the given order; a non-finite point breaks the line there.
    package var points: [ChartPoint]
    package var style: Style

    package init(name: String, points: [ChartPoint], style: Style = .lineAndMarkers) {
        self.name = name
        self.points = points
        self.style = style
    }
}

/// A line / scatter chart of several series over two numeric axes, with optional error bars
/// and an optional y = x diagonal (reliability diagrams: predicted vs observed).
///
/// ```swift
/// let chart = LineChart(
///     title: "Reliability, test quarter",
///     xAxis: .probability("Predicted conversion"), yAxis: .probability("Observed conversion"),
///     series: [LineSeries(name: "Champion", points: bins.map { ChartPoint(x: $0.meanPredicted, y: $0.observed, lower: $0.low, upper: $0.high) })],
///     showsIdentityDiagonal: true)
/// let svg = try chart.render().svg
/// ```
///
/// Series colours follow ``ChartPalette``; marker shapes and dash patterns also differ per series.
/// Points and error bars outside a fixed axis range are clipped at the plot edge.
package struct LineChart: Sendable, Equatable {
    package var title: String
    package var subtitle: String?
    package var xAxis: ChartAxis
    package var yAxis: ChartAxis
    package var series: [LineSeries]
    /// Draws the dashed line y = x across the part of the plot where both axes overlap.
    package var showsIdentityDiagonal: Bool
    /// A caller's caption printed under the legend (e.g. "n = 4,812 test leads; 95 % Wilson intervals").
    package var footnote: String?
    package var canvas: ChartCanvas
    /// Prefix for element ids (clip paths); give each chart on one HTML page its own.
    package var identifier: String

    package init(
        title: String, subtitle: String? = nil, xAxis: ChartAxis, yAxis: ChartAxis, series: [LineSeries],
        showsIdentityDiagonal: Bool = false, footnote: String? = nil, canvas: ChartCanvas = ChartCanvas(),
        identifier: String = "line-chart"
    ) {
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.showsIdentityDiagonal = showsIdentityDiagonal
        self.footnote = footnote
        self.canvas = canvas
        self.identifier = identifier
    }
}
