import Foundation
import ScoringModelFormat

/// Writes a run's folder: `challenger.json`, `recommendation.json`, `comparison.json`,
/// `report.md` and `figures/*.svg`.
///
/// Everything is written into a hidden sibling folder first and renamed into place at the end,
/// so a failure never leaves a folder that looks complete. An existing output folder is replaced
/// only when asked (`--force`), only if it is an earlier run's, and only once the new one is
/// complete: last quarter's report is never lost by reusing a folder name by mistake.
package enum RecalibrationOutput {
    /// The files of a run folder, relative to it.
    package static let files = ["challenger.json", "recommendation.json", "comparison.json", "report.md"]

    /// Checks that `directory` may be written: absent, or an earlier run's with `replaceExisting`.
    /// `baton recalibrate` asks before fitting, so a refusal costs no wait.
    package static func checkTarget(_ directory: URL, replaceExisting: Bool) throws(RecalibrationError) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: directory.path) else { return }
        let earlierRun = fm.fileExists(atPath: directory.appendingPathComponent("recommendation.json").path)
        guard earlierRun && replaceExisting else { throw .outputExists(path: directory.path, earlierRun: earlierRun) }
    }

    package static func write(_ result: QuarterlyRecalibration.Result, to directory: URL, replaceExisting: Bool = false) throws(RecalibrationError) {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        func fail(_ url: URL, _ error: Error) -> RecalibrationError {
            try? fm.removeItem(at: staging)
            return .output(path: url.path, detail: "\(error)")
        }
        try checkTarget(directory, replaceExisting: replaceExisting)
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
            if let u = result.modelUpdating {
                try u.interceptUpdate.write(to: staging.appendingPathComponent(ModelUpdating.interceptFile))
                try u.recalibrated.write(to: staging.appendingPathComponent(ModelUpdating.recalibratedFile))
            }
            if !result.options.dataNotes.isEmpty {
                // Exported from the store: the rows the run used, so the report can be re-derived.
                try fm.copyItem(at: result.options.data, to: staging.appendingPathComponent("training.csv"))
            }
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
