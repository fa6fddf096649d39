// Micro-benchmarks of Baton's kernels (ordo-one/benchmark). Built only with BATON_BENCHMARKS set:
//   BATON_BENCHMARKS=1 swift package benchmark --target BatonKernels
// See Benchmarks/README.md.
import Benchmark
import Foundation
import LabNumerics
import LabTraining
import LeadCSV
import ScoringModelFormat
import Simulation

/// Synthetic leads (the `baton generate` generator), written once per process.
private struct Inputs: @unchecked Sendable {
    let csvBytes: Data
    let training: TrainingData
    /// The training design spelled out as a plain matrix, for the pass benchmarks that compare
    /// the level, detected and dense paths on one X.
    let matrix: DesignMatrix

    static let shared: Inputs = {
        let rows = Int(ProcessInfo.processInfo.environment["BATON_BENCH_ROWS"] ?? "") ?? 100_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-kernels-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let csv = directory.appendingPathComponent("leads.csv")
        do {
            _ = try SyntheticLeads.write(rows: rows, seed: 20_240_601, to: csv)
            let spec = try ScoringSpec.parse(yaml: SyntheticLeads.specYAML, file: "leads.spec.yaml")
            let training = try TrainingData.load(csv: csv, spec: spec)
            return Inputs(csvBytes: try Data(contentsOf: csv), training: training, matrix: training.design.materialized())
        } catch {
            fatalError("could not prepare benchmark inputs: \(error)")
        }
    }()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10), maxIterations: 30)

    let columns = EncodingLearner.columnRequests(
        for: (try? ScoringSpec.parse(yaml: SyntheticLeads.specYAML, file: "leads.spec.yaml")) ?? fatalSpec(), includeIdAndTime: true)

    // CSV parse: every column the fit reads, from bytes in memory. MB/s = bytes / wall time.
    Benchmark(
        "CSV parse (fit columns), MB/s",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)])
    ) { benchmark in
        let bytes = Inputs.shared.csvBytes
        benchmark.startMeasurement()
        let start = DispatchTime.now().uptimeNanoseconds
        let table = try LeadTableReader.read(data: bytes, file: "leads.csv", columns: columns)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        benchmark.stopMeasurement()
        blackHole(table.rowCount)
        benchmark.measurement(
            .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false),
            Int(Double(bytes.count) / 1e6 / seconds))
    }

    // One Newton pass (η, weights, score and XᵀWX) at the intercept-only start, as the fit runs it:
    // one-hot features as the encoder hands them over, detected in X, or every column dense.
    for (label, exploit, given) in [
        ("one-hot from the encoder", true, true), ("one-hot detected", true, false),
        ("dense dsyrk", false, false),
    ] {
        Benchmark("Newton pass XᵀWX, \(label)") { benchmark in
            let data = Inputs.shared.training
            var beta = [Double](repeating: 0, count: data.design.columns)
            beta[0] = -2
            LogisticRegression.withNewtonPass(
                Inputs.shared.matrix, outcomes: data.outcome, exploitIndicators: exploit,
                oneHot: given ? data.design.oneHot : []
            ) { pass in
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations { blackHole(pass.evaluate(at: beta)) }
                benchmark.stopMeasurement()
            }
        }
    }

    // One Newton step through the fit `baton fit` runs (the coded design): checks, the level
    // layout, one pass, Cholesky solve, the step's pass.
    Benchmark("Newton step (fit capped at 1 iteration)") { benchmark in
        let data = Inputs.shared.training
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? LogisticRegression.fit(data.design, outcomes: data.outcome, options: .init(maxIterations: 1)))
        }
        benchmark.stopMeasurement()
    }
}

private func fatalSpec() -> ScoringSpec { fatalError("SyntheticLeads.specYAML does not parse") }
