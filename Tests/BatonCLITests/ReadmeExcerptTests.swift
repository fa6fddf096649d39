import Foundation
import ScoringModelFormat
import TestSupport
import Testing

/// The README quotes what `scripts/lab.sh` prints for the bundled data set; every quoted line
/// must be a line of a real `baton fit` + `baton validate` run on that data, and every figure the
/// prose around it gives (rows, terms, wins, the held-out slope) must be that run's, so the figures
/// cannot go stale when the data, the fit or the summary changes.
@Suite struct ReadmeExcerptTests {
    static let section = "### What `scripts/lab.sh` shows"

    /// The README text from the lab section to the next `## ` heading.
    static func sectionText() throws -> String {
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: section) else { throw SharedDataError("README.md has no \"\(section)\" section") }
        let end = readme.range(of: "\n## ", range: start.upperBound..<readme.endIndex)?.lowerBound ?? readme.endIndex
        return String(readme[start.upperBound..<end])
    }

    /// The lines of the first fenced block after the section heading, without `...`.
    static func quotedLines() async throws -> [String] {
        let text = try sectionText()
        guard let open = text.range(of: "```\n"), let close = text.range(of: "```\n", range: open.upperBound..<text.endIndex) else {
            throw SharedDataError("README.md has no fenced block under \"\(section)\"")
        }
        return text[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { $0 != "..." && !$0.isEmpty }
    }

    /// What `baton fit` and `baton validate` print on the bundled data, run once for the suite.
    struct LabRun: Sendable {
        var fit: String
        var validate: String
        /// The top-level keys of the weight file the fit wrote.
        var weightFileKeys: Set<String>
        /// `baton score` of the held-out leads with that model, as CSV text.
        var scored: String
    }

    static let lab = Task { () async throws -> LabRun in
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = SharedData.projectRoot.appendingPathComponent("Datasets")
        let model = dir.appendingPathComponent("model.json").path
        let fit = try await CLI.run([
            "fit", "--data", data.appendingPathComponent("leads_train.csv").path,
            "--spec", data.appendingPathComponent("leads.spec.yaml").path, "--out", model,
        ])
        guard fit.exitCode == 0 else { throw SharedDataError("baton fit failed: \(fit.stderr)") }
        let validate = try await CLI.run(["validate", "--model", model, "--data", data.appendingPathComponent("leads_holdout.csv").path])
        guard validate.exitCode == 0 else { throw SharedDataError("baton validate failed: \(validate.stderr)") }
        let scoredFile = dir.appendingPathComponent("scored.csv")
        let score = try await CLI.run([
            "score", "--model", model, "--data", data.appendingPathComponent("leads_holdout.csv").path, "--out", scoredFile.path,
        ])
        guard score.exitCode == 0 else { throw SharedDataError("baton score failed: \(score.stderr)") }
        let weights = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any]
        return LabRun(
            fit: fit.stdout, validate: validate.stdout, weightFileKeys: Set(weights?.keys ?? [:].keys),
            scored: try String(contentsOf: scoredFile, encoding: .utf8))
    }

    @Test func everyQuotedLineIsPrintedByARealRun() async throws {
        let quoted = try await Self.quotedLines()
        try #require(quoted.count >= 10, "the excerpt is unexpectedly short: \(quoted)")
        let run = try await Self.lab.value
        let printed = Set((run.fit + "\n" + run.validate).split(separator: "\n").map(String.init))
        for line in quoted {
            #expect(
                printed.contains(line), "README.md quotes a line the lab does not print (update the README from a run of scripts/lab.sh): \(line)")
        }
    }

    /// The closed-loop section quotes the quarter review of `scripts/lab.sh`'s demo ("the demo of
    /// …", every "…" after it): rebuilt here as lab.sh builds it, each quote must be text of its report.md.
    @Test func quarterReviewQuotesAreARealRun() async throws {
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
            let result = try await CLI.run(step, in: dir)
            try #require(result.exitCode == 0, "\(step[0]): \(result.stderr)")
        }
        let report = try String(contentsOf: dir.appendingPathComponent("review-2023-Q1/report.md"), encoding: .utf8)
        for quote in quotes {
            #expect(report.contains(quote), "README.md quotes what the lab's quarter review does not say: \(quote)")
        }
    }

    /// `pattern`'s first capture in `text` as a whole number, thousands separators dropped.
    static func number(_ pattern: String, in text: String, _ what: String) throws -> Int {
        let regex = try Regex(pattern)
        guard let match = text.firstMatch(of: regex), let capture = match.output[1].substring,
            let value = Int(capture.replacingOccurrences(of: ",", with: ""))
        else { throw SharedDataError("no \(what) (/\(pattern)/) found") }
        return value
    }

    @Test func theProseFiguresAreTheRunsFigures() async throws {
        let prose = try Self.sectionText()
        let run = try await Self.lab.value
        let observations = try Self.number(#"No\. Observations:\s+(\d+)"#, in: run.fit, "row count in the fit summary")
        let dfModel = try Self.number(#"Df Model:\s+(\d+)"#, in: run.fit, "Df Model in the fit summary")
        let won = try Self.number(#"Won / rows:\s+(\d+) /"#, in: run.fit, "wins in the fit summary")
        let holdout = try Self.number(#"\((\d+) leads, \d+ won\)"#, in: run.validate, "holdout size in the validation")
        let slopeText = try #require(run.validate.firstMatch(of: /calibration slope (-?[0-9.]+)/)?.output.1, "no slope in \(run.validate)")
        let slope = try #require(Double(slopeText))

        let hint = "README.md, \(Self.section): update the figure from a run of scripts/lab.sh"
        #expect(
            try Self.number(#"leads_train\.csv`\s+\(([\d,]+)\s+synthetic\s+leads"#, in: prose, "training rows in the README") == observations,
            "\(hint)")
        #expect(try Self.number(#"synthetic\s+leads,\s+(\d+)\s+terms\)"#, in: prose, "term count in the README") == dfModel + 1, "\(hint)")
        #expect(try Self.number(#"leads_holdout\.csv`\s+\(([\d,]+)\s+leads"#, in: prose, "holdout rows in the README") == holdout, "\(hint)")
        #expect(try Self.number(#"(\d+)\s+terms\s+on\s+[\d,]+\s+wins"#, in: prose, "terms in the README") == dfModel + 1, "\(hint)")
        #expect(try Self.number(#"terms\s+on\s+([\d,]+)\s+wins"#, in: prose, "wins in the README") == won, "\(hint)")
        #expect((prose.firstMatch(of: /held-out\s+slope\s+below\s+1/) != nil) == (slope < 1), "\(hint): the held-out calibration slope is \(slope)")
    }

    /// The README text of the section headed `heading` (a `## ` line), up to the next one.
    static func readmeSection(_ heading: String) throws -> String {
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "\n\(heading)\n") else { throw SharedDataError("README.md has no \"\(heading)\" section") }
        let end = readme.range(of: "\n## ", range: start.upperBound..<readme.endIndex)?.lowerBound ?? readme.endIndex
        return String(readme[start.upperBound..<end])
    }

    /// The weight-file table lists the keys a real export writes (`thresholds` only when the spec sets them).
    @Test func theWeightFileTableListsTheKeysOfARealExport() async throws {
        let section = try Self.readmeSection("## The weight file (`baton.weights/1`)")
        let documented = Set(
            section.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap { $0.split(separator: "`").dropFirst().first.map(String.init) })
        let written = try await Self.lab.value.weightFileKeys
        #expect(written.isSubset(of: documented), "README.md's weight-file table lacks \(written.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(written).isSubset(of: ["thresholds"]),
            "README.md's weight-file table lists \(documented.subtracting(written).sorted()), which a real export does not write")
    }

    /// The example spec in the README is one `baton fit` reads.
    @Test func theReadmeSpecExampleParses() throws {
        let section = try Self.readmeSection("## The scoring spec (YAML)")
        guard let open = section.range(of: "```yaml\n"), let close = section.range(of: "```\n", range: open.upperBound..<section.endIndex) else {
            throw SharedDataError("README.md has no ```yaml block under \"The scoring spec (YAML)\"")
        }
        let spec = try ScoringSpec.parse(yaml: String(section[open.upperBound..<close.lowerBound]), file: "README.md")
        #expect(spec.features.map(\.column) == ["age", "visits", "job", "source"])
        #expect(spec.thresholds?.mql == 620 && spec.weight == "n")
    }

    /// The reason code the scorer section quotes is one `baton score` writes with the bundled model.
    @Test func theQuotedReasonCodeIsOneTheScorerWrites() async throws {
        let section = try Self.readmeSection("## The hand-off scorer")
        let quoted = try #require(
            section.firstMatch(of: /\("(Budget authority [^"]+)" on the bundled model\)/)?.output.1, "README.md no longer quotes a reason code")
        let scored = try await Self.lab.value.scored
        #expect(
            scored.contains(String(quoted)),
            "README.md quotes the reason \(quoted), which baton score does not write on Datasets/leads_holdout.csv with the lab's model")
    }

    /// The Olist figures the README gives are the ones its walkthrough states (and OlistWalkthroughTests checks on the data).
    @Test func theOlistFiguresAreTheWalkthroughs() throws {
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let notebook = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("Notebooks-md/olist-recalibration.md"), encoding: .utf8)
        let claim = try #require(
            readme.firstMatch(of: /how little signal ([\d,]+) MQLs and ([\d,]+) wins hold/), "README.md no longer quotes the Olist figures")
        let mqls = claim.output.1.replacingOccurrences(of: ",", with: ""), wins = claim.output.2.replacingOccurrences(of: ",", with: "")
        #expect(
            notebook.contains("**\(mqls)** MQLs") && notebook.contains("**\(wins)** won"),
            "README.md says \(mqls) MQLs and \(wins) wins; Notebooks-md/olist-recalibration.md says otherwise")
    }
}
