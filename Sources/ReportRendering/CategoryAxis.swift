import BatonSupport

/// Category names along one side of the plot: the bottom for vertical bars, the left for horizontal ones.
struct CategoryAxis {
    let labels: [String]
    let orientation: BarOrientation
    /// Labels of vertical bars are rotated 35° when they do not fit side by side.
    let rotated: Bool
    let maximumCharacters: Int
    let leftGutter: Double
    let bottomGutter: Double
    let fontSize: Double

    init(labels: [String], orientation: BarOrientation, canvas: ChartCanvas, valueTickWidth: Double) {
        self.labels = labels
        self.orientation = orientation
        fontSize = canvas.fontSize
        let characterWidth = canvas.fontSize * 0.58
        let widest = labels.map { estimatedTextWidth($0, fontSize: canvas.fontSize) }.max() ?? 0
        switch orientation {
        case .horizontal:
            let limit = canvas.width * 0.35
            maximumCharacters = max(4, (limit / characterWidth).clampedInt(.towardZero, in: 0...100_000))
            leftGutter = min(widest, limit)
            bottomGutter = canvas.fontSize + 2
            rotated = false
        case .vertical:
            let band = (canvas.width - valueTickWidth - 80) / Double(max(1, labels.count))
            rotated = widest > band * 0.95
            let limit = canvas.height * 0.3
            maximumCharacters = rotated ? max(4, (limit / 0.58 / characterWidth).clampedInt(.towardZero, in: 0...100_000)) : Int.max
            let rotatedHeight = min(widest, Double(maximumCharacters) * characterWidth) * 0.58 + canvas.fontSize
            bottomGutter = rotated ? rotatedHeight : canvas.fontSize + 2
            leftGutter = valueTickWidth
        }
    }

    /// The band for category `index` along the category axis: its start and width in screen units.
    func band(_ index: Int, plot: PlotArea) -> (start: Double, width: Double) {
        let count = Double(max(1, labels.count))
        switch orientation {
        case .vertical:
            let width = plot.width / count
            return (plot.left + Double(index) * width, width)
        case .horizontal:
            let height = plot.height / count
            return (plot.top + Double(index) * height, height)
        }
    }

    func draw(_ w: inout SVGWriter, plot: PlotArea) {
        w.open("g", [("class", "categories"), ("font-size", coord(fontSize))])
        for (index, label) in labels.enumerated() {
            let (start, width) = band(index, plot: plot)
            let mid = start + width / 2
            let shown = truncated(label, maximum: maximumCharacters)
            // The full name stays available as a tooltip when the label is cut.
            let full = shown == label ? nil : label
            switch orientation {
            case .horizontal:
                w.open("text", [("x", coord(plot.left - 8)), ("y", coord(mid + fontSize * 0.35)), ("text-anchor", "end")])
                writeLabel(&w, shown: shown, full: full)
            case .vertical where rotated:
                let y = plot.bottom + 6 + fontSize * 0.6
                w.open("text", [("x", coord(mid)), ("y", coord(y)), ("text-anchor", "end"), ("transform", "rotate(-35 \(coord(mid)) \(coord(y)))")])
                writeLabel(&w, shown: shown, full: full)
            case .vertical:
                w.open("text", [("x", coord(mid)), ("y", coord(plot.bottom + 7 + fontSize)), ("text-anchor", "middle")])
                writeLabel(&w, shown: shown, full: full)
            }
        }
        w.close("g")
    }

    private func writeLabel(_ w: inout SVGWriter, shown: String, full: String?) {
        if let full { w.element("title", [], content: full) }
        w.text += xmlEscaped(shown)
        w.close("text")
    }
}

/// A labelled line across the plot at a value of the value axis (e.g. PSI 0.1 "watch", 0.25 "shifted").
package struct ReferenceLine: Sendable, Equatable {
    package var value: Double
    package var label: String

    package init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// Dashed reference lines with their labels; non-finite values are skipped by the caller.
func drawReferenceLines(_ w: inout SVGWriter, lines: [ReferenceLine], scale: AxisScale, orientation: BarOrientation, plot: PlotArea, fontSize: Double)
{
    guard !lines.isEmpty else { return }
    w.open("g", [("class", "reference-lines"), ("font-size", coord(fontSize * 0.92)), ("fill", ChartPalette.muted)])
    for line in lines where line.value.isFinite && line.value >= scale.lower && line.value <= scale.upper {
        switch orientation {
        case .vertical:
            let y = scale.position(of: line.value, from: plot.bottom, to: plot.top)
            w.element(
                "line",
                [
                    ("x1", coord(plot.left)), ("y1", coord(y)), ("x2", coord(plot.right)), ("y2", coord(y)), ("stroke", ChartPalette.ink),
                    ("stroke-dasharray", "5 4"),
                ])
            w.element("text", [("x", coord(plot.right - 4)), ("y", coord(y - 4)), ("text-anchor", "end")], content: line.label)
        case .horizontal:
            let x = scale.position(of: line.value, from: plot.left, to: plot.right)
            w.element(
                "line",
                [
                    ("x1", coord(x)), ("y1", coord(plot.top)), ("x2", coord(x)), ("y2", coord(plot.bottom)), ("stroke", ChartPalette.ink),
                    ("stroke-dasharray", "5 4"),
                ])
            w.element("text", [("x", coord(x + 4)), ("y", coord(plot.top + fontSize)), ("text-anchor", "start")], content: line.label)
        }
    }
    w.close("g")
}
