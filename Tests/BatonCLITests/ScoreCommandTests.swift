import Foundation
import LabTraining
import TestSupport
import Testing

/// `baton score` against the lab: the hand-off scorer reads only the weight file, so its
/// probabilities must equal the lab's own scoring of the same leads.
@Suite struct ScoreCommandTests {
    @Test func scoredProbabilitiesEqualTheLabs() async throws {
        let dir = try CLI.scratch()
        let model = dir.appendingPathComponent("model.json")
        let scored = dir.appendingPathComponent("scored.csv")
        let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")
        let train = datasets.appendingPathComponent("leads_train.csv")
        let holdout = datasets.appendingPathComponent("leads_holdout.csv")
        let fit = try await CLI.run([
            "fit", "--data", train.path, "--spec", datasets.appendingPathComponent("leads.spec.yaml").path,
            "--out", model.path,
        ])
        #expect(fit.exitCode == 0, "\(fit.stderr)")
        let score = try await CLI.run([
            "score", "--model", model.path, "--data", holdout.path, "--out", scored.path,
            "--playbook", datasets.appendingPathComponent("playbook.yaml").path,
        ])
        #expect(score.exitCode == 0, "\(score.stderr)")

        // The lab's scoring of the same file, in process (an independent code path: design matrix × β).
        let lab = try CalibrationLab.validate(model: try CalibrationLab.loadModel(model), data: holdout)
        let lines = try String(contentsOf: scored, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let idIndex = try #require(header.firstIndex(of: "lead_id"))
        let probabilityIndex = try #require(header.firstIndex(of: "probability"))
        let stageIndex = try #require(header.firstIndex(of: "stage"))
        #expect(lines.count - 1 == lab.probabilities.count)
        var stages: [String: Int] = [:]
        for (row, line) in lines.dropFirst().enumerated() {
            // Reasons are quoted and may hold commas; the columns checked here come before them.
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells[idIndex] == String(format: "L%08d", row + 1))
            let probability = try #require(Double(cells[probabilityIndex]))
            // The CSV carries 12 decimals.
            #expect(abs(probability - lab.probabilities[row]) <= 6e-13, "row \(row + 1)")
            stages[cells[stageIndex], default: 0] += 1
        }
        // The example playbook sorts the holdout into all three stages.
        #expect(Set(stages.keys) == ["nurture", "mql", "sql"], "\(stages)")
    }

