/// One bar's value with an optional error bar (e.g. a weight and its 95 % CI).
public struct BarValue: Sendable, Equatable {
    public var value: Double
    public var errorBar: ErrorBar?

    public init(_ value: Double, errorBar: ErrorBar? = nil) {
        self.value = value
        self.errorBar = errorBar
    }

    /// A value with the interval `lower...upper`.
    public init(_ value: Double, lower: Double, upper: Double) {
        self.init(value, errorBar: ErrorBar(lower: lower, upper: upper))
    }
}

/// A named series with one value per category of a ``BarChart``.
public struct BarSeries: Sendable, Equatable {
    public var name: String
    public var values: [BarValue]

    public init(name: String, values: [BarValue]) {
        self.name = name
        self.values = values
    }

    /// A series without error bars.
    public init(name: String, values: [Double]) {
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
public struct BarChart: Sendable, Equatable {
    public var title: String
    public var subtitle: String?
    /// Category names in drawing order (left to right, or top to bottom for horizontal bars).
    public var categories: [String]
    /// Each series has exactly one value per category; a single series gets no legend.
    public var series: [BarSeries]
    public var orientation: BarOrientation
    public var valueAxis: ChartAxis
    /// Title of the category axis (may be empty).
    public var categoryAxisLabel: String
    public var referenceLines: [ReferenceLine]
    public var footnote: String?
    public var canvas: ChartCanvas
    /// Prefix for element ids; give each chart on one HTML page its own.
    public var identifier: String

    public init(
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
