import BatonSupport

/// How a series is drawn in the legend.
enum LegendSymbol {
    case line(dash: String?, marker: MarkerShape?)
    case swatch
}

struct LegendEntry {
    let name: String
    let colour: String
    let symbol: LegendSymbol
}

/// The plot rectangle in SVG user units (y grows downward).
struct PlotArea {
    let left: Double
    let top: Double
    let width: Double
    let height: Double
    var right: Double { left + width }
    var bottom: Double { top + height }
}

/// Title, legend, footnote and the gutters around the plot: everything every chart shares.
struct ChartFrame {
    let canvas: ChartCanvas
    let identifier: String
    let title: String
    let subtitle: String?
    let legend: [LegendEntry]
    let notes: [String]
    /// Width reserved left of the plot for tick labels (category names for horizontal bars).
    let leftLabelWidth: Double
    /// Height reserved below the plot for tick labels (rotated category names for vertical bars).
    let bottomLabelHeight: Double
    let hasLeftTitle: Bool
    let hasBottomTitle: Bool

    var fontSize: Double { canvas.fontSize }
    var titleSize: Double { fontSize * 1.35 }
    var axisTitleSize: Double { fontSize * 1.1 }
    var noteSize: Double { fontSize * 0.92 }
    var legendRowHeight: Double { fontSize * 1.7 }
    var noteLineHeight: Double { noteSize * 1.35 }

    var noteLines: [String] {
        let characters = max(20, ((canvas.width - 24) / (noteSize * 0.55)).clampedInt(.towardZero, in: 0...100_000))
        return notes.flatMap { wrapped($0, width: characters) }
    }

    /// Legend entries grouped into rows that fit the canvas width.
    var legendRows: [[(entry: LegendEntry, x: Double)]] {
        var rows: [[(entry: LegendEntry, x: Double)]] = []
        var row: [(entry: LegendEntry, x: Double)] = []
        let start = 12.0
        var x = start
        for entry in legend {
            let width = 30 + estimatedTextWidth(entry.name, fontSize: fontSize) + 16
            if !row.isEmpty, x + width > canvas.width - 12 {
                rows.append(row)
                row = []
                x = start
            }
            row.append((entry, x))
            x += width
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    var plotArea: PlotArea {
        var top = 12.0
        if !title.isEmpty { top += titleSize * 1.2 }
        if subtitle != nil { top += fontSize * 1.35 }
        top += fontSize * 0.9
        var bottom = canvas.height - 10
        bottom -= Double(noteLines.count) * noteLineHeight
        bottom -= Double(legendRows.count) * legendRowHeight
        if hasBottomTitle { bottom -= axisTitleSize * 1.6 }
        bottom -= bottomLabelHeight + fontSize * 0.6
        var left = 12 + leftLabelWidth + 8
        if hasLeftTitle { left += axisTitleSize * 1.5 }
        let right = canvas.width - 20
        // A crowded canvas still gets a visible plot; text may overlap, numbers stay finite.
        return PlotArea(left: left, top: top, width: max(40, right - left), height: max(40, bottom - top))
    }

    func begin(_ w: inout SVGWriter) {
        let titleID = "\(identifier)-title", descID = "\(identifier)-desc"
        w.text += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        w.open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("viewBox", "0 0 \(coord(canvas.width)) \(coord(canvas.height))"),
                ("width", coord(canvas.width)), ("height", coord(canvas.height)),
                ("role", "img"), ("aria-labelledby", "\(titleID) \(descID)"),
                ("font-family", "sans-serif"), ("font-size", coord(fontSize)), ("fill", ChartPalette.ink),
            ])
        w.element("title", [("id", titleID)], content: title)
        w.element("desc", [("id", descID)], content: ([subtitle].compactMap { $0 } + notes).joined(separator: " "))
        w.element("rect", [("x", "0"), ("y", "0"), ("width", coord(canvas.width)), ("height", coord(canvas.height)), ("fill", "#FFFFFF")])
        var y = 12.0
        if !title.isEmpty {
            y += titleSize
            w.element("text", [("x", "12"), ("y", coord(y)), ("font-size", coord(titleSize)), ("font-weight", "bold")], content: title)
            y += titleSize * 0.2
        }
        if let subtitle {
            y += fontSize * 1.35
            w.element("text", [("x", "12"), ("y", coord(y)), ("fill", ChartPalette.muted)], content: subtitle)
        }
    }

    /// Axis titles: `bottom` centred under the plot, `left` rotated along the plot's left side.
    func axisTitles(_ w: inout SVGWriter, plot: PlotArea, bottom: String?, left: String?) {
        if let bottom, !bottom.isEmpty {
            let y = plot.bottom + bottomLabelHeight + fontSize * 0.6 + axisTitleSize * 1.2
            w.element(
                "text", [("x", coord(plot.left + plot.width / 2)), ("y", coord(y)), ("text-anchor", "middle"), ("font-size", coord(axisTitleSize))],
                content: bottom)
        }
        if let left, !left.isEmpty {
            let x = 12 + axisTitleSize
            let y = plot.top + plot.height / 2
            w.element(
                "text",
                [
                    ("x", coord(x)), ("y", coord(y)), ("text-anchor", "middle"), ("font-size", coord(axisTitleSize)),
                    ("transform", "rotate(-90 \(coord(x)) \(coord(y)))"),
                ], content: left)
        }
    }

    func end(_ w: inout SVGWriter) {
        let rows = legendRows
        var y = canvas.height - 10 - Double(noteLines.count) * noteLineHeight - Double(rows.count) * legendRowHeight
        if !rows.isEmpty {
            w.open("g", [("class", "legend")])
            for row in rows {
                let mid = y + legendRowHeight / 2
                for (entry, x) in row {
                    switch entry.symbol {
                    case .swatch:
                        w.element(
                            "rect",
                            [
                                ("x", coord(x)), ("y", coord(mid - 6)), ("width", "22"), ("height", "12"), ("fill", entry.colour),
                                ("fill-opacity", "0.55"), ("stroke", entry.colour),
                            ])
                    case .line(let dash, let marker):
                        var attributes = [
                            ("x1", coord(x)), ("y1", coord(mid)), ("x2", coord(x + 22)), ("y2", coord(mid)), ("stroke", entry.colour),
                            ("stroke-width", "2"),
                        ]
                        if let dash { attributes.append(("stroke-dasharray", dash)) }
                        w.element("line", attributes)
                        if let marker { marker.draw(&w, x: x + 11, y: mid, colour: entry.colour) }
                    }
                    w.element("text", [("x", coord(x + 28)), ("y", coord(mid + fontSize * 0.35))], content: entry.name)
                }
                y += legendRowHeight
            }
            w.close("g")
        }
        if !noteLines.isEmpty {
            w.open("g", [("class", "footnote"), ("font-size", coord(noteSize)), ("fill", ChartPalette.muted)])
            for line in noteLines {
                y += noteLineHeight
                w.element("text", [("x", "12"), ("y", coord(y - noteSize * 0.3))], content: line)
            }
            w.close("g")
        }
        w.close("svg")
    }
}

/// The footnote sentence for skipped values (NaN or ±∞), or nil when none were skipped.
func skippedNote(_ count: Int, what: String = "value") -> String? {
    guard count > 0 else { return nil }
    // Worded without "NaN" so that a search for NaN in the SVG finds only real mistakes.
    return count == 1 ? "1 non-finite \(what) not plotted." : "\(count) non-finite \(what)s not plotted."
}
