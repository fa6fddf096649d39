/// Where a numeric axis sits relative to the plot.
enum AxisSide {
    case bottom, left
}

/// Grid lines, tick marks and tick labels for a numeric axis (drawn before the data so data sits on top).
func drawNumericAxis(_ w: inout SVGWriter, axis: ChartAxis, scale: AxisScale, side: AxisSide, plot: PlotArea, fontSize: Double) {
    w.open("g", [("class", side == .bottom ? "x-axis" : "y-axis"), ("font-size", coord(fontSize))])
    for tick in scale.ticks {
        let label = axis.tickLabel(tick, scale: scale)
        switch side {
        case .bottom:
            let x = scale.position(of: tick, from: plot.left, to: plot.right)
            w.element(
                "line", [("x1", coord(x)), ("y1", coord(plot.top)), ("x2", coord(x)), ("y2", coord(plot.bottom)), ("stroke", ChartPalette.grid)])
            w.element(
                "line",
                [("x1", coord(x)), ("y1", coord(plot.bottom)), ("x2", coord(x)), ("y2", coord(plot.bottom + 5)), ("stroke", ChartPalette.ink)])
            w.element("text", [("x", coord(x)), ("y", coord(plot.bottom + 7 + fontSize)), ("text-anchor", "middle")], content: label)
        case .left:
            let y = scale.position(of: tick, from: plot.bottom, to: plot.top)
            w.element(
                "line", [("x1", coord(plot.left)), ("y1", coord(y)), ("x2", coord(plot.right)), ("y2", coord(y)), ("stroke", ChartPalette.grid)])
            w.element(
                "line", [("x1", coord(plot.left - 5)), ("y1", coord(y)), ("x2", coord(plot.left)), ("y2", coord(y)), ("stroke", ChartPalette.ink)])
            w.element("text", [("x", coord(plot.left - 8)), ("y", coord(y + fontSize * 0.35)), ("text-anchor", "end")], content: label)
        }
    }
    w.close("g")
}

/// The widest tick label of a left-hand numeric axis, for the frame's gutter.
func tickLabelWidth(axis: ChartAxis, scale: AxisScale, fontSize: Double) -> Double {
    scale.ticks.map { estimatedTextWidth(axis.tickLabel($0, scale: scale), fontSize: fontSize) }.max() ?? 0
}

/// The plot's outline (the two axis lines), drawn after the data.
func drawPlotAxes(_ w: inout SVGWriter, plot: PlotArea) {
    w.element(
        "path",
        [("d", "M\(coord(plot.left)) \(coord(plot.top))V\(coord(plot.bottom))H\(coord(plot.right))"), ("fill", "none"), ("stroke", ChartPalette.ink)])
}

/// A clip path for the plot rectangle, so out-of-range data and error bars stop at the axes.
func defineClip(_ w: inout SVGWriter, id: String, plot: PlotArea) {
    w.open("defs")
    w.open("clipPath", [("id", id)])
    w.element("rect", [("x", coord(plot.left)), ("y", coord(plot.top)), ("width", coord(plot.width)), ("height", coord(plot.height))])
    w.close("clipPath")
    w.close("defs")
}

/// Marker shapes cycle with series so overlapping series stay apart without colour.
enum MarkerShape: CaseIterable {
    case circle, square, triangle, diamond

    static func at(_ index: Int) -> MarkerShape { allCases[index % allCases.count] }

    func draw(_ w: inout SVGWriter, x: Double, y: Double, colour: String, radius r: Double = 3.5) {
        switch self {
        case .circle:
            w.element("circle", [("cx", coord(x)), ("cy", coord(y)), ("r", coord(r)), ("fill", colour)])
        case .square:
            w.element("rect", [("x", coord(x - r)), ("y", coord(y - r)), ("width", coord(2 * r)), ("height", coord(2 * r)), ("fill", colour)])
        case .triangle:
            let h = r * 1.25
            w.element(
                "path",
                [
                    ("d", "M\(coord(x)) \(coord(y - h))L\(coord(x + h)) \(coord(y + h * 0.8))L\(coord(x - h)) \(coord(y + h * 0.8))Z"),
                    ("fill", colour),
                ])
        case .diamond:
            let h = r * 1.3
            w.element(
                "path",
                [
                    ("d", "M\(coord(x)) \(coord(y - h))L\(coord(x + h)) \(coord(y))L\(coord(x)) \(coord(y + h))L\(coord(x - h)) \(coord(y))Z"),
                    ("fill", colour),
                ])
        }
    }
}

/// Dash patterns cycle with series (solid first).
func dashPattern(_ index: Int) -> String? {
    let patterns: [String?] = [nil, "6 3", "2 3", "8 3 2 3"]
    return patterns[index % patterns.count]
}

/// A vertical error bar with 4-unit caps from screen y `top` to `bottom` at screen x.
func drawVerticalErrorBar(_ w: inout SVGWriter, x: Double, top: Double, bottom: Double, colour: String) {
    w.element(
        "path",
        [
            (
                "d",
                "M\(coord(x)) \(coord(top))V\(coord(bottom))M\(coord(x - 4)) \(coord(top))H\(coord(x + 4))M\(coord(x - 4)) \(coord(bottom))H\(coord(x + 4))"
            ), ("stroke", colour), ("stroke-width", "1.5"), ("fill", "none"),
        ])
}

/// A horizontal error bar with caps from screen x `left` to `right` at screen y.
func drawHorizontalErrorBar(_ w: inout SVGWriter, y: Double, left: Double, right: Double, colour: String) {
    w.element(
        "path",
        [
            (
                "d",
                "M\(coord(left)) \(coord(y))H\(coord(right))M\(coord(left)) \(coord(y - 4))V\(coord(y + 4))M\(coord(right)) \(coord(y - 4))V\(coord(y + 4))"
            ), ("stroke", colour), ("stroke-width", "1.5"), ("fill", "none"),
        ])
}
