/// A numeric axis: its title, an optional fixed domain, tick density and label format.
package struct ChartAxis: Sendable, Equatable {
    /// How tick labels are written.
    package enum TickFormat: Sendable, Equatable {
        /// Plain decimals with as many places as the tick step needs ("0.25", "1500").
        case number
        /// Values as percentages: 0.25 is written "25%".
        case percent
    }

    /// Axis title, e.g. "Predicted probability".
    package var label: String
    /// Fixed lower end; nil fits the data (widened to a nice tick).
    package var lower: Double?
    /// Fixed upper end; nil fits the data (widened to a nice tick).
    package var upper: Double?
    /// About how many intervals between ticks (default 5).
    package var targetTickCount: Int
    /// Tick label format.
    package var tickFormat: TickFormat

    /// - Precondition: `targetTickCount >= 1`.
    package init(label: String, lower: Double? = nil, upper: Double? = nil, targetTickCount: Int = 5, tickFormat: TickFormat = .number) {
        precondition(targetTickCount >= 1, "targetTickCount must be at least 1")
        self.label = label
        self.lower = lower
        self.upper = upper
        self.targetTickCount = targetTickCount
        self.tickFormat = tickFormat
    }

    /// The probability axis 0...1 with ticks every 0.2 (reliability diagrams).
    package static func probability(_ label: String) -> ChartAxis {
        ChartAxis(label: label, lower: 0, upper: 1)
    }

    /// The scale for data spanning `minimum...maximum` (already finite), honouring fixed ends.
    func scale(dataMinimum minimum: Double, dataMaximum maximum: Double, name: String) throws(ChartError) -> AxisScale {
        if let lower, !lower.isFinite { throw .invalidAxisRange(axis: name, lower: lower, upper: upper ?? .nan) }
        if let upper, !upper.isFinite { throw .invalidAxisRange(axis: name, lower: lower ?? .nan, upper: upper) }
        if let lower, let upper {
            guard lower < upper else { throw .invalidAxisRange(axis: name, lower: lower, upper: upper) }
            return .fixed(lower: lower, upper: upper, targetTickCount: targetTickCount)
        }
        let low = lower ?? min(minimum, upper ?? minimum)
        let high = upper ?? max(maximum, lower ?? maximum)
        let nice = AxisScale.nice(covering: low, high, targetTickCount: targetTickCount)
        guard lower != nil || upper != nil else { return nice }
        let domainLower = lower ?? nice.lower, domainUpper = upper ?? nice.upper
        guard domainLower < domainUpper else { throw .invalidAxisRange(axis: name, lower: domainLower, upper: domainUpper) }
        return .fixed(lower: domainLower, upper: domainUpper, targetTickCount: targetTickCount)
    }

    /// A data value for tooltips, in the axis' format with 4 significant digits.
    func valueLabel(_ value: Double) -> String {
        switch tickFormat {
        case .number: return ChartNumberFormat.significant(value, digits: 4)
        case .percent: return ChartNumberFormat.significant(value * 100, digits: 4) + "%"
        }
    }

    func tickLabel(_ value: Double, scale: AxisScale) -> String {
        switch tickFormat {
        case .number:
            return ChartNumberFormat.fixed(value, decimals: min(15, scale.tickDecimals))
        case .percent:
            return ChartNumberFormat.fixed(value * 100, decimals: min(15, max(0, -scale.stepExponent - 2))) + "%"
        }
    }
}

/// The drawing area in SVG user units. The SVG carries a `viewBox` of this size, so it scales to any screen.
package struct ChartCanvas: Sendable, Equatable {
    package var width: Double
    package var height: Double
    /// Base font size for tick labels; titles are 1.35×, axis titles 1.1×.
    package var fontSize: Double

    package init(width: Double = 720, height: Double = 440, fontSize: Double = 12) {
        self.width = width
        self.height = height
        self.fontSize = fontSize
    }

    func validated() throws(ChartError) -> ChartCanvas {
        guard width.isFinite, height.isFinite, width >= 120, height >= 120, fontSize.isFinite, fontSize > 0 else {
            throw .invalidCanvas(width: width, height: height)
        }
        return self
    }
}

/// A vertical or horizontal interval drawn around a point or bar, e.g. a 95 % Wilson interval.
package struct ErrorBar: Sendable, Equatable {
    package var lower: Double
    package var upper: Double
    package init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// Bars drawn upward from the category axis (`vertical`) or rightward from it (`horizontal`,
/// better for long category names on a phone).
package enum BarOrientation: Sendable, Equatable {
    case vertical, horizontal
}