    /// The scored CSV replaces what `--out` held (swapped in whole, then the old file removed):
    /// a second run over the first's output, over an unrelated file and through a symbolic link
    /// leaves exactly the new bytes and no temporary file in the folder.
    @Test func scoringAgainReplacesTheOldFileWholeAndLeavesNoTemporaryFile() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")
        let model = try await Self.fitBundledModel(in: dir)
        let holdout = datasets.appendingPathComponent("leads_holdout.csv").path
        let first = dir.appendingPathComponent("first.csv")
        #expect(try await CLI.run(["score", "--model", model.path, "--data", holdout, "--out", first.path]).exitCode == 0)
        let expected = try Data(contentsOf: first)
        let scored = dir.appendingPathComponent("scored.csv")
        try Data(repeating: 0x78, count: 3 * expected.count).write(to: scored)  // longer than the new file
        for _ in 0..<2 {
            let run = try await CLI.run(["score", "--model", model.path, "--data", holdout, "--out", scored.path])
            #expect(run.exitCode == 0, "\(run.stderr)")
            #expect(try Data(contentsOf: scored) == expected)
        }
        // Through a link: the link's own name gets the file (as `rename` does), the target keeps its bytes.
        let target = dir.appendingPathComponent("target.csv")
        try Data("kept\n".utf8).write(to: target)
        let link = dir.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(try await CLI.run(["score", "--model", model.path, "--data", holdout, "--out", link.path]).exitCode == 0)
        #expect(try Data(contentsOf: link) == expected)
        #expect(try String(contentsOf: target, encoding: .utf8) == "kept\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["first.csv", "link.csv", "model.json", "scored.csv", "target.csv"], "\(names)")
    }

    @Test func unseenValuesWarnOncePerColumnAndTheirReasonsSaySo() async throws {
        let dir = try CLI.scratch()
        let model = try await Self.fitBundledModel(in: dir)
        let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")
        // The first 200 holdout rows; industry (no Other level, baseline education) gets 30 × 'mining'
        // and 10 × 'oil_gas', region 7 × 'antarctica'.
        let lines = try String(contentsOf: datasets.appendingPathComponent("leads_holdout.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(201).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let industry = try #require(header.firstIndex(of: "industry")), region = try #require(header.firstIndex(of: "region"))
        var rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for i in 0..<40 { rows[5 * i][industry] = i < 30 ? "mining" : "oil_gas" }
        for i in 0..<7 { rows[3 + 11 * i][region] = "antarctica" }
        let data = dir.appendingPathComponent("unseen.csv")
        try ([lines[0]] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n").appending("\n")
            .write(to: data, atomically: true, encoding: .utf8)
        let scored = dir.appendingPathComponent("scored.csv")
        let score = try await CLI.run(["score", "--model", model.path, "--data", data.path, "--out", scored.path])
        #expect(score.exitCode == 0, "\(score.stderr)")

        let warnings = score.stderr.split(separator: "\n").filter { $0.contains("never seen in training") }
        #expect(warnings.count == 2, "\(score.stderr)")
        #expect(
            warnings.contains {
                $0.contains("\"industry\": 40 cells") && $0.contains("'mining' ×30, 'oil_gas' ×10")
                    && $0.contains("scored as baseline 'education'")
            }, "\(score.stderr)")
        #expect(warnings.contains { $0.contains("\"region\": 7 cells") && $0.contains("'antarctica' ×7") }, "\(score.stderr)")

        // Every reason about an unseen industry names the value; none names the baseline as the lead's.
        let out = try String(contentsOf: scored, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
        #expect(out.count == 200)
        var named = 0
        for (row, line) in out.enumerated() where row % 5 == 0 && row < 200 {
            let value = row < 150 ? "mining" : "oil_gas"
            #expect(!line.contains("Industry 'education'"), "row \(row): \(line)")
            if line.contains("Industry '\(value)' not seen in training: scored as baseline 'education' (") { named += 1 }
        }
        // education is not industry's best level, so its cost ranks among the top reasons of some rows.
        #expect(named > 0, "no reason named an unseen industry")
    }

    @Test func missingColumnsAreListedWithExit65() async throws {
        let dir = try CLI.scratch()
        let model = try await Self.fitBundledModel(in: dir)
        let data = dir.appendingPathComponent("thin.csv")
        try "lead_id,industry,region\nL1,software,emea\n".write(to: data, atomically: true, encoding: .utf8)
        let score = try await CLI.run(["score", "--model", model.path, "--data", data.path, "--out", dir.appendingPathComponent("o.csv").path])
        #expect(score.exitCode == 65)
        #expect(score.stderr.contains("company_size") && score.stderr.contains("demo_requests"), "\(score.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o.csv").path))
    }

    /// A file of several parts (`baton score` reads files over 1 MiB part by part, on all
    /// cores): the rows come out in file order with the lab's probabilities, the unseen-value
    /// warnings sum over the parts, and a bad cell in a late part is reported with the file's
    /// line while the earlier output stays as it was.
    @Test func aFileOfManyPartsScoresInOrderAndItsErrorsNameTheFilesLine() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")
        let model = try await Self.fitBundledModel(in: dir)
        let lines = try String(contentsOf: datasets.appendingPathComponent("leads_holdout.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let idColumn = try #require(header.firstIndex(of: "lead_id")), region = try #require(header.firstIndex(of: "region"))
        // Four copies of the holdout (20,000 rows, ~3 MB), each row with an id of its own, and an
        // unseen region every 97th row, so that every part meets some.
        var rows: [[String]] = []
        for copy in 0..<4 {
            for line in lines.dropFirst() {
                var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[idColumn] = String(format: "C%d-%@", copy, cells[idColumn])
                if rows.count % 97 == 0 { cells[region] = "antarctica" }
                rows.append(cells)
            }
        }
        let data = dir.appendingPathComponent("many.csv")
        func write(_ rows: [[String]]) throws {
            try ([lines[0]] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n").appending("\n")
                .write(to: data, atomically: true, encoding: .utf8)
        }
        try write(rows)
        #expect(try FileManager.default.attributesOfItem(atPath: data.path)[.size] as? Int ?? 0 > 2 << 20)
        let scored = dir.appendingPathComponent("scored.csv")
        let score = try await CLI.run(["score", "--model", model.path, "--data", data.path, "--out", scored.path, "--timings"])
        #expect(score.exitCode == 0, "\(score.stderr)")
        #expect(score.stderr.contains("part by part"), "\(score.stderr)")
        let unseen = (rows.count + 96) / 97
        #expect(
            score.stderr.contains("\"region\": \(unseen) cells held values never seen in training (1 distinct: 'antarctica' ×\(unseen))"),
            "\(score.stderr)")

        let lab = try CalibrationLab.validate(model: try CalibrationLab.loadModel(model), data: data)
        let out = try String(contentsOf: scored, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(out.count - 1 == rows.count && lab.probabilities.count == rows.count)
        for (row, line) in out.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells[0] == rows[row][idColumn], "row \(row + 1) is out of order")
            let probability = try #require(Double(cells[1]))
            #expect(abs(probability - lab.probabilities[row]) <= 6e-13, "row \(row + 1)")
        }

        // A bad count in row 17,001 (line 17,002): the error names it, the old output is kept.
        let before = try Data(contentsOf: scored)
        let pageViews = try #require(header.firstIndex(of: "page_views"))
        rows[17_000][pageViews] = "lots"
        try write(rows)
        let bad = try await CLI.run(["score", "--model", model.path, "--data", data.path, "--out", scored.path])
        #expect(bad.exitCode == 65, "\(bad.stderr)")
        #expect(bad.stderr.contains("line 17002") && bad.stderr.contains("page_views"), "\(bad.stderr)")
        #expect(try Data(contentsOf: scored) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["many.csv", "model.json", "scored.csv"])
    }

    /// `baton fit` on the bundled training file and spec, into `dir/model.json`.
    static func fitBundledModel(in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws -> URL {
        let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")
        let model = dir.appendingPathComponent("model.json")
        let fit = try await CLI.run([
            "fit", "--data", datasets.appendingPathComponent("leads_train.csv").path,
            "--spec", datasets.appendingPathComponent("leads.spec.yaml").path, "--out", model.path,
        ])
        #expect(fit.exitCode == 0, "\(fit.stderr)", sourceLocation: sourceLocation)
        return model
    }
}
