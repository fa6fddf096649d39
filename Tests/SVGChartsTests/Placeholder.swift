import Testing
@testable import SVGCharts
