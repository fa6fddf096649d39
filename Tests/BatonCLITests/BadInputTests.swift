import Foundation
import TestSupport
import Testing

/// Each bad input end to end through the CLI: the exit code (64 usage, 65 bad data) and a
/// message that names the file, the line and the column and says what to do.
@Suite struct BadInputTests {
    let dir: URL
    init() throws { dir = try CLI.scratch() }

    func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try url.write(text)
        return url.path
    }

    let spec = """
        outcome: {column: won, positive: ["yes"]}
        features:
          - {column: visits, type: numeric, transform: log1p}
          - {column: source, type: categorical}
        """

    /// A small data set with overlap between won and lost.
    func goodRows() -> String {
        var rows = ["visits,source,won"]
        let sources = ["ads", "event", "web"]
        for i in 0..<60 {
            rows.append("\(i % 7),\(sources[i % 3]),\((i * 7) % 5 < 2 ? "yes" : "no")")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    func fit(data: String, spec: String, extra: [String] = []) async throws -> CLIResult {
        try await CLI.run(["fit", "--data", data, "--spec", spec, "--out", dir.appendingPathComponent("m.json").path] + extra)
    }

    @Test func goodDataFits() async throws {
        let result = try await fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Logistic Regression Results"))
        #expect(result.stdout.contains("log1p(visits)"))
        #expect(result.stdout.contains("source=event"))
    }

    /// Issue 20: a NUL or invalid UTF-8 became a category level (a NUL level even the baseline),
    /// and a 20 MB cell a 63 MB weight file. Now each names the line and the column.
    @Test func cellsThatCannotBeLevelsAreRefusedWithTheirLine() async throws {
        let specFile = try file("s.yaml", spec)
        var lines = goodRows().split(separator: "\n").map { Array($0.utf8) }
        func data(_ name: String, row: Int, source: [UInt8]) async throws -> String {
            var copy = lines
            copy[row] = Array("3,".utf8) + source + Array(",yes".utf8)
            let url = dir.appendingPathComponent(name)
            try Data(copy.joined(separator: [0x0A]) + [0x0A]).write(to: url)
            return url.path
        }
        let cases: [(String, [UInt8], String)] = [
            ("nul.csv", Array("ev".utf8) + [0] + Array("ent".utf8), "U+0000"),
            ("utf8.csv", [0x65, 0xFF, 0x76], "not valid UTF-8"),
            ("long.csv", [UInt8](repeating: 0x61, count: 300), "300 bytes long"),
        ]
        for (name, source, problem) in cases {
            let result = try await fit(data: try data(name, row: 4, source: source), spec: specFile)
            #expect(result.exitCode == 65, "\(name): \(result.stderr)")
            #expect(result.stderr.contains("\(name) line 5, column \"source\"") && result.stderr.contains(problem), "\(result.stderr)")
        }
        lines = [Array("visits,source,won".utf8)] + (0..<1200).map { Array("\($0 % 7),s\($0),\($0 % 2 == 0 ? "yes" : "no")".utf8) }
        let many = dir.appendingPathComponent("many.csv")
        try Data(lines.joined(separator: [0x0A]) + [0x0A]).write(to: many)
        let result = try await fit(data: many.path, spec: specFile)
        #expect(result.exitCode == 65 && result.stderr.contains("keeps 1200 levels, more than the 1000"), "\(result.stderr)")
    }

    @Test func missingDataFileIsUsage() async throws {
        let result = try await fit(data: dir.appendingPathComponent("nope.csv").path, spec: try file("s.yaml", spec))
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("nope.csv") && result.stderr.contains("does not exist"))
    }

    @Test func missingOptionIsUsage() async throws {
        let result = try await CLI.run(["fit", "--data", "x.csv"])
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("--spec") || result.stderr.contains("--out"))
    }

    @Test func unknownColumnSuggestsCloseNames() async throws {
        let bad = spec.replacingOccurrences(of: "column: visits", with: "column: visit")
        let result = try await fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", bad))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("d.csv"))
        #expect(result.stderr.contains("visit"))
        #expect(result.stderr.contains("\"visits\""), "suggests the close name: \(result.stderr)")
    }

    @Test func nonNumberCellNamesFileLineAndColumn() async throws {
        var rows = goodRows().split(separator: "\n").map(String.init)
        rows[5] = "lots,web,no"  // line 6 of the file
        let result = try await fit(data: try file("d.csv", rows.joined(separator: "\n") + "\n"), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("d.csv"))
        #expect(result.stderr.contains("line 6"))
        #expect(result.stderr.contains("visits"))
        #expect(result.stderr.contains("lots"))
    }

    @Test func emptyMissingCellWithErrorRuleSaysWhatToDo() async throws {
        var rows = goodRows().split(separator: "\n").map(String.init)
        rows[3] = ",web,no"  // line 4
        let result = try await fit(data: try file("d.csv", rows.joined(separator: "\n") + "\n"), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("line 4") && result.stderr.contains("visits"))
        #expect(result.stderr.contains("missing"), "points at the missing rule: \(result.stderr)")
        // Issue 21 item 15: every other choice is named, drop_row included.
        for choice in ["drop_row", "zero", "indicator"] { #expect(result.stderr.contains(choice), "\(choice): \(result.stderr)") }
    }

    /// Issue 21 item 15: two `missing: indicator` columns empty on the same rows were called
    /// collinear without saying why; the message now says they are the same rows and what to do.
    @Test func indicatorsEmptyOnTheSameRowsSaySo() async throws {
        var rows = ["visits,pages,source,won"]
        for i in 0..<80 {
            let empty = i % 6 == 0
            rows.append("\(empty ? "" : String(i % 7)),\(empty ? "" : String(i % 5)),\(["ads", "web"][i % 2]),\((i * 7) % 5 < 2 ? "yes" : "no")")
        }
        let twoIndicators = """
            outcome: {column: won, positive: ["yes"]}
            features:
              - {column: visits, type: numeric, missing: indicator}
              - {column: pages, type: numeric, missing: indicator}
              - {column: source, type: categorical}
            """
        let result = try await fit(data: try file("d.csv", rows.joined(separator: "\n") + "\n"), spec: try file("s.yaml", twoIndicators))
        #expect(result.exitCode == 65, "\(result.stderr)")
        #expect(
            result.stderr.contains("missing(pages) duplicates missing(visits)")
                || result.stderr.contains("missing(visits) duplicates missing(pages)"), "\(result.stderr)")
        #expect(result.stderr.contains("empty on exactly the same rows"), "\(result.stderr)")
    }

    @Test func emptyFile() async throws {
        let result = try await fit(data: try file("d.csv", ""), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("d.csv") && result.stderr.lowercased().contains("empty"))
    }

    @Test func headerOnly() async throws {
        let result = try await fit(data: try file("d.csv", "visits,source,won\n"), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("d.csv"))
    }

    @Test func singleOutcomeClass() async throws {
        let rows = goodRows().replacingOccurrences(of: ",yes", with: ",no")
        let result = try await fit(data: try file("d.csv", rows), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("d.csv") && result.stderr.contains("positive"))
    }

    @Test func constantColumnIsNamed() async throws {
        var rows = ["visits,source,plan,won"]
        for (i, line) in goodRows().split(separator: "\n").dropFirst().enumerated() {
            let cells = line.split(separator: ",")
            rows.append("\(cells[0]),\(cells[1]),\(i % 2 == 0 ? "7" : "7"),\(cells[2])")
        }
        let constantSpec = spec + "\n  - {column: plan, type: numeric}\n"
        let result = try await fit(data: try file("d.csv", rows.joined(separator: "\n") + "\n"), spec: try file("s.yaml", constantSpec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("constant term: plan"), "\(result.stderr)")
    }

    @Test func duplicateColumnIsNamed() async throws {
        var rows = ["visits,source,visits_copy,won"]
        for line in goodRows().split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",")
            rows.append("\(cells[0]),\(cells[1]),\(cells[0]),\(cells[2])")
        }
        let duplicateSpec = spec + "\n  - {column: visits_copy, type: numeric, transform: log1p}\n"
        let result = try await fit(data: try file("d.csv", rows.joined(separator: "\n") + "\n"), spec: try file("s.yaml", duplicateSpec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("log1p(visits_copy) duplicates log1p(visits)"), "\(result.stderr)")
    }

    @Test func separationNamesTheTermAndSuggestsAPenalty() async throws {
        var rows = goodRows().split(separator: "\n").map(String.init)
        for i in 0..<8 { rows.append("\(i % 5),partner,yes") }  // every partner lead won
        let data = try file("d.csv", rows.joined(separator: "\n") + "\n")
        let result = try await fit(data: data, spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("source=partner"), "\(result.stderr)")
        #expect(result.stderr.contains("penalty"))
        // The suggested remedy works.
        let ridge = try await fit(data: data, spec: try file("s.yaml", spec), extra: ["--penalty", "1"])
        #expect(ridge.exitCode == 0, "\(ridge.stderr)")
    }

    @Test func badSpecKeyIsNamedWithLine() async throws {
        let bad = spec.replacingOccurrences(of: "transform: log1p", with: "transfrom: log1p")
        let result = try await fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", bad))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("s.yaml") && result.stderr.contains("transfrom") && result.stderr.contains("transform"))
    }

    @Test func wrongFieldCountNamesTheLine() async throws {
        var rows = goodRows().split(separator: "\n").map(String.init)
        rows[9] = "3,web"  // line 10
        let result = try await fit(data: try file("d.csv", rows.joined(separator: "\n") + "\n"), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("d.csv") && result.stderr.contains("line 10"))
    }

    @Test func negativePenaltyIsUsage() async throws {
        let result = try await fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", spec), extra: ["--penalty", "-1"])
        #expect(result.exitCode == 64)
    }

    @Test func editedWeightFileIsRefused() async throws {
        let model = dir.appendingPathComponent("m.json")
        await #expect(try fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", spec)).exitCode == 0)
        var text = try String(contentsOf: model, encoding: .utf8)
        // Change one estimate to another valid number: still JSON, no longer the exported model.
        let range = try #require(text.range(of: #""estimate": [-0-9.e+]+"#, options: .regularExpression))
        text.replaceSubrange(range, with: "\"estimate\": 0.125")
        try model.write(text)
        let result = try await CLI.run(["validate", "--model", model.path, "--data", try file("d.csv", goodRows())])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("checksum"))
        #expect(result.stderr.contains("m.json"))
    }

    @Test func newerFormatVersionIsRefused() async throws {
        let model = dir.appendingPathComponent("m.json")
        await #expect(try fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", spec)).exitCode == 0)
        let text = try String(contentsOf: model, encoding: .utf8).replacingOccurrences(of: "baton.weights/1", with: "baton.weights/3")
        try model.write(text)
        let result = try await CLI.run(["export", "--model", model.path, "--format", "sql"])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("baton.weights/3"))
    }

    @Test func validationDataWithoutOutcome() async throws {
        await #expect(try fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", spec)).exitCode == 0)
        let noOutcome = goodRows().split(separator: "\n").map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
        let result = try await CLI.run([
            "validate", "--model", dir.appendingPathComponent("m.json").path,
            "--data", try file("n.csv", noOutcome.joined(separator: "\n") + "\n"),
        ])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("n.csv") && result.stderr.contains("won"))
    }

    @Test func failedFitKeepsTheExistingWeightFile() async throws {
        // Nothing already stored is lost: a failing fit leaves the previous model untouched.
        let model = dir.appendingPathComponent("m.json")
        await #expect(try fit(data: try file("d.csv", goodRows()), spec: try file("s.yaml", spec)).exitCode == 0)
        let before = try Data(contentsOf: model)
        let result = try await fit(data: try file("e.csv", ""), spec: try file("s.yaml", spec))
        #expect(result.exitCode == 65)
        #expect(try Data(contentsOf: model) == before)
    }
}

