/// What went wrong when a chart could not be drawn, with the series, index or axis involved.
///
/// Charts throw only for data that cannot be drawn honestly. Non-finite values (NaN, ±∞) in otherwise
/// drawable data are not errors: they are left out, counted in ``RenderedChart/skippedValueCount`` and
/// stated in the chart's footnote, so the SVG never contains "NaN".
package enum ChartError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The chart has no series, or every series is empty.
    case noData(chart: String)
    /// Every value was NaN or infinite, so there is nothing to draw.
    case noFiniteValues(chart: String)
    /// A series has a different number of values than the chart has categories.
    case lengthMismatch(series: String, expected: Int, actual: Int)
    /// A fixed axis end is not finite, or the lower end is not below the upper end.
    case invalidAxisRange(axis: String, lower: Double, upper: Double)
    /// An error bar whose lower end lies above its upper end.
    case invertedErrorBar(series: String, index: Int, lower: Double, upper: Double)
    /// Histogram bin edges that are fewer than two, not finite, or not strictly increasing.
    case invalidBinEdges(detail: String)
    /// A stacked bar segment below zero (a stack can only add up non-negative parts).
    case negativeStackValue(segment: String, category: String, value: Double)
    /// A canvas whose width or height is not a finite number of at least 120 user units.
    case invalidCanvas(width: Double, height: Double)

    package var description: String {
        switch self {
        case .noData(let chart):
            return "\(chart): no data to plot; pass at least one series with at least one value"
        case .noFiniteValues(let chart):
            return "\(chart): every value is NaN or infinite; check the computation that produced them"
        case .lengthMismatch(let series, let expected, let actual):
            return "series '\(series)' has \(actual) values but the chart has \(expected) categories; give one value per category"
        case .invalidAxisRange(let axis, let lower, let upper):
            return "\(axis) axis range \(lower)...\(upper) is not a finite interval with lower < upper; fix the range or leave it nil to fit the data"
        case .invertedErrorBar(let series, let index, let lower, let upper):
            return "series '\(series)', point \(index): error bar lower \(lower) is above upper \(upper); pass (lower, upper) in order"
        case .invalidBinEdges(let detail):
            return "histogram bin edges: \(detail); pass at least two finite, strictly increasing edges"
        case .negativeStackValue(let segment, let category, let value):
            return "stacked bar '\(category)', segment '\(segment)': value \(value) is negative; stacks add non-negative counts or shares"
        case .invalidCanvas(let width, let height):
            return "canvas \(width) x \(height) is too small or not finite; use at least 120 x 120 user units"
        }
    }
}
