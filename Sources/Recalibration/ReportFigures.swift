/// The report's SVG figures, by file name.
enum ReportFigures {
    static func render(_ result: Recalibration.Result) -> [(name: String, svg: String)] {
        []
    }
}
