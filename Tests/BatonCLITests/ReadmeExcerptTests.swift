import Foundation
import TestSupport
import Testing

/// The README quotes what `scripts/lab.sh` prints for the bundled data set; every quoted line
/// must be a line of a real `baton fit` + `baton validate` run on that data, so the figures
/// cannot go stale when the fit or the summary changes.
@Suite struct ReadmeExcerptTests {
    /// The lines of the first fenced block after `### What \`scripts/lab.sh\` shows`, without `...`.
    static func quotedLines() throws -> [String] {
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let section = readme.range(of: "### What `scripts/lab.sh` shows"),
            let open = readme.range(of: "```\n", range: section.upperBound..<readme.endIndex),
            let close = readme.range(of: "```\n", range: open.upperBound..<readme.endIndex)
        else { throw SharedDataError("README.md has no fenced block under \"What `scripts/lab.sh` shows\"") }
        return readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { $0 != "..." && !$0.isEmpty }
    }

    @Test func everyQuotedLineIsPrintedByARealRun() throws {
        let quoted = try Self.quotedLines()
        try #require(quoted.count >= 10, "the excerpt is unexpectedly short: \(quoted)")
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = SharedData.projectRoot.appendingPathComponent("Datasets")
        let model = dir.appendingPathComponent("model.json").path
        let fit = try CLI.run([
            "fit", "--data", data.appendingPathComponent("leads_train.csv").path,
            "--spec", data.appendingPathComponent("leads.spec.yaml").path, "--out", model,
        ])
        try #require(fit.exitCode == 0, "\(fit.stderr)")
        let validate = try CLI.run(["validate", "--model", model, "--data", data.appendingPathComponent("leads_holdout.csv").path])
        try #require(validate.exitCode == 0, "\(validate.stderr)")
        let printed = Set((fit.stdout + "\n" + validate.stdout).split(separator: "\n").map(String.init))
        for line in quoted {
            #expect(printed.contains(line), "README.md quotes a line the lab does not print: \(line)")
        }
    }

    /// The closed-loop section quotes the quarter review of `scripts/lab.sh`'s demo ("the demo of
    /// …", every "…" after it): rebuilt here as lab.sh builds it, each quote must be text of its report.md.
    @Test func quarterReviewQuotesAreARealRun() throws {
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "the demo of `scripts/lab.sh`"), "README.md lost its quarter-review quote")
        let end = try #require(readme.range(of: "\n\n", range: start.upperBound..<readme.endIndex))
        let paragraph = readme[start.upperBound..<end.lowerBound].replacingOccurrences(of: "\n", with: " ")
        let quotes = paragraph.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
            String($0.element)
        }
        try #require(quotes.count >= 2, "expected the speed verdict and a disposition note: \(quotes)")

        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = SharedData.projectRoot.appendingPathComponent("Datasets")
        let model = dir.appendingPathComponent("model.json").path, playbook = data.appendingPathComponent("playbook.yaml").path
        let steps: [[String]] = [
            [
                "fit", "--data", data.appendingPathComponent("leads_train.csv").path, "--spec", data.appendingPathComponent("leads.spec.yaml").path,
                "--out", model,
            ],
            [
                "generate", "--rows", "400", "--seed", "2026", "--quarters", "1", "--events", "demo_events.jsonl", "--model", model, "--playbook",
                playbook,
            ],
            ["handoff", "replay", "--events", "demo_events.jsonl", "--playbook", playbook, "--model", model, "--db", "handoff.sqlite"],
            [
                "review", "period", "--db", "handoff.sqlite", "--from", "2023-01-01", "--to", "2023-03-31", "--out", "review-2023-Q1", "--as-of",
                "2024-01-01T00:00:00Z",
            ],
        ]
        for step in steps {
            let result = try CLI.run(step, in: dir)
            try #require(result.exitCode == 0, "\(step[0]): \(result.stderr)")
        }
        let report = try String(contentsOf: dir.appendingPathComponent("review-2023-Q1/report.md"), encoding: .utf8)
        for quote in quotes {
            #expect(report.contains(quote), "README.md quotes what the lab's quarter review does not say: \(quote)")
        }
    }
}
