import Foundation
import ScoringModelFormat

/// Writes a run's folder: `challenger.json`, `recommendation.json`, `comparison.json`,
/// `report.md` and `figures/*.svg`.
///
/// Everything is written into a hidden sibling folder first and renamed into place at the end,
/// so a failure never leaves a folder that looks complete. An existing output folder is replaced
/// only once the new one is complete.
package enum RecalibrationOutput {
    /// The files of a run folder, relative to it.
    package static let files = ["challenger.json", "recommendation.json", "comparison.json", "report.md"]

    package static func write(_ result: QuarterlyRecalibration.Result, to directory: URL) throws(RecalibrationError) {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        func fail(_ url: URL, _ error: Error) -> RecalibrationError {
            try? fm.removeItem(at: staging)
            return .output(path: url.path, detail: "\(error)")
        }
        if fm.fileExists(atPath: directory.path),
            !fm.fileExists(atPath: directory.appendingPathComponent("recommendation.json").path)
        {
            throw .output(
                path: directory.path,
                detail: "it exists and is not the output of an earlier recalibration run, so it is left alone; choose a new --out")
        }
        do {
            try fm.createDirectory(at: staging.appendingPathComponent("figures"), withIntermediateDirectories: true)
        } catch { throw fail(directory, error) }
        do {
            try result.challenger.model.write(to: staging.appendingPathComponent("challenger.json"))
            try Data(CanonicalJSON.prettyBytes(ComparisonJSON.recommendation(result))).write(
                to: staging.appendingPathComponent("recommendation.json"))
            try Data(CanonicalJSON.prettyBytes(ComparisonJSON.comparison(result))).write(to: staging.appendingPathComponent("comparison.json"))
            let figures = ReportFigures.render(result)
            for (name, svg) in figures.files {
                try Data(svg.utf8).write(to: staging.appendingPathComponent("figures/\(name)"))
            }
            try Data(ReportMarkdown.render(result, figures: figures).utf8).write(to: staging.appendingPathComponent("report.md"))
        } catch { throw fail(staging, error) }
        do {
            if fm.fileExists(atPath: directory.path) {
                // Swap: the old folder is removed only after the new one is in place.
                let old = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(UUID().uuidString.prefix(8))")
                try fm.moveItem(at: directory, to: old)
                try fm.moveItem(at: staging, to: directory)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: directory)
            }
        } catch { throw fail(directory, error) }
    }
}
