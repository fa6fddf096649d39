/// A chart drawn as SVG text, with what had to be left out.
package struct RenderedChart: Sendable, Equatable {
    /// A complete, standalone SVG document (UTF-8 text, `viewBox`-sized, no scripts or external fonts).
    package let svg: String
    /// How many values (points, bars, error-bar ends, histogram values) were NaN or infinite and not drawn.
    package let skippedValueCount: Int
    /// Sentences printed as the chart's footnote: the caller's footnote first, then what was skipped.
    package let notes: [String]
}