/// Validation on later data with levels the model never saw.
@Suite struct UnseenLevelTests {
    @Test func unseenLevelsGoToOtherAndAreCounted() async throws {
        let dir = try CLI.scratch()
        var train = ["visits,source,won"]
        let sources = ["ads", "event", "web", "web", "ads", "event", "rare"]
        for i in 0..<140 { train.append("\(i % 9),\(sources[i % 7]),\((i * 7) % 5 < 2 ? "yes" : "no")") }
        let spec = """
            outcome: {column: won, positive: ["yes"]}
            features:
              - {column: visits, type: numeric}
              - {column: source, type: categorical, min_count: 25}
            """
        let specURL = dir.appendingPathComponent("s.yaml")
        try specURL.write(spec)
        let trainURL = dir.appendingPathComponent("train.csv")
        try trainURL.write(train.joined(separator: "\n") + "\n")
        let model = dir.appendingPathComponent("m.json")
        let fit = try await CLI.run(["fit", "--data", trainURL.path, "--spec", specURL.path, "--out", model.path])
        #expect(fit.exitCode == 0, "\(fit.stderr)")
        // `rare` (20 rows) merges into Other, which sorts first in byte order and so is the baseline.
        let weights = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any])
        let encodings = try #require(weights["encodings"] as? [[String: Any]])
        let source = try #require(encodings.first { $0["column"] as? String == "source" })
        #expect(source["merged_into_other"] as? [String: Int] == ["rare": 20])
        #expect(source["baseline"] as? String == "Other")

        var later = ["visits,source,won"]
        for i in 0..<60 { later.append("\(i % 9),\(i % 10 == 0 ? "podcast" : sources[i % 3]),\((i * 3) % 5 < 2 ? "yes" : "no")") }
        let laterURL = dir.appendingPathComponent("later.csv")
        try laterURL.write(later.joined(separator: "\n") + "\n")
        let result = try await CLI.run(["validate", "--model", model.path, "--data", laterURL.path, "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let unseen = try #require(try result.json()["unseen_levels"] as? [[String: Any]])
        #expect(unseen.count == 1)
        #expect(unseen.first?["column"] as? String == "source")
        #expect(unseen.first?["rows"] as? Int == 6)
        #expect(unseen.first?["mapped_to"] as? String == "Other")
        let text = try await CLI.run(["validate", "--model", model.path, "--data", laterURL.path])
        #expect(text.stdout.contains("6 rows of \"source\" had levels the model never saw"))
    }
}

