/// How the shared bins of a ``Histogram`` are chosen.
package enum HistogramBins: Sendable, Equatable {
    /// Nice edges (1-2-5 steps) covering every finite value, about `target` bins.
    case automatic(target: Int)
    /// These edges: at least two, finite, strictly increasing. Bins are [e₀, e₁), …, [eₙ₋₁, eₙ] (the last
    /// one closed); values outside e₀...eₙ are counted as out of range and reported in the footnote.
    case edges([Double])
}

/// What the bar heights of a ``Histogram`` show.
package enum HistogramScale: Sendable, Equatable {
    /// Number of values in the bin.
    case count
    /// Share of the series' in-range values in the bin (sums to 1 per series); compares groups of different size.
    case proportion
    /// Proportion divided by bin width (integrates to 1 per series).
    case density
}

/// A named sample of values for a ``Histogram`` (e.g. scores of won leads).
package struct HistogramSeries: Sendable, Equatable {
    package var name: String
    package var values: [Double]

    package init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// Counts of one series over shared bins.
package struct BinnedSeries: Sendable, Equatable {
    package let name: String
    /// Count per bin; `counts.count == edges.count - 1`.
    package let counts: [Int]
    /// Finite values outside the first and last edge.
    package let outOfRange: Int
    /// NaN or infinite values.
    package let nonFinite: Int
}

/// Overlaid histograms of one or more series over the same bins, drawn as translucent step outlines
/// (e.g. the score distribution of won vs lost leads).
///
/// ```swift
/// let chart = Histogram(
///     title: "Score by outcome", series: [HistogramSeries(name: "Won", values: won), HistogramSeries(name: "Lost", values: lost)],
///     bins: .edges(Array(stride(from: 0.0, through: 1.0, by: 0.05))), scale: .proportion,
///     xAxis: ChartAxis(label: "Predicted conversion"))
/// ```
package struct Histogram: Sendable, Equatable {
    package var title: String
    package var subtitle: String?
    package var series: [HistogramSeries]
    package var bins: HistogramBins
    package var scale: HistogramScale
    /// The value axis; a fixed range here does not change the bins.
    package var xAxis: ChartAxis
    /// Title of the height axis; nil writes "Count", "Proportion" or "Density".
    package var yAxisLabel: String?
    package var footnote: String?
    package var canvas: ChartCanvas
    /// Prefix for element ids; give each chart on one HTML page its own.
    package var identifier: String

    package init(
        title: String, subtitle: String? = nil, series: [HistogramSeries], bins: HistogramBins = .automatic(target: 20),
        scale: HistogramScale = .count, xAxis: ChartAxis, yAxisLabel: String? = nil, footnote: String? = nil,
        canvas: ChartCanvas = ChartCanvas(), identifier: String = "histogram"
    ) {
        self.title = title
        self.subtitle = subtitle
        self.series = series
        self.bins = bins
        self.scale = scale
        self.xAxis = xAxis
        self.yAxisLabel = yAxisLabel
        self.footnote = footnote
        self.canvas = canvas
        self.identifier = identifier
    }

    /// The shared bin edges for these series.
    /// - Throws: ``ChartError/noData(chart:)``, ``ChartError/noFiniteValues(chart:)`` (automatic bins),
    ///   ``ChartError/invalidBinEdges(detail:)``.
    package func binEdges() throws(ChartError) -> [Double] {
        guard series.contains(where: { !$0.values.isEmpty }) else { throw .noData(chart: chartName) }
        switch bins {
        case .edges(let edges):
            guard edges.count >= 2 else { throw .invalidBinEdges(detail: "\(edges.count) edge(s) given") }
            for (index, edge) in edges.enumerated() {
                guard edge.isFinite else { throw .invalidBinEdges(detail: "edge \(index) is \(edge)") }
                if index > 0, edges[index - 1] >= edge {
                    throw .invalidBinEdges(detail: "edge \(index) (\(edge)) is not above edge \(index - 1) (\(edges[index - 1]))")
                }
            }
            return edges
        case .automatic(let target):
            guard target >= 1 else { throw .invalidBinEdges(detail: "automatic bins need a target of at least 1, got \(target)") }
            let finite = series.flatMap { $0.values.filter(\.isFinite) }
            guard let low = finite.min(), let high = finite.max() else { throw .noFiniteValues(chart: chartName) }
            return AxisScale.nice(covering: low, high, targetTickCount: target).ticks
        }
    }

    /// Each series counted over ``binEdges()``.
    package func binnedSeries() throws(ChartError) -> [BinnedSeries] {
        let edges = try binEdges()
        return series.map { Self.bin($0, edges: edges) }
    }

    /// Counts `series` into [e₀, e₁), …, [eₙ₋₁, eₙ] by binary search.
    static func bin(_ series: HistogramSeries, edges: [Double]) -> BinnedSeries {
        var counts = [Int](repeating: 0, count: edges.count - 1)
        var outside = 0, nonFinite = 0
        let first = edges[0], last = edges[edges.count - 1]
        for value in series.values {
            guard value.isFinite else {
                nonFinite += 1
                continue
            }
            guard value >= first, value <= last else {
                outside += 1
                continue
            }
            // The largest i with edges[i] <= value, capped to the last bin.
            var low = 0, high = edges.count - 1
            while high - low > 1 {
                let mid = (low + high) / 2
                if edges[mid] <= value { low = mid } else { high = mid }
            }
            counts[low] += 1
        }
        return BinnedSeries(name: series.name, counts: counts, outOfRange: outside, nonFinite: nonFinite)
    }

    var chartName: String { title.isEmpty ? "histogram" : "histogram '\(title)'" }
}
