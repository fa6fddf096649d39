import ArgumentParser
import BatonSupport
import Foundation
import LabTraining

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a weight file against leads with known outcomes.",
        discussion: """
            AUC with DeLong 95 % CI, log loss, Brier, expected calibration error, calibration slope and \
            intercept, Hosmer–Lemeshow (10 groups) and a 10-band table with Wilson intervals, lift and \
            cumulative gain. The model's own spec rebuilds the terms; unseen levels go to Other (counted).
            """)

    @Option(help: "Weight file written by `baton fit`.") var model: String
    @Option(help: "CSV with the outcome column.") var data: String
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Print seconds per stage (read, encode, score, metrics) to standard error as one JSON line.")
    var timings = false

    func run() throws {
        FreedMemoryReuse.keepForBatchWork()
        runLab { () throws(LabError) in
            let weights = try CalibrationLab.loadModel(URL(fileURLWithPath: model))
            let run = try CalibrationLab.validate(model: weights, data: URL(fileURLWithPath: data))
            if timings { printTimings(run.timings) }
            if json { printJSON(LabReport.validationJSON(run)) } else { print(LabReport.validationSummary(run)) }
        }
    }
}
