import Foundation
import ModelExport
import ScoringModelFormat
import TestSupport
import Testing

/// `baton export --format pmml` on a model fitted from the bundled synthetic data: the file is the
/// library's document for that weight file, with one characteristic per numeric term / categorical column.
@Suite struct ExportPMMLTests {
    @Test func exportWritesTheScorecard() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let model = dir.appendingPathComponent("w.json"), pmml = dir.appendingPathComponent("m.pmml")
        let fit = try await CLI.run([
            "fit", "--data", root.appendingPathComponent("Datasets/leads_train.csv").path,
            "--spec", root.appendingPathComponent("Datasets/leads.spec.yaml").path, "--out", model.path,
        ])
        try #require(fit.exitCode == 0, "\(fit.stderr)")
        let export = try await CLI.run(["export", "--model", model.path, "--format", "pmml", "--out", pmml.path])
        #expect(export.exitCode == 0, "\(export.stderr)")
        let text = try String(contentsOf: pmml, encoding: .utf8)
        let weights = try WeightFile.decode(data: try Data(contentsOf: model), file: model.path)
        #expect(text == (try PMMLExport.document(for: weights)))
        let categorical = weights.encodings.filter { $0.type == .categorical }.count
        let otherTerms = weights.model.filter { $0.kind == .numeric || $0.kind == .missingIndicator }.count
        #expect(text.components(separatedBy: "<Characteristic ").count - 1 == categorical + otherTerms)
        let stdout = try await CLI.run(["export", "--model", model.path, "--format", "pmml"])
        #expect(stdout.stdout == text)
    }
}
