import Foundation
import TestSupport
import Testing

/// `baton recalibrate` on bad input: exit 65, a message that says what to change, and no output
/// folder (nor a half-written sibling) left behind.
@Suite struct RecalibrateBadInputTests {
    let dir: URL
    init() throws { dir = try CLI.scratch() }

    let spec = """
        outcome: {column: won, positive: ["1"]}
        time: created
        features:
          - {column: visits, type: numeric, transform: log1p}
          - {column: source, type: categorical}
        """

    /// `perQuarter` leads in each quarter of 2024 and 2025Q1–Q2, outcomes overlapping.
    func rows(
        perQuarter: Int = 200, won: (Int, Int) -> Bool = { i, _ in (i * 7) % 5 < 2 },
        time: (Int, Int) -> String = { i, q in
            let month = 1 + 3 * (q % 4)
            let day = 1 + i % 28
            return "\(2024 + q / 4)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T10:00:00Z"
        }
    ) -> String {
        var lines = ["created,visits,source,won"]
        let sources = ["ads", "event", "web"]
        for q in 0..<6 {
            for i in 0..<perQuarter {
                lines.append("\(time(i, q)),\((i * 3 + q) % 9),\(sources[(i + q) % 3]),\(won(i, q) ? 1 : 0)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func run(data: String, spec: String? = nil, extra: [String] = []) async throws -> (CLIResult, URL) {
        let dataURL = dir.appendingPathComponent("leads.csv"), specURL = dir.appendingPathComponent("spec.yaml")
        try dataURL.write(data)
        try specURL.write(spec ?? self.spec)
        let out = dir.appendingPathComponent("out")
        let result = try await CLI.run(
            [
                "recalibrate", "--data", dataURL.path, "--spec", specURL.path, "--as-of", "2025-10-01",
                "--out", out.path, "--min-outcomes-per-term", "10",
            ] + extra)
        return (result, out)
    }

    func expectNothingWritten(_ out: URL) throws {
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".out") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// Issue 21: a second run into the same folder used to replace last quarter's report without
    /// a word; now it is refused before the fit unless `--force`, and the earlier run is untouched.
    @Test func anEarlierRunIsReplacedOnlyWithForce() async throws {
        let (first, out) = try await run(data: rows())
        try #require(first.exitCode == 0, "\(first.stderr)")
        let report = out.appendingPathComponent("report.md")
        try "last quarter's report\n".write(to: report, atomically: true, encoding: .utf8)
        let (again, _) = try await run(data: rows())
        #expect(again.exitCode == 73 && again.stderr.contains("--force") && again.stderr.contains(out.path), "\(again.stderr)")
        #expect(try String(contentsOf: report, encoding: .utf8) == "last quarter's report\n", "the earlier run is kept")
        let (forced, _) = try await run(data: rows(), extra: ["--force"])
        #expect(forced.exitCode == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: report, encoding: .utf8).hasPrefix("#"), "replaced by the new report")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".out") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func goodSmallRunWritesTheFolder() async throws {
        let (result, out) = try await run(data: rows())
        #expect(result.exitCode == 0, "\(result.stderr)")
        for file in ["challenger.json", "recommendation.json", "comparison.json", "report.md"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test func unparsableTimeNamesFileLineAndColumn() async throws {
        let (result, out) = try await run(data: rows().replacingOccurrences(of: "2024-04-03T10:00:00Z", with: "04/03/2024"))
        #expect(result.exitCode == 65)
        // Header is line 1; the first 200 rows are Q1, so the first April 3rd row is on line 204.
        #expect(result.stderr.contains("leads.csv line 204, column \"created\": \"04/03/2024\" is not an ISO 8601 date"), "\(result.stderr)")
        try expectNothingWritten(out)
    }

    @Test func tooFewMaturedOutcomesSaysTheMinimum() async throws {
        let (result, out) = try await run(data: rows(perQuarter: 20))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("the test window (test quarter 2025Q2, 2025-04-01 … 2025-06-30) has 20 matured leads"), "\(result.stderr)")
        #expect(result.stderr.contains("at least 30 of each are needed") && result.stderr.contains("later --as-of"))
        try expectNothingWritten(out)
    }

    @Test func noPositivesInTheTestQuarter() async throws {
        let (result, out) = try await run(data: rows(won: { i, q in q == 5 ? false : (i * 7) % 5 < 2 }))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("none of the 200 leads of the test quarter 2025Q2 has \"won\" in \"1\""), "\(result.stderr)")
        try expectNothingWritten(out)
    }

    @Test func championForOtherColumnsIsRejected() async throws {
        // A champion fitted with a column this data does not have.
        let otherSpec = spec.replacingOccurrences(of: "source", with: "channel")
        let otherData = rows().replacingOccurrences(of: "created,visits,source,won", with: "created,visits,channel,won")
        let (first, firstOut) = try await run(data: otherData, spec: otherSpec)
        try #require(first.exitCode == 0, "\(first.stderr)")
        let champion = dir.appendingPathComponent("champion.json")
        try FileManager.default.copyItem(at: firstOut.appendingPathComponent("challenger.json"), to: champion)
        try FileManager.default.removeItem(at: firstOut)
        let (result, out) = try await run(data: rows(), extra: ["--champion", champion.path])
        #expect(result.exitCode == 65)
        #expect(
            result.stderr.contains("does not match the data or the spec: it uses column \"channel\", which leads.csv does not have"),
            "\(result.stderr)")
        try expectNothingWritten(out)
    }

    @Test func championForAnotherOutcomeIsRejected() async throws {
        let (first, firstOut) = try await run(data: rows())
        try #require(first.exitCode == 0, "\(first.stderr)")
        let champion = dir.appendingPathComponent("champion.json")
        try FileManager.default.copyItem(at: firstOut.appendingPathComponent("challenger.json"), to: champion)
        try FileManager.default.removeItem(at: firstOut)
        let (result, out) = try await run(
            data: rows().replacingOccurrences(of: ",1\n", with: ",yes\n"),
            spec: spec.replacingOccurrences(of: "[\"1\"]", with: "[\"yes\"]"),
            extra: ["--champion", champion.path])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("it was fitted for outcome \"won\" in [\"1\"], the spec says \"won\" in [\"yes\"]"), "\(result.stderr)")
        try expectNothingWritten(out)
    }

    @Test func specWithoutTimeColumn() async throws {
        let (result, out) = try await run(data: rows(), spec: spec.replacingOccurrences(of: "time: created\n", with: ""))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("names no `time` column"), "\(result.stderr)")
        try expectNothingWritten(out)
    }

