import Foundation
import TestSupport
import Testing

/// Every script under `Benchmarks/` runs once in its tiny smoke mode (`--smoke`: a thousand rows
/// or a few hundred events, one run, with the built debug binary), so none can rot unnoticed:
/// each must exit 0 and print what its full run prints. No time is checked.
///
/// The side-by-side harness needs pandas, scikit-learn, statsmodels and scipy: they come from the
/// test suite's Python environment (`PythonTooling.venv`), as other reference checks do.
@Suite(.serialized) struct BenchmarkSmokeTests {
    /// Runs `bash script --smoke` from the repository root off the cooperative pool, with the
    /// binary under test; a run over 15 minutes is killed (a hung server must not hang the suite).
    static func smoke(_ script: String, environment extra: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let root = SharedData.projectRoot
        var environment = ProcessInfo.processInfo.environment
        environment["BATON_BIN"] = CLI.executable.path
        for (key, value) in extra { environment[key] = value }
        let frozen = environment
        return try await BlockingWork.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["--signal=KILL", "900", "/bin/bash", root.appendingPathComponent(script).path, "--smoke"]
            process.currentDirectoryURL = root
            process.environment = frozen
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    @Test func loadTestRunsAgainstTheService() async throws {
        let run = try await Self.smoke("Benchmarks/load/run.sh")
        #expect(run.status == 0, "\(run.output.suffix(3000))")
        #expect(run.output.contains("load smoke run: "), "\(run.output.suffix(2000))")
        #expect(run.output.contains("\"scored_events_per_second\""))
    }

    @Test func streamingComparisonFitsBothWays() async throws {
        let run = try await Self.smoke("Benchmarks/streaming.sh")
        #expect(run.status == 0, "\(run.output.suffix(3000))")
        #expect(run.output.contains("in_memory wall_s=") && run.output.contains("streaming wall_s="), "\(run.output.suffix(2000))")
        #expect(run.output.contains("max |Δβ|/max(1,|β|) ="))
    }

    @Test func sideBySideHarnessChecksAndTimesEveryCase() async throws {
        let python = try await BlockingWork.run {
            try PythonTooling.venv(packages: ["pandas", "scikit-learn", "statsmodels", "scipy", "pyyaml"])
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            Issue.record("/usr/bin/time is missing: scripts/setup.sh installs it (Debian package `time`)")
            return
        }
        let run = try await Self.smoke("Benchmarks/run.sh", environment: ["BATON_BENCH_PYTHON": python.path])
        #expect(run.status == 0, "\(run.output.suffix(3000))")
        for line in ["coefficients agree", "metrics agree", "scores agree with predict_proba", "| end to end n=1000 | baton |"] {
            #expect(run.output.contains(line), "no '\(line)' in: \(run.output.suffix(2000))")
        }
    }
}
