import Foundation
import TestSupport
import Testing

/// Runs every `baton` command of Notebooks-md/quarterly-recalibration.md (``NotebookRun``) and
/// checks the figures the text quotes in bold against the files the commands wrote.
@Suite struct WalkthroughTests {
    @Test func walkthroughRunsAndItsFiguresHold() async throws {
        let run = try await NotebookRun("quarterly-recalibration.md", expectedCommands: 4)
        let dir = run.folder
        func claim(_ figure: String, _ why: String, sourceLocation: SourceLocation = #_sourceLocation) {
            run.claim(figure, why, sourceLocation: sourceLocation)
        }
        let first = try NotebookRun.json(dir.appendingPathComponent("runs/2024-10-01/recommendation.json"))
        claim("\(first["test_leads"] as? Int ?? -1)", "first run's test leads")
        claim("\(first["test_positives"] as? Int ?? -1)", "first run's won test leads")
        claim(first["test_quarter"] as? String ?? "?", "first run's test quarter")
        claim(NotebookRun.f((first["challenger"] as? [String: Any])?["auc"]), "first run's AUC")
        #expect(first["decision"] as? String == "promote")

        let second = try NotebookRun.json(dir.appendingPathComponent("runs/2025-10-01/recommendation.json"))
        #expect(second["test_quarter"] as? String == "2025Q2")
        claim("Recommendation: \(second["decision"] as? String ?? "?").", "the decision")
        let challenger = try #require(second["challenger"] as? [String: Any])
        let champion = try #require(second["champion"] as? [String: Any])
        claim(NotebookRun.f(challenger["auc"]), "challenger AUC")
        claim(NotebookRun.f(champion["auc"]), "champion AUC")
        claim(NotebookRun.f(challenger["ece"]), "challenger ECE")
        claim(NotebookRun.f(champion["ece"]), "champion ECE")
        let p = try #require(second["delong_p_value"] as? Double)
        claim(p < 0.0001 ? "< 0.0001" : NotebookRun.f(p, 4), "DeLong p")

        // Closed testing (Vergouwe et al. 2017): the tests against the refit and the choice.
        let closed = try #require(second["closed_testing"] as? [String: Any])
        let tests = try #require(closed["tests"] as? [[String: Any]])
        let byModel = Dictionary(tests.map { ($0["simpler"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        claim(NotebookRun.f(byModel["original"]?["statistic"], 2), "LR a vs d")
        claim("\(byModel["original"]?["df"] as? Int ?? -1)", "df a vs d")
        claim(NotebookRun.f(byModel["intercept"]?["statistic"], 2), "LR b vs d")
        claim(NotebookRun.f(byModel["recalibration"]?["statistic"], 2), "LR c vs d")
        claim("\(byModel["recalibration"]?["df"] as? Int ?? -1)", "df c vs d")
        #expect(tests.allSatisfy { ($0["p_value"] as? Double ?? 1) < 0.0001 })
        claim("(\(closed["chosen_letter"] as? String ?? "?"))", "closed testing's choice")
        let models = try #require(closed["models"] as? [[String: Any]])
        claim(NotebookRun.f(models.first { $0["letter"] as? String == "c" }?["slope"]), "(c)'s slope")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/2025-10-01/updated-recalibration.json").path))

        let comparison = try NotebookRun.json(dir.appendingPathComponent("runs/2025-10-01/comparison.json"))
        let championEval = try #require(comparison["champion"] as? [String: Any])
        let segments = try #require(championEval["segments"] as? [[String: Any]])
        let syndication = try #require(segments.first { $0["group"] as? String == "lead_source=content_syndication" })
        #expect(syndication["verdict"] as? String == "below_predicted")
        claim(NotebookRun.f(((syndication["mean_predicted"] as? Double) ?? .nan) * 100, 1) + " %", "syndication predicted")
        claim(NotebookRun.f(((syndication["observed_rate"] as? Double) ?? .nan) * 100, 1) + " %", "syndication observed")
        let cLevel = try #require(segments.first { $0["group"] as? String == "job_seniority=c_level" })
        #expect(cLevel["verdict"] as? String == "above_predicted")

        func drift(_ key: String) throws -> [String: (psi: Double, band: String)] {
            let list = try #require(comparison[key] as? [[String: Any]])
            return Dictionary(
                list.map { ($0["variable"] as? String ?? "", (($0["psi"] as? Double) ?? .nan, $0["band"] as? String ?? "")) },
                uniquingKeysWith: { a, _ in a })
        }
        let sinceChampion = try drift("champion_drift"), trainToTest = try drift("drift")
        claim(NotebookRun.f(sinceChampion["lead_source"]?.psi), "lead-source PSI since the champion")
        #expect(sinceChampion["lead_source"]?.band == "shifted")
        claim(NotebookRun.f(trainToTest["lead_source"]?.psi), "lead-source PSI, training window → test")
        #expect(trainToTest["lead_source"]?.band == "watch")
        for (variable, value) in sinceChampion.merging(trainToTest, uniquingKeysWith: { a, _ in a }) where variable != "lead_source" {
            #expect(value.band == "stable", "\(variable) should be stable (PSI \(value.psi))")
        }

        let changes = try #require(comparison["weight_changes"] as? [[String: Any]])
        for term in ["log1p(webinars_attended)", "log1p(pricing_page_views)"] {
            let change = try #require(changes.first { $0["term"] as? String == term })
            claim(NotebookRun.f((change["champion"] as? [String: Any])?["estimate"]), "\(term) champion")
            claim(NotebookRun.f((change["challenger"] as? [String: Any])?["estimate"]), "\(term) challenger")
        }

        let chosen = try #require(comparison["chosen_threshold"] as? [String: Any])
        claim(NotebookRun.f(chosen["threshold"], 0) + " points", "MQL threshold")
        claim(NotebookRun.f(chosen["mqls_per_week"], 1), "MQLs per week")
        claim(NotebookRun.f(((chosen["precision"] as? Double) ?? .nan) * 100, 1) + " %", "precision")
        claim(NotebookRun.f(((chosen["recall"] as? Double) ?? .nan) * 100, 1) + " %", "recall")
        let weights = try NotebookRun.json(dir.appendingPathComponent("runs/2025-10-01/challenger.json"))
        #expect((weights["thresholds"] as? [String: Any])?["mql"] as? Double == chosen["threshold"] as? Double)

        let recent = try NotebookRun.json(dir.appendingPathComponent("runs/2025-10-01-recent/recommendation.json"))
        claim(NotebookRun.f((recent["challenger"] as? [String: Any])?["auc"]), "recent-window AUC")
        claim(NotebookRun.f(recent["delong_p_value"], 4), "recent-window DeLong p")
        claim(NotebookRun.f((recent["thresholds"] as? [String: Any])?["mql"], 0) + " points", "recent-window threshold")
        for run in ["2024-10-01", "2025-10-01", "2025-10-01-recent"] {
            let figures = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("runs/\(run)/figures").path)
            #expect(figures.count >= 6, "\(run) figures: \(figures)")
        }
    }
}
