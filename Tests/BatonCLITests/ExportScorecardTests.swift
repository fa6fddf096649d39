import Foundation
import ModelExport
import ScoringModelFormat
import TestSupport
import Testing

/// Issue 15: monotone bins through the CLI. `baton fit` with `transform: bins` prints IV per
/// feature and writes a `baton.weights/2` file carrying the bins; `baton export --format scorecard`
/// writes the points table as Markdown or CSV; bins that cannot meet the constraints, binning
/// options on an unbinned feature and bins in a streaming fit are refused with what to change.
@Suite struct ExportScorecardTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let data = root.appendingPathComponent("Datasets/leads_train.csv").path

    /// The bundled spec with pricing page views binned ascending and email opens binned (`auto`), with `extra` options.
    static func spec(in dir: URL, pricing extra: String = "monotone: ascending, max_bins: 5") throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("Datasets/leads.spec.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "{column: pricing_page_views, type: numeric, transform: log1p, group: engagement}",
                with: "{column: pricing_page_views, type: numeric, transform: bins, \(extra), group: engagement}"
            )
            .replacingOccurrences(
                of: "{column: email_opens, type: numeric, transform: log1p, group: engagement}",
                with: "{column: email_opens, type: numeric, transform: bins, group: engagement}")
        let url = dir.appendingPathComponent("bins.spec.yaml")
        try url.write(text)
        return url.path
    }

    @Test func fitPrintsIVAndExportWritesThePointsTable() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("w.json")
        let fit = try await CLI.run(["fit", "--data", Self.data, "--spec", try Self.spec(in: dir), "--out", model.path])
        try #require(fit.exitCode == 0, "\(fit.stderr)")
        let weights = try WeightFile.decode(data: try Data(contentsOf: model), file: model.path)
        #expect(weights.format == "baton.weights/2")
        let pricing = try #require(weights.encoding(for: "pricing_page_views")?.bins)
        #expect(pricing.monotone == .ascending && pricing.count >= 2 && pricing.count <= 5 && pricing.wholeNumbers)
        // Ascending won rate, as asked, and the IV the summary prints.
        let rates = pricing.statistics.map { Double($0.won) / Double($0.rows) }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 <= $1 }, "\(rates)")
        #expect(fit.stdout.contains("Information value per feature"))
        let ivLine = try #require(fit.stdout.split(separator: "\n").first { $0.hasPrefix("  pricing_page_views") })
        #expect(ivLine.contains(String(format: "%.4f", pricing.informationValue)), "\(ivLine)")
        #expect(fit.stdout.contains("Weight file: \(model.path) (baton.weights/2)"))

        let markdown = try await CLI.run(["export", "--model", model.path, "--format", "scorecard"])
        #expect(markdown.exitCode == 0, "\(markdown.stderr)")
        #expect(markdown.stdout == ScorecardExport.markdown(for: weights))
        #expect(markdown.stdout.contains("| Feature | Bin or level | Points |"))
        let top = pricing.label(pricing.count - 1)
        let topPoints = try #require(weights.model.first { $0.name == "pricing_page_views=\(top)" }).pointsPerUnit
        #expect(markdown.stdout.contains("| pricing\\_page\\_views | \(top) | \(String(format: "%+.1f", topPoints)) |"))

        let csvURL = dir.appendingPathComponent("points.csv")
        let csv = try await CLI.run(["export", "--model", model.path, "--format", "scorecard", "--out", csvURL.path])
        #expect(csv.exitCode == 0, "\(csv.stderr)")
        let lines = try String(contentsOf: csvURL, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "feature,bin_or_level,points")
        // The table adds up to the score: base points plus, per feature, its bin's or level's points.
        let rows = ScorecardExport.rows(for: weights)
        #expect(lines.count == rows.count + 1)
        let lead: [String: String] = ["pricing_page_views": "7", "email_opens": "2", "company_size": "51-200"]
        var total = rows[0].points, eta = weights.intercept, index = 1
        for encoding in weights.encodings {
            let cell = lead[encoding.column] ?? (encoding.type == .numeric ? "0" : encoding.baseline ?? "")
            let values = try encoding.encode(rawCell: cell).values
            for value in values {
                eta += weights.model[index].estimate * value
                index += 1
            }
            let label: String
            if let bins = encoding.bins {
                label = bins.label(bins.bin(of: Double(cell) ?? 0))
            } else if encoding.type == .categorical {
                label = encoding.modelLevel(forCell: cell).level
            } else {
                label = "per unit of \(encoding.terms[0].name)"
            }
            let points = try #require(rows.first { $0.feature == encoding.column && $0.binOrLevel == label }?.points, "\(encoding.column) \(label)")
            total += encoding.type == .numeric && encoding.bins == nil ? points * values[0] : points
        }
        #expect(isClose(total, weights.points.points(logOdds: eta), mixed: 1e-9))
    }

    @Test func badBinningIsRefusedWithWhatToChange() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("w.json").path
        let infeasible = try await CLI.run([
            "fit", "--data", Self.data, "--spec", try Self.spec(in: dir, pricing: "monotone: descending, min_bin_share: 0.3"), "--out", out,
        ])
        #expect(infeasible.exitCode == 65)
        #expect(
            infeasible.stderr.contains("cannot bin \"pricing_page_views\"") && infeasible.stderr.contains("lower min_bin_share"),
            "\(infeasible.stderr)")
        let cuts = try await CLI.run(["fit", "--data", Self.data, "--spec", try Self.spec(in: dir, pricing: "cuts: [1, 40]"), "--out", out])
        #expect(cuts.exitCode == 65)
        #expect(cuts.stderr.contains("of the given `cuts:`") && cuts.stderr.contains("move or remove a cut"), "\(cuts.stderr)")
        let streaming = try await CLI.run(["fit", "--data", Self.data, "--spec", try Self.spec(in: dir), "--out", out, "--stream"])
        #expect(streaming.exitCode == 65)
        #expect(streaming.stderr.contains("streaming fit never holds"), "\(streaming.stderr)")
        let spec = dir.appendingPathComponent("plain.yaml")
        try spec.write("outcome: {column: won, positive: [\"1\"]}\nfeatures:\n  - {column: page_views, type: numeric, max_bins: 4}\n")
        let option = try await CLI.run(["fit", "--data", Self.data, "--spec", spec.path, "--out", out])
        #expect(option.exitCode == 65)
        #expect(option.stderr.contains("applies only to binned features"), "\(option.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
