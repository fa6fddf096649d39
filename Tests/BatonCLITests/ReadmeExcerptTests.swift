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
}
