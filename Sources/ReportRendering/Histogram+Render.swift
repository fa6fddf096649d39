extension Histogram {
    /// Draws the chart as a standalone SVG document.
    ///
    /// Non-finite values are skipped, finite values outside explicit bin edges are left out; both are
    /// counted (``RenderedChart/skippedValueCount`` counts the non-finite ones) and reported in the footnote.
    /// - Throws: ``ChartError/noData(chart:)``, ``ChartError/noFiniteValues(chart:)``,
    ///   ``ChartError/invalidBinEdges(detail:)``, ``ChartError/invalidAxisRange(axis:lower:upper:)``,
    ///   ``ChartError/invalidCanvas(width:height:)``.
    package func render() throws(ChartError) -> RenderedChart {
        let canvas = try self.canvas.validated()
        let edges = try binEdges()
        let binned = series.map { Self.bin($0, edges: edges) }
        let skipped = binned.reduce(0) { $0 + $1.nonFinite }
        let outside = binned.reduce(0) { $0 + $1.outOfRange }
        guard binned.contains(where: { $0.counts.contains { $0 > 0 } }) || outside > 0 else {
            throw .noFiniteValues(chart: chartName)
        }
        let heights = binned.map { self.heights(of: $0, edges: edges) }
        let top = heights.joined().max() ?? 0
        let xScale = try xAxis.scale(dataMinimum: edges[0], dataMaximum: edges[edges.count - 1], name: "x")
        let yAxis = ChartAxis(label: yAxisLabel ?? defaultYLabel, lower: 0, upper: nil, tickFormat: .number)
        let yScale = try yAxis.scale(dataMinimum: 0, dataMaximum: top > 0 ? top : 1, name: "y")

        var notes = [footnote, skippedNote(skipped)].compactMap { $0 }
        if outside > 0 {
            notes.append(outside == 1 ? "1 value outside the bins not plotted." : "\(outside) values outside the bins not plotted.")
        }
        let frame = ChartFrame(
            canvas: canvas, identifier: sanitizedIdentifier(identifier), title: title, subtitle: subtitle,
            legend: series.count > 1
                ? series.enumerated().map { LegendEntry(name: $1.name, colour: ChartPalette.colour(at: $0), symbol: .swatch) } : [],
            notes: notes, leftLabelWidth: tickLabelWidth(axis: yAxis, scale: yScale, fontSize: canvas.fontSize),
            bottomLabelHeight: canvas.fontSize + 2, hasLeftTitle: !yAxis.label.isEmpty, hasBottomTitle: !xAxis.label.isEmpty)
        let plot = frame.plotArea
        let clipID = "\(frame.identifier)-plot"
        let px = { (x: Double) in xScale.position(of: x, from: plot.left, to: plot.right) }
        let py = { (y: Double) in yScale.position(of: y, from: plot.bottom, to: plot.top) }

        var w = SVGWriter()
        frame.begin(&w)
        defineClip(&w, id: clipID, plot: plot)
        drawNumericAxis(&w, axis: xAxis, scale: xScale, side: .bottom, plot: plot, fontSize: canvas.fontSize)
        drawNumericAxis(&w, axis: yAxis, scale: yScale, side: .left, plot: plot, fontSize: canvas.fontSize)
        w.open("g", [("clip-path", "url(#\(clipID))")])
        for (index, bins) in heights.enumerated() {
            let colour = ChartPalette.colour(at: index)
            // One closed step outline per series: up and across each bin, back down to zero at the end.
            var d = "M\(coord(px(edges[0]))) \(coord(py(0)))"
            for (bin, height) in bins.enumerated() {
                d += "V\(coord(py(height)))H\(coord(px(edges[bin + 1])))"
            }
            d += "V\(coord(py(0)))Z"
            w.element(
                "path",
                [
                    ("class", "series"), ("data-series", series[index].name), ("d", d), ("fill", colour), ("fill-opacity", "0.3"), ("stroke", colour),
                    ("stroke-width", "1.5"),
                ])
        }
        w.close("g")
        drawPlotAxes(&w, plot: plot)
        frame.axisTitles(&w, plot: plot, bottom: xAxis.label, left: yAxis.label)
        frame.end(&w)
        return RenderedChart(svg: w.text, skippedValueCount: skipped, notes: notes)
    }

    private var defaultYLabel: String {
        switch scale {
        case .count: return "Count"
        case .proportion: return "Proportion"
        case .density: return "Density"
        }
    }

    /// Bar heights in the chosen scale; an empty series has all-zero heights.
    private func heights(of binned: BinnedSeries, edges: [Double]) -> [Double] {
        let total = Double(binned.counts.reduce(0, +))
        return binned.counts.enumerated().map { bin, count in
            switch scale {
            case .count: return Double(count)
            case .proportion: return total > 0 ? Double(count) / total : 0
            case .density: return total > 0 ? Double(count) / total / (edges[bin + 1] - edges[bin]) : 0
            }
        }
    }
}
