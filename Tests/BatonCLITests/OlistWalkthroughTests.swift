import Foundation
import TestSupport
import Testing

/// Runs every `baton` command of Notebooks-md/olist-recalibration.md in a fresh folder (with
/// `../shared/` pointed at ``SharedData/root``) and checks the figures the text quotes in bold
/// against what the commands print and write, and against plain readings of the raw files.
/// Runs through the shared ``NotebookRun``.
@Suite struct OlistWalkthroughTests {
    @Test func walkthroughRunsAndItsFiguresHold() async throws {
        let run = try await NotebookRun("olist-recalibration.md", expectedCommands: 5)
        let text = run.text, dir = run.folder, stdout = run.stdout
        func claim(_ figure: String, _ why: String, sourceLocation: SourceLocation = #_sourceLocation) {
            run.claim(figure, why, sourceLocation: sourceLocation)
        }
        func f(_ x: Any?, _ digits: Int = 3) -> String { NotebookRun.f(x, digits) }

        // 1. Import: counts from a plain reading of the raw files.
        let mqlRows = try String(contentsOf: SharedData.olistLeads, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let dealRows = try String(contentsOf: SharedData.olistDeals, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }  // id and won_date precede any quoted field
        let dealIDs = Set(dealRows.map { $0[0] })
        let wins = mqlRows.filter { dealIDs.contains($0[0]) }.count
        claim("\(mqlRows.count)", "MQLs")
        claim("\(wins)", "wins")
        #expect(stdout[0].contains("\(mqlRows.count) MQLs (first contact 2017-06-14 … 2018-05-31), \(wins) won (10.5 %)"))
        #expect(stdout[0].contains("every closed deal matched an MQL"))
        let days = ISO8601DateFormatter()
        days.formatOptions = [.withFullDate]
        let contact = Dictionary(uniqueKeysWithValues: mqlRows.map { ($0[0], $0[1]) })
        var lags: [Int] = []
        for deal in dealRows {
            let won = try #require(days.date(from: String(deal[4].prefix(10))))
            let start = try #require(days.date(from: contact[deal[0]] ?? ""))
            lags.append(Int((won.timeIntervalSince(start) / 86_400).rounded()))
        }
        lags.sort()
        func nearestRank(_ p: Double) -> Int { lags[Int((p * Double(lags.count)).rounded(.up)) - 1] }
        claim("\(nearestRank(0.5))", "median days to win")
        claim("\(nearestRank(0.9))", "90 % of wins within")
        claim("\(lags.last ?? -1)", "slowest win")
        #expect(stdout[0].contains("median \(nearestRank(0.5)), 90 % within \(nearestRank(0.9)), max \(lags.last ?? -1)"))
        func shareWithin(_ d: Int) -> String { f(100 * Double(lags.filter { $0 <= d }.count) / Double(lags.count), 1) + " %" }
        claim(shareWithin(168), "wins within 168 days")
        claim(shareWithin(90), "wins within 90 days")
        #expect(text.contains("(\(shareWithin(120)) of wins)"))
        let lastWon = try #require(dealRows.map { String($0[4].prefix(10)) }.max())
        claim(lastWon, "last won_date")
        let asOf = try #require(days.date(from: lastWon)).addingTimeInterval(86_400)
        claim("as of \(days.string(from: asOf))", "the run's date")

        // The written table: pages kept, rates by year, wins of the thin levels.
        let leads = try String(contentsOf: dir.appendingPathComponent("olist-leads.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var pageCounts: [String: Int] = [:]
        for row in mqlRows { pageCounts[row[2], default: 0] += 1 }
        claim("\(pageCounts.values.filter { $0 >= 100 }.count)", "pages with ≥ 100 MQLs")
        for year in ["2017", "2018"] {
            let rows = leads.filter { $0[1].hasPrefix(year) }
            claim(f(100 * Double(rows.filter { $0[7] == "1" }.count) / Double(rows.count), 1) + " %", "won rate \(year)")
        }
        func winsOf(origin: String) -> Int { leads.filter { $0[2] == origin && $0[7] == "1" }.count }
        for origin in ["other_publicities", "other", "display", ""] {
            claim("\(winsOf(origin: origin))", "wins of origin \(origin.isEmpty ? "Missing" : origin)")
        }
        #expect(
            text.contains(
                "**\(winsOf(origin: "other_publicities"))** wins (`other_publicities`, \(leads.filter { $0[2] == "other_publicities" }.count) MQLs)"))

        // 2–3. Fit and in-sample validation (re-run with --json for the numbers).
        let fit = try await CLI.run(["fit", "--data", "olist-leads.csv", "--spec", "olist.spec.yaml", "--out", "check.json", "--json"], in: dir)
            .json()
        let terms = try #require(fit["terms"] as? [[String: Any]]).filter { $0["name"] as? String != "(intercept)" }
        #expect(terms.count == 27)
        let excluding = terms.filter { (($0["ci_low"] as? Double) ?? 0) > 0 || (($0["ci_high"] as? Double) ?? 0) < 0 }
        claim("\(excluding.count)", "terms whose CI excludes zero")
        #expect(excluding.filter { ($0["name"] as? String ?? "").hasPrefix("origin=") }.count == 3)
        #expect(excluding.filter { ($0["name"] as? String ?? "").hasPrefix("contact_weekday=") }.isEmpty)
        let validation = try await CLI.run(["validate", "--model", "olist-all.json", "--data", "olist-leads.csv", "--json"], in: dir).json()
        claim(f(validation["auc"]), "in-sample AUC")
        claim(f(validation["auc_ci_low"]), "in-sample AUC CI low")
        claim(f(validation["auc_ci_high"]), "in-sample AUC CI high")
        #expect(
            stdout[2].contains("AUC \(f(validation["auc"], 4)) (DeLong 95 % CI \(f(validation["auc_ci_low"], 4))–\(f(validation["auc_ci_high"], 4)))")
        )

        // 4. First run.
        let first = try NotebookRun.json(dir.appendingPathComponent("runs/olist-2018Q2/recommendation.json"))
        claim(first["test_quarter"] as? String ?? "?", "test quarter")
        claim("\(first["test_leads"] as? Int ?? -1)", "test leads")
        claim("\(first["test_positives"] as? Int ?? -1)", "test wins")
        claim("\(first["train_leads"] as? Int ?? -1)", "training leads")
        claim("\(first["train_positives"] as? Int ?? -1)", "training wins")
        #expect(first["decision"] as? String == "promote")
        // Coverage of the test quarter: the MQL file's last first-contact day against the quarter.
        let lastContact = try #require(mqlRows.map { $0[1] }.max())
        let quarterStart = try #require(days.date(from: "2018-04-01")), quarterEnd = try #require(days.date(from: "2018-07-01"))
        let coveredDays = Int((try #require(days.date(from: lastContact)).timeIntervalSince(quarterStart) / 86_400).rounded()) + 1
        let quarterDays = Int((quarterEnd.timeIntervalSince(quarterStart) / 86_400).rounded())
        let coverage = try #require(first["test_coverage"] as? [String: Any])
        #expect(coverage["days_covered"] as? Int == coveredDays && coverage["days_in_quarter"] as? Int == quarterDays)
        #expect(coverage["partial"] as? Bool == true)
        claim("the data covers \(coveredDays) of \(quarterDays) days of 2018Q2", "coverage of the test quarter")
        #expect(stdout[3].contains("Warning: partial test quarter: the data covers \(coveredDays) of \(quarterDays) days of 2018Q2"))
        let weeks = Double(coveredDays) / 7
        claim(f(weeks, 2), "covered weeks")
        let testLeads = Double(first["test_leads"] as? Int ?? -1)
        claim(f(testLeads / weeks, 1), "MQLs per week at the lowest threshold")
        #expect(text.contains("it would read \(f(testLeads / 13, 1))"))
        let comparison = try NotebookRun.json(dir.appendingPathComponent("runs/olist-2018Q2/comparison.json"))
        let curve = try #require(comparison["threshold_curve"] as? [[String: Any]])
        #expect(isClose((curve.first?["mqls_per_week"] as? Double) ?? .nan, testLeads / weeks, absolute: 1e-9, relative: 1e-12))
        let report = try String(contentsOf: dir.appendingPathComponent("runs/olist-2018Q2/report.md"), encoding: .utf8)
        #expect(report.contains("**Partial test quarter:** the data covers \(coveredDays) of \(quarterDays) days of 2018Q2"))
        let challenger = try #require(comparison["challenger"] as? [String: Any])
        claim(f(challenger["auc"]), "out-of-time AUC")
        let ci = try #require(challenger["auc_ci"] as? [Double])
        try #require(ci.count == 2)
        claim(f(ci[0]), "out-of-time AUC CI low")
        claim(f(ci[1]), "out-of-time AUC CI high")
        claim(f(challenger["calibration_slope"]), "calibration slope")
        claim(f(challenger["ece"]), "ECE")
        let hl = try #require(challenger["hosmer_lemeshow"] as? [String: Any])
        claim(f(hl["p_value"], 4), "Hosmer–Lemeshow p")
        let bands = try #require(challenger["bands"] as? [[String: Any]])
        let n = bands.reduce(0.0) { $0 + Double($1["n"] as? Int ?? 0) }
        let predicted = bands.reduce(0.0) { $0 + Double($1["n"] as? Int ?? 0) * (($1["mean_predicted"] as? Double) ?? .nan) }
        let observed = bands.reduce(0.0) { $0 + Double($1["positives"] as? Int ?? 0) }
        claim(f(100 * predicted / n, 1) + " %", "mean predicted")
        claim(f(100 * observed / n, 1) + " %", "observed")
        let segments = try #require(challenger["segments"] as? [[String: Any]])
        #expect(!segments.contains { $0["verdict"] as? String == "below_predicted" })
        #expect(segments.contains { $0["verdict"] as? String == "above_predicted" })
        let drift = try #require(comparison["drift"] as? [[String: Any]])
        func psi(_ variable: String) -> Any? { drift.first { $0["variable"] as? String == variable }?["psi"] }
        claim(f(psi("landing_page_id")), "landing-page PSI")
        claim(f(psi("origin")), "origin PSI")
        let unseen = try #require(challenger["unseen_levels"] as? [[String: Any]])
        claim("\(unseen.first { $0["column"] as? String == "landing_page_id" }?["rows"] as? Int ?? -1)", "unseen landing-page rows")

        // 5. Second run: 2018Q1-only challenger against the first run's model.
        let second = try NotebookRun.json(dir.appendingPathComponent("runs/olist-2018Q2-recent/recommendation.json"))
        #expect(second["test_quarter"] as? String == "2018Q2")
        claim(f((second["challenger"] as? [String: Any])?["auc"]), "recent challenger AUC")
        claim(f((second["champion"] as? [String: Any])?["auc"]), "champion AUC")
        claim(f(second["delong_p_value"], 4), "DeLong p")
        claim(f((second["challenger"] as? [String: Any])?["ece"]), "recent challenger ECE")
        claim("Recommendation: \(second["decision"] as? String ?? "?").", "the decision")
        let changes = try #require(
            try NotebookRun.json(dir.appendingPathComponent("runs/olist-2018Q2-recent/comparison.json"))["weight_changes"] as? [[String: Any]])
        for change in changes where change["term"] as? String != "(intercept)" {
            if let z = change["z"] as? Double { #expect(abs(z) < 1.96, "\(change["term"] ?? "?") changed by z = \(z)") }
        }
    }
}
