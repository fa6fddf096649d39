import ArgumentParser
import Foundation
import LabTraining
import ScoringModelFormat

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit lead-scoring weights by logistic regression and write the weight file.",
        discussion: "Prints a statsmodels-like summary (or, with --json, one JSON object) and writes MODEL.json.")

    @Option(help: "CSV of past leads with their outcome.") var data: String
    @Option(help: "Scoring spec (YAML) describing the outcome and the features.") var spec: String
    @Option(help: "Where to write the weight file.") var out: String
    @Option(help: "Override the spec's ridge penalty λ.") var penalty: Double?
    @Flag(help: "Print one JSON object instead of the summary table.") var json = false
    @Flag(help: "Print seconds per stage (read, encode, fit, probabilities, metrics, hash, write) to standard error as one JSON line.")
    var timings = false

    func validate() throws {
        if let penalty, !(penalty >= 0 && penalty.isFinite) {
            throw ValidationError("--penalty must be a finite number ≥ 0 (got \(penalty))")
        }
    }

    func run() throws {
        try runLab { () throws(LabError) in
            let run = try CalibrationLab.fit(data: URL(fileURLWithPath: data), spec: URL(fileURLWithPath: spec),
                                             penalty: penalty)
            var stages = run.timings
            try stages.measure("write") { () throws(LabError) in
                try CalibrationLab.write(run.weightFile, to: URL(fileURLWithPath: out))
            }
            if timings { printTimings(stages, extra: ["newton_steps": .integer(Int64(run.fit.iterations))]) }
            if json {
                printJSON(LabReport.fitJSON(run, modelPath: out))
            } else {
                print(LabReport.fitSummary(run))
                print("\nWeight file: \(out) (\(WeightFile.currentFormat))")
            }
        }
    }
}