    @Test func unreachableConversionTarget() async throws {
        let (result, out) = try await run(data: rows(), extra: ["--target-conversion", "0.99"])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("lower --target-conversion"), "\(result.stderr)")
        try expectNothingWritten(out)
    }

    @Test func badAsOfIsAUsageError() async throws {
        let dataURL = dir.appendingPathComponent("leads.csv")
        try dataURL.write(rows())
        let result = try await CLI.run(["recalibrate", "--data", dataURL.path, "--spec", dataURL.path, "--as-of", "2025-13-01", "--out", "x"])
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("--as-of must be a date YYYY-MM-DD"))
    }
}

/// Where the output goes: never half-written, never over a folder that is not a run folder.
@Suite struct RecalibrateOutputTests {

    @Test func asOfPastTheDataSaysSo() async throws {
        let t = try RecalibrateBadInputTests()
        let dataURL = t.dir.appendingPathComponent("leads.csv"), specURL = t.dir.appendingPathComponent("spec.yaml")
        try dataURL.write(t.rows())
        try specURL.write(t.spec)
        let out = t.dir.appendingPathComponent("out")
        let result = try await CLI.run(["recalibrate", "--data", dataURL.path, "--spec", specURL.path, "--as-of", "2027-01-01", "--out", out.path])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("has 0 matured leads") && result.stderr.contains("latest lead was created on 2025-04-28"), "\(result.stderr)")
        try t.expectNothingWritten(out)
    }

    @Test func refusesToReplaceAFolderThatIsNotARun() async throws {
        let t = try RecalibrateBadInputTests()
        let out = t.dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try out.appendingPathComponent("notes.txt").write("mine")
        let (result, _) = try await t.run(data: t.rows(), extra: ["--force"])
        #expect(result.exitCode == 73, "EX_CANTCREAT, even with --force")
        #expect(result.stderr.contains("is not the output of an earlier recalibration run"), "\(result.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.dir.path).filter { $0.hasPrefix(".out") }.isEmpty)
    }

    @Test func rerunReplacesTheEarlierRun() async throws {
        let t = try RecalibrateBadInputTests()
        let (first, out) = try await t.run(data: t.rows())
        try #require(first.exitCode == 0, "\(first.stderr)")
        try out.appendingPathComponent("stale.txt").write("old")
        let (second, _) = try await t.run(data: t.rows(), extra: ["--capacity-per-week", "20", "--force"])
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("stale.txt").path))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("capacity 20 leads per week"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.dir.path).filter { $0.hasPrefix(".out") }.isEmpty)
    }

    @Test func unseenLevelsInTheTestQuarterAreScoredAndNoted() async throws {
        let t = try RecalibrateBadInputTests()
        // "partner" appears only in 2025Q2: the challenger never saw it.
        var lines = t.rows().split(separator: "\n").map(String.init)
        for index in lines.indices where lines[index].hasPrefix("2025-04-0") {
            lines[index] = lines[index].replacingOccurrences(of: ",ads,", with: ",partner,")
        }
        let (result, out) = try await t.run(data: lines.joined(separator: "\n") + "\n")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("of \"source\" had levels the model never saw (1 distinct) and were scored as ads"), "\(report.prefix(3000))")
    }
}
