import Foundation
import TestSupport
import Testing

/// The fit summary says what was fitted (issue 21, items 13 and 15): frequency weights count as
/// observations (n = Σ weights, as statsmodels' `freq_weights`), so a weighted file reads like its
/// expanded rows; and a long term name is wrapped onto its own line, never cut.
@Suite struct FitSummaryTests {
    static let level = "Working Professional, Unemployed or Between Contracts"

    /// Rows (visits, source, won) with a weight 1…3 each, as a weighted file and as expanded rows.
    static func files(_ dir: URL) throws -> (weighted: URL, expanded: URL) {
        var rng = SplitMix64(seed: 13)
        var weighted = ["visits,source,won,w"]
        var expanded = ["visits,source,won"]
        for i in 0..<90 {
            let visits = Int(rng.next() % 8)
            let source = i % 5 == 4 ? Self.level : ["ads", "web"][i % 2]
            let won = rng.uniform() < 0.2 + 0.06 * Double(visits) ? 1 : 0
            let w = Int(rng.next() % 3) + 1
            weighted.append("\(visits),\"\(source)\",\(won),\(w)")
            for _ in 0..<w { expanded.append("\(visits),\"\(source)\",\(won)") }
        }
        let a = dir.appendingPathComponent("weighted.csv"), b = dir.appendingPathComponent("expanded.csv")
        try a.write(weighted.joined(separator: "\n") + "\n")
        try b.write(expanded.joined(separator: "\n") + "\n")
        return (a, b)
    }

    @Test func frequencyWeightsReadLikeTheirExpandedRowsAndNamesAreNeverCut() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (weighted, expanded) = try Self.files(dir)
        let features = "features:\n  - {column: visits, type: numeric}\n  - {column: source, type: categorical, baseline: ads}\n"
        let weightedSpec = dir.appendingPathComponent("w.yaml"), plainSpec = dir.appendingPathComponent("p.yaml")
        try weightedSpec.write("outcome: {column: won, positive: [\"1\"]}\nweight: w\n" + features)
        try plainSpec.write("outcome: {column: won, positive: [\"1\"]}\n" + features)
        let w = try await CLI.run(["fit", "--data", weighted.path, "--spec", weightedSpec.path, "--out", dir.appendingPathComponent("w.json").path])
        let e = try await CLI.run(["fit", "--data", expanded.path, "--spec", plainSpec.path, "--out", dir.appendingPathComponent("e.json").path])
        try #require(w.exitCode == 0 && e.exitCode == 0, "\(w.stderr) \(e.stderr)")
        func value(_ label: String, _ text: String) -> String? {
            text.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: label) else { return nil }
                return line[range.upperBound...].split(separator: " ").first.map(String.init)
            }.first
        }
        let expandedRows = try String(contentsOf: expanded, encoding: .utf8).split(separator: "\n").count - 1
        #expect(value("No. Observations:", w.stdout) == "\(expandedRows)", "\(w.stdout.prefix(900))")
        #expect(value("No. Observations:", e.stdout) == "\(expandedRows)")
        #expect(value("BIC:", w.stdout) == value("BIC:", e.stdout), "BIC as on the expanded rows")
        #expect(value("Df Residuals:", w.stdout) == value("Df Residuals:", e.stdout))
        #expect(w.stdout.contains("Weights:") && value("Rows weighted > 0:", w.stdout) == "90", "\(w.stdout.prefix(900))")
        // The long level's term is printed whole, on a line of its own above its numbers.
        let term = "source=\(Self.level)"
        let lines = w.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex(of: term), "the whole term name on its own line:\n\(w.stdout)")
        #expect(at + 1 < lines.count && lines[at + 1].hasPrefix("   ") && lines[at + 1].contains("."))
        #expect(!w.stdout.contains("…"), "no name is cut")
    }
}
