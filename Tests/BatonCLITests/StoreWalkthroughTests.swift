import Foundation
import TestSupport
import Testing

/// Runs every `baton` command of Notebooks-md/store-recalibration.md (``NotebookRun``) and checks
/// the figures it quotes in bold against the files and output the commands wrote.
@Suite struct StoreWalkthroughTests {
    @Test func storeWalkthroughRunsAndItsFiguresHold() async throws {
        let run = try await NotebookRun("store-recalibration.md", expectedCommands: 6)
        func claim(_ figure: String, _ why: String, sourceLocation: SourceLocation = #_sourceLocation) {
            run.claim(figure, why, sourceLocation: sourceLocation)
        }
        // The export's line: leads, hand-offs, outcomes, open leads (all past the window).
        let export = run.stdout[3]
        let counts = try #require(
            export.firstMatch(of: /wrote (\d+) leads .*: (\d+) handed off; won (\d+), lost (\d+), open (\d+) \((\d+) past the 90-day/), "\(export)")
        claim("\(counts.1) leads", "exported leads")
        claim("\(counts.2) handed\noff", "handed off")
        claim("won \(counts.3)", "won")
        claim("lost \(counts.4)", "lost")
        claim("open \(counts.5)", "open")
        #expect(counts.5 == counts.6, "every open lead is past the outcome window")
        #expect(Int(counts.2)! < Int(counts.1)! && Int(counts.3)! + Int(counts.4)! < Int(counts.2)! + 1)

        let recommendation = try run.json("runs/store-2024-10-01/recommendation.json")
        #expect(recommendation["test_quarter"] as? String == "2024Q2")
        claim("\(recommendation["test_leads"] as? Int ?? -1) leads", "test leads")
        claim("\(recommendation["test_positives"] as? Int ?? -1) won", "test won")
        claim("\(recommendation["train_leads"] as? Int ?? -1) leads", "training leads")
        claim(recommendation["decision"] as? String ?? "?", "promote/keep decision")
        claim(NotebookRun.f((recommendation["challenger"] as? [String: Any])?["auc"]), "refit AUC")
        claim(NotebookRun.f((recommendation["champion"] as? [String: Any])?["auc"]), "champion AUC")

        let closed = try #require(recommendation["closed_testing"] as? [String: Any])
        let tests = try #require(closed["tests"] as? [[String: Any]])
        let bySimpler = Dictionary(tests.map { ($0["simpler"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for name in ["original", "intercept", "recalibration"] {
            claim(NotebookRun.f(bySimpler[name]?["statistic"], 2), "LR \(name) vs revision")
            claim("\(bySimpler[name]?["df"] as? Int ?? -1)", "df \(name) vs revision")
        }
        claim(NotebookRun.f(bySimpler["intercept"]?["p_value"], 4), "p (b)")
        claim(NotebookRun.f(bySimpler["recalibration"]?["p_value"], 4), "p (c)")
        #expect((bySimpler["original"]?["p_value"] as? Double ?? 1) < 0.0001)
        claim("(\(closed["chosen_letter"] as? String ?? "?"))", "closed testing's choice")
        let models = try #require(closed["models"] as? [[String: Any]])
        let c = try #require(models.first { $0["letter"] as? String == "c" })
        claim(NotebookRun.f(c["intercept"], 4), "(c)'s α")
        claim(NotebookRun.f(c["slope"], 4), "(c)'s β")
        let a = try #require(models.first { $0["letter"] as? String == "a" })
        claim(NotebookRun.f(a["test_calibration_intercept"]), "champion's calibration intercept on the test quarter")

        // The chosen update is a weight file the hand-off scorer reads: every exported lead scored.
        let scored = try run.read("scored.csv").split(separator: "\n")
        #expect(scored.count == Int(counts.1)! + 1)
        #expect(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("runs/store-2024-10-01/updated-recalibration.json").path))
    }
}
