/// One bar's value with an optional error bar (e.g. a weight and its 95 % CI).
package struct BarValue: Sendable, Equatable {
    package var value: Double
    package var errorBar: ErrorBar?

    package init(_ value: Double, errorBar: ErrorBar? = nil) {
        self.value = value
        self.errorBar = errorBar
    }

    /// A value with the interval `lower...upper`.
    package init(_ value: Double, lower: Double, upper: Double) {
        self.init(value, errorBar: ErrorBar(lower: lower, upper: upper))
    }
}

/// A named series with one value per category of a ``BarChart``.
package struct BarSeries: Sendable, Equatable {
    package var name: String
    package var values: [BarValue]

    package init(name: String, values: [BarValue]) {
        self.name = name
        self.values = values
    }

    /// A series without error bars.
    package init(name: String, values: [Double]) {
        self.init(name: name, values: values.map { BarValue($0) })
    }
}

/// A bar chart over named categories: one or more series side by side (grouped), optional error bars,
/// optional labelled reference lines, vertical or horizontal.
///
/// ```swift
/// let psi = BarChart(
///     title: "Population stability, training vs test",
///     categories: ["score", "lead_source", "pages_per_visit"],
///     series: [BarSeries(name: "PSI", values: [0.04, 0.12, 0.31])],
///     orientation: .horizontal, valueAxis: ChartAxis(label: "PSI"),
///     referenceLines: [ReferenceLine(value: 0.1, label: "0.1 watch"), ReferenceLine(value: 0.25, label: "0.25 shifted")])
/// ```
///
/// Bars start at zero (negative values go the other way), so the value axis always includes 0,
/// every finite value, every error-bar end and every reference line.
package struct BarChart: Sendable, Equatable {
    package var title: String
    package var subtitle: String?
    /// Category names in drawing order (left to right, or top to bottom for horizontal bars).
    package var categories: [String]
    /// Each series has exactly one value per category; a single series gets no legend.
    package var series: [BarSeries]
    package var orientation: BarOrientation
    package var valueAxis: ChartAxis
    /// Title of the category axis (may be empty).
    package var categoryAxisLabel: String
    package var referenceLines: [ReferenceLine]
    package var footnote: String?
    package var canvas: ChartCanvas
    /// Prefix for element ids; give each chart on one HTML page its own.
    package var identifier: String
    /// What the footnote says when values were left out (non-finite), in the reader's words
    /// (e.g. "Weeks without a judged hand-off are left blank."); nil for the generic count.
    package var skippedValuesNote: String?

    package init(
        title: String, subtitle: String? = nil, categories: [String], series: [BarSeries],
        orientation: BarOrientation = .vertical, valueAxis: ChartAxis, categoryAxisLabel: String = "",
        referenceLines: [ReferenceLine] = [], footnote: String? = nil, canvas: ChartCanvas = ChartCanvas(),
        identifier: String = "bar-chart"
    ) {
        self.title = title
        self.subtitle = subtitle
        self.categories = categories
        self.series = series
        self.orientation = orientation
        self.valueAxis = valueAxis
        self.categoryAxisLabel = categoryAxisLabel
        self.referenceLines = referenceLines
        self.footnote = footnote
        self.canvas = canvas
        self.identifier = identifier
    }
}