/// A pipe or a device given where a file is read more than once (`--data /dev/stdin`,
/// `<(zcat …)`) used to fail with a "permission" error (or lose its header to the first read);
/// now each batch command refuses it up front, as a usage mistake, and says what to do.
@Suite struct PipeInputTests {
    @Test func pipesAndDevicesAreRefusedWithAWayOut() async throws {
        let dir = try CLI.scratch()
        let fifo = dir.appendingPathComponent("leads.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let csv = dir.appendingPathComponent("d.csv")
        try csv.write("visits,won\n1,yes\n")
        let spec = dir.appendingPathComponent("s.yaml")
        try spec.write("outcome: {column: won, positive: [\"yes\"]}\nfeatures:\n  - {column: visits, type: numeric}\n")
        let out = dir.appendingPathComponent("out").path
        let model = dir.appendingPathComponent("m.json").path
        for arguments in [
            ["fit", "--data", fifo, "--spec", spec.path, "--out", model],
            ["fit", "--data", csv.path, "--spec", fifo, "--out", model],
            ["validate", "--model", fifo, "--data", csv.path],
            ["score", "--model", fifo, "--data", csv.path, "--out", out],
            ["score", "--model", csv.path, "--data", fifo, "--out", out],
        ] {
            // The FIFO has no writer: a command that tried to read it would block, not fail.
            let result = try await CLI.run(arguments, timeout: 60)
            #expect(result.exitCode == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("\(fifo) is a pipe or a device, not a regular file"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("save it to a file first"))
        }
        let directory = try await CLI.run(["validate", "--model", dir.path, "--data", csv.path])
        #expect(directory.exitCode == 64)
        #expect(directory.stderr.contains("does not exist or cannot be read"), "\(directory.stderr)")
    }
}
