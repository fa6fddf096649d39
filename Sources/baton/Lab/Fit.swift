import ArgumentParser
import Foundation
import LabTraining
import ScoringModelFormat

extension FitMethod: ExpressibleByArgument {}

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit lead-scoring weights by logistic regression and write the weight file.",
        discussion: """
            Prints a statsmodels-like summary (or, with --json, one JSON object) and writes MODEL.json.
            Data whose in-memory fit would exceed --memory-budget is fitted by streaming: the CSV is \
            re-read in row blocks on every Newton pass, with memory bounded by the block size.
            """)

    @Option(help: "CSV of past leads with their outcome.") var data: String
    @Option(help: "Scoring spec (YAML) describing the outcome and the features.") var spec: String
    @Option(help: "Where to write the weight file.") var out: String
    @Option(help: "Override the spec's ridge penalty λ.") var penalty: Double?
    @Option(help: "Override the spec's estimation method: ml (maximum likelihood, with --penalty a ridge) or firth (Firth's penalised likelihood).")
    var method: FitMethod?
    @Flag(help: "Print one JSON object instead of the summary table.") var json = false
    @Flag(help: "Print seconds per stage (read, encode, fit, probabilities, metrics, hash, write) to standard error as one JSON line.")
    var timings = false
    @Flag(help: "Stream the data in row blocks whatever its size.") var stream = false
    @Option(help: "Rows per block when streaming (default 8192).") var blockRows: Int?
    @Option(help: "Memory the in-memory fit may use before baton streams instead (e.g. 4GiB, 512MiB; default half of physical memory).")
    var memoryBudget: String?

    func validate() throws {
        if let penalty, !(penalty >= 0 && penalty.isFinite) {
            throw ValidationError("--penalty must be a finite number ≥ 0 (got \(penalty))")
        }
        if let blockRows, blockRows < 1 {
            throw ValidationError("--block-rows must be at least 1 (got \(blockRows))")
        }
        if let memoryBudget, MemorySize.parse(memoryBudget) == nil {
            throw ValidationError("--memory-budget must be a size such as 4GiB, 512MiB or 1000000 (got \"\(memoryBudget)\")")
        }
    }

    func run() throws {
        runLab { () throws(LabError) in
            let dataURL = URL(fileURLWithPath: data), specURL = URL(fileURLWithPath: spec)
            // Before the size estimate reads either: a pipe would block it or lose its start.
            try CalibrationLab.requireFile(dataURL, role: "data")
            try CalibrationLab.requireFile(specURL, role: "spec")
            // The size check needs the spec's columns; a bad spec or file is reported by the fit itself.
            var choice: FitPathChoice?
            if !stream, let parsed = try? ScoringSpec.load(url: specURL) {
                let budget = memoryBudget.flatMap(MemorySize.parse) ?? MemorySize.defaultBudget()
                choice = try? FitPathChoice.estimate(data: dataURL, spec: parsed, budgetBytes: budget)
            }
            let streaming = stream || (choice?.streams ?? false)
            let run =
                streaming
                ? try CalibrationLab.fitStreaming(
                    data: dataURL, spec: specURL, penalty: penalty, method: method,
                    blockRows: blockRows ?? CalibrationLab.defaultBlockRows)
                : try CalibrationLab.fit(data: dataURL, spec: specURL, penalty: penalty, method: method)
            var stages = run.timings
            try stages.measure("write") { () throws(LabError) in
                try CalibrationLab.write(run.weightFile, to: URL(fileURLWithPath: out))
            }
            if timings {
                var extra: [String: JSONValue] = [
                    "newton_steps": .integer(Int64(run.fit.iterations)),
                    "fit_path": .string(run.path.description),
                ]
                if let peak = peakResidentBytes() { extra["peak_rss_bytes"] = .integer(Int64(peak)) }
                printTimings(stages, extra: extra)
            }
            let reason = pathReason(streaming: streaming, choice: choice)
            if json {
                guard case var .object(object) = LabReport.fitJSON(run, modelPath: out) else { return }
                object["fit_path_reason"] = .string(reason)
                if let choice {
                    object["memory_estimate_bytes"] = .integer(Int64(choice.estimatedBytes))
                    object["memory_budget_bytes"] = .integer(Int64(choice.budgetBytes))
                }
                if case let .streaming(rows) = run.path { object["block_rows"] = .integer(Int64(rows)) }
                printJSON(.object(object))
            } else {
                print(LabReport.fitSummary(run))
                print("\nFit path: \(run.path) (\(reason))")
                print("Weight file: \(out) (\(run.weightFile.format))")
            }
        }
    }

    func pathReason(streaming: Bool, choice: FitPathChoice?) -> String {
        let blocks = "blocks of \(blockRows ?? CalibrationLab.defaultBlockRows) rows"
        if stream { return "--stream, \(blocks)" }
        guard let choice else { return "in memory" }
        let estimate =
            "estimated in-memory footprint \(MemorySize.format(choice.estimatedBytes)) for ~\(choice.estimatedRows) rows × \(choice.estimatedColumns) terms"
        let budget = "memory budget \(MemorySize.format(choice.budgetBytes))"
        return streaming ? "\(estimate) exceeds the \(budget); \(blocks)" : "\(estimate) within the \(budget)"
    }
}

/// The process's peak resident set (`VmHWM` of /proc/self/status, Linux), for --timings.
func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
        return kib * 1024
    }
    return nil
}
