import Foundation
import TestSupport
import Testing

/// `baton fit --stream` and the automatic choice of the fit path.
@Suite struct StreamingFitCLITests {
    static let leads = SharedData.projectRoot.appendingPathComponent("Datasets/leads_train.csv").path
    static let spec = SharedData.projectRoot.appendingPathComponent("Datasets/leads.spec.yaml").path

    func fit(_ extra: [String], data: String = leads) async throws -> (json: [String: Any], model: [String: Any], stderr: String) {
        let dir = try CLI.scratch()
        let model = dir.appendingPathComponent("model.json")
        let result = try await CLI.run(["fit", "--data", data, "--spec", Self.spec, "--out", model.path, "--json"] + extra)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let weights = try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any] ?? [:]
        return (try result.json(), weights, result.stderr)
    }

    func estimates(_ json: [String: Any]) -> [Double] {
        (json["terms"] as? [[String: Any]] ?? []).compactMap { $0["estimate"] as? Double }
    }

    @Test func streamFlagStreamsAndRecordsThePath() async throws {
        let memory = try await fit([])
        let stream = try await fit(["--stream", "--block-rows", "997"])
        #expect(memory.json["fit_path"] as? String == "in_memory")
        #expect(stream.json["fit_path"] as? String == "streaming")
        #expect(stream.json["block_rows"] as? Int == 997)
        #expect((stream.model["training"] as? [String: Any])?["fit_path"] as? String == "streaming")
        #expect((memory.model["training"] as? [String: Any])?["fit_path"] as? String == "in_memory")
        let a = estimates(memory.json), b = estimates(stream.json)
        #expect(a.count == 60 && a.count == b.count)
        for (x, y) in zip(a, b) { #expect(isClose(x, y, mixed: 1e-10)) }
    }

    @Test func aSmallBudgetChoosesStreamingAndSaysWhy() async throws {
        let small = try await fit(["--memory-budget", "1MiB", "--block-rows", "4000"])
        #expect(small.json["fit_path"] as? String == "streaming")
        let reason = small.json["fit_path_reason"] as? String ?? ""
        #expect(reason.contains("exceeds the memory budget 1.0 MiB"), "\(reason)")
        let estimate = try #require(small.json["memory_estimate_bytes"] as? Int)
        // 10 000 rows × 60 terms × 8 bytes is the design alone.
        #expect(estimate > 10_000 * 60 * 8 && estimate < 40_000_000)
        let large = try await fit(["--memory-budget", "4GiB"])
        #expect(large.json["fit_path"] as? String == "in_memory")
        #expect((large.json["fit_path_reason"] as? String ?? "").contains("within the memory budget 4.0 GiB"))
    }

    @Test func badOptionsAreUsageErrors() async throws {
        for options in [["--memory-budget", "lots"], ["--block-rows", "0"]] {
            let result = try await CLI.run(["fit", "--data", Self.leads, "--spec", Self.spec, "--out", "/tmp/x.json"] + options)
            #expect(result.exitCode == 64, "\(options): \(result.stderr)")
        }
    }

    @Test func aBadCellInALateBlockIsReportedWithItsLine() async throws {
        let dir = try CLI.scratch()
        var lines = try String(contentsOfFile: Self.leads, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[9_500] += ",extra"  // data row 9 500 is line 9 501
        let csv = dir.appendingPathComponent("bad.csv")
        try csv.write(lines.joined(separator: "\n") + "\n")
        let result = try await CLI.run([
            "fit", "--data", csv.path, "--spec", Self.spec, "--out", dir.appendingPathComponent("m.json").path,
            "--stream", "--block-rows", "100",
        ])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("bad.csv line 9501"), "\(result.stderr)")
    }

    /// Streaming memory does not grow with the rows; in-memory memory does. Peak RSS (VmHWM)
    /// of fits of 10 000 and 60 000 generated rows, as `--timings` reports it.
    @Test func streamingPeakMemoryDoesNotGrowWithRows() async throws {
        let dir = try CLI.scratch()
        func peak(_ data: URL, _ extra: [String]) async throws -> Int {
            let result = try await CLI.run(
                [
                    "fit", "--data", data.path, "--spec", Self.spec, "--out",
                    dir.appendingPathComponent("m.json").path, "--timings",
                ] + extra)
            #expect(result.exitCode == 0, "\(result.stderr)")
            let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("timings: ") } ?? ""
            let json = try JSONSerialization.jsonObject(with: Data(line.dropFirst("timings: ".count).utf8)) as? [String: Any]
            return try #require(json?["peak_rss_bytes"] as? Int)
        }
        var files: [URL] = []
        for rows in [10_000, 60_000] {
            let url = dir.appendingPathComponent("g\(rows).csv")
            let generated = try await CLI.run(["generate", "--rows", "\(rows)", "--seed", "1", "--out", url.path])
            #expect(generated.exitCode == 0, "\(generated.stderr)")
            files.append(url)
        }
        let streamSmall = try await peak(files[0], ["--stream", "--block-rows", "2000"])
        let streamLarge = try await peak(files[1], ["--stream", "--block-rows", "2000"])
        let memorySmall = try await peak(files[0], [])
        let memoryLarge = try await peak(files[1], [])
        // 50 000 more rows: in memory, the design's 16 dense columns (built over the table's
        // numbers since 222c94c, so no longer a second copy of them) and their row-major copy for
        // the passes grow by 50 000 × 16 × 8 × 2 = 12.8 MB (the 44 dummies are level codes); RSS
        // moves in 2 MiB huge pages, and under the whole suite it was seen to grow by 11.5 MB, so
        // the bound keeps a margin below 12.8 MB. The stream keeps 16 bytes per row for the
        // in-sample metrics (0.8 MB), one block, and the Newton start's subsample, which stops
        // growing at 16,384 rows (SubsampleStart: 10,000 rows of 60 terms held against 16,384 at
        // most, +3.1 MB): 3.9 MB, which RSS shows as two or three 2 MiB pages depending on where
        // the blocks fall (three, 6,291,456 bytes, was seen once on a loaded machine).
        #expect(memoryLarge - memorySmall > 8_000_000, "in memory: \(memorySmall) → \(memoryLarge)")
        #expect(streamLarge - streamSmall <= 3 * 2_097_152, "streaming: \(streamSmall) → \(streamLarge)")
        #expect(streamLarge < memoryLarge)
    }
}
