import Foundation
import TestSupport
import Testing

/// `baton fit` / `baton validate` end to end against the statsmodels and scikit-learn figures in
/// `../shared/reference/` (tolerances from its README).
@Suite struct FitReferenceTests {
    /// The spec of the shared synthetic reference files (gen_leads.py's encoding).
    static func syntheticSpec(penalty: Double) -> String {
        let categorical = [
            "company_size", "industry", "region", "job_seniority", "budget_authority", "purchase_timeline",
            "lead_source", "department", "current_solution", "product_interest",
        ]
        let counts = [
            "content_downloads", "webinars_attended", "email_opens", "email_clicks", "page_views",
            "pricing_page_views", "demo_requests", "site_visits", "form_submissions", "free_trial_days_active",
            "events_attended", "sales_meetings", "social_engagements", "support_chats", "days_since_last_activity",
        ]
        var lines = ["outcome: {column: won, positive: [\"1\"]}", "id: lead_id", "time: created_at", "features:"]
        lines += categorical.map { "  - {column: \($0), type: categorical}" }
        lines += counts.map { "  - {column: \($0), type: numeric, transform: log1p}" }
        lines.append("penalty: \(penalty)")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func xEducationMatchesStatsmodels() async throws {
        let dir = try CLI.scratch()
        let spec = dir.appendingPathComponent("x.spec.yaml")
        try spec.write(SharedData.xEducationSpec)
        let model = dir.appendingPathComponent("x.json")
        let result = try await CLI.run([
            "fit", "--data", SharedData.xEducationLeads.path, "--spec", spec.path,
            "--out", model.path, "--json",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try result.json()
        let reference = try SharedData.json("reference/x_education_fit.json")
        let coefficients = try #require(reference["coefficients"] as? [String: [String: Double]])
        let columns = try #require(reference["columns"] as? [String])
        let terms = try #require(json["terms"] as? [[String: Any]])
        #expect(json["converged"] as? Bool == true)
        #expect(terms.count == columns.count)
        for (term, column) in zip(terms, columns) {
            // Reference names: `const` and `Column_Level`; Baton's: `(intercept)` and `Column=Level`.
            let expectedName = column == "const" ? "(intercept)" : column
            let name = try #require(term["name"] as? String)
            #expect(name == expectedName || name.replacingOccurrences(of: "=", with: "_") == expectedName)
            let ref = try #require(coefficients[column])
            let estimate = try #require(term["estimate"] as? Double)
            let se = try #require(term["std_error"] as? Double)
            #expect(isClose(estimate, try #require(ref["coef"]), mixed: ReferenceTolerance.coefficient), "\(name)")
            #expect(isClose(se, try #require(ref["se"]), absolute: ReferenceTolerance.standardError), "\(name)")
            #expect(isClose(try #require(term["z"] as? Double), try #require(ref["z"]), relative: 1e-5), "\(name)")
            let p = try #require(term["p_value"] as? Double), refP = try #require(ref["p"])
            #expect(isClose(p, refP, absolute: 1e-12, relative: 1e-4), "\(name): p \(p) vs \(refP)")
            let low = try #require(term["ci_low"] as? Double), high = try #require(term["ci_high"] as? Double)
            #expect(isClose(high - low, 2 * 1.959963984540054 * se, relative: 1e-12))
        }
        let ll = try #require(json["log_likelihood"] as? Double)
        #expect(isClose(ll, try #require(reference["loglik"] as? Double), relative: ReferenceTolerance.logLikelihood))
        #expect(
            isClose(
                try #require(json["null_log_likelihood"] as? Double), try #require(reference["loglik_null"] as? Double),
                relative: 1e-9))
        #expect(isClose(try #require(json["aic"] as? Double), try #require(reference["aic"] as? Double), relative: 1e-9))
        #expect(isClose(try #require(json["bic"] as? Double), try #require(reference["bic"] as? Double), relative: 1e-9))
        #expect(
            isClose(
                try #require(json["mcfadden_r2"] as? Double), try #require(reference["mcfadden_pseudo_r2"] as? Double),
                relative: 1e-8))
        #expect(json["rows"] as? Int == reference["n_obs"] as? Int)
        #expect(json["rows_dropped"] as? Int == reference["rows_dropped_missing_numeric"] as? Int)
        let metrics = try #require(json["metrics"] as? [String: Any])
        #expect(
            isClose(
                try #require(metrics["auc"] as? Double), try #require(reference["auc_in_sample"] as? Double),
                relative: 1e-9))

        // The weight file reads back and validates to the same in-sample AUC.
        let validation = try await CLI.run(["validate", "--model", model.path, "--data", SharedData.xEducationLeads.path, "--json"])
        #expect(validation.exitCode == 0, "\(validation.stderr)")
        let v = try validation.json()
        #expect(isClose(try #require(v["auc"] as? Double), try #require(reference["auc_in_sample"] as? Double), relative: 1e-9))
        #expect(v["rows"] as? Int == 9103)
    }

    /// Issue 21's sparse level: with `min_count: 20`, `Lead Origin=Other` holds one lead (Quick
    /// Add Form, converted), so its estimate runs away (β 41, SE 1.4e8) while the fit looked
    /// converged, and every lead's first reason became "costs 1184 points against 'Other'". It is
    /// quasi-complete separation, refused with the level, its counts and the remedy.
    @Test func aRareLevelThatRunsAwayIsRefusedAsSeparation() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("x.spec.yaml")
        // Missing visits count as zero (as the run had it), so the one Quick Add Form lead stays in.
        try spec.write(
            SharedData.xEducationSpec.replacingOccurrences(
                of: "Lead Origin, type: categorical, min_count: 100", with: "Lead Origin, type: categorical, min_count: 20"
            )
            .replacingOccurrences(of: "missing: drop_row", with: "missing: zero"))
        let result = try await CLI.run([
            "fit", "--data", SharedData.xEducationLeads.path, "--spec", spec.path, "--out", dir.appendingPathComponent("x.json").path,
        ])
        #expect(result.exitCode == 65, "\(result.stdout.suffix(400)) \(result.stderr)")
        #expect(result.stderr.contains("separation") && result.stderr.contains("Lead Origin=Other"), "\(result.stderr)")
        #expect(result.stderr.contains("penalty") && result.stderr.contains("min_count"), "the remedy is named: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.json").path), "no weight file is written")
    }

    @Test(arguments: [("unpenalised", 0.0), ("ridge_C1", 1.0)])
    func syntheticMatchesReference(fit: String, penalty: Double) async throws {
        let dir = try CLI.scratch()
        let spec = dir.appendingPathComponent("s.spec.yaml")
        try spec.write(Self.syntheticSpec(penalty: penalty))
        let data = try SharedData.syntheticReferenceCSV(rows: 10_000)
        let model = dir.appendingPathComponent("s.json")
        let result = try await CLI.run(["fit", "--data", data.path, "--spec", spec.path, "--out", model.path, "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try result.json()
        let reference = try SharedData.json("reference/synthetic/reference_10k.json")
        let names = try #require((reference["dataset"] as? [String: Any])?["columns"] as? [String])
        let ref = try #require((reference["reference"] as? [String: Any])?[fit] as? [String: Any])
        let expected = try #require(ref["coef"] as? [Double])
        let terms = try #require(json["terms"] as? [[String: Any]])
        #expect(terms.compactMap { $0["name"] as? String } == names.map { $0 == "intercept" ? "(intercept)" : $0 })
        for (term, b) in zip(terms, expected) {
            #expect(isClose(try #require(term["estimate"] as? Double), b, mixed: ReferenceTolerance.coefficient))
        }
        #expect(
            isClose(
                try #require(json["log_likelihood"] as? Double), try #require(ref["loglik"] as? Double),
                relative: ReferenceTolerance.logLikelihood))
        guard fit == "unpenalised" else { return }
        let metrics = try #require(reference["metrics_in_sample_unpenalised"] as? [String: Any])
        let validation = try await CLI.run(["validate", "--model", model.path, "--data", data.path, "--json"])
        #expect(validation.exitCode == 0, "\(validation.stderr)")
        let v = try validation.json()
        #expect(isClose(try #require(v["auc"] as? Double), try #require(metrics["auc"] as? Double), relative: 1e-9))
        #expect(isClose(try #require(v["brier"] as? Double), try #require(metrics["brier"] as? Double), relative: 1e-9))
        #expect(isClose(try #require(v["log_loss"] as? Double), try #require(metrics["log_loss_mean"] as? Double), relative: 1e-9))
        let hl = try #require(v["hosmer_lemeshow"] as? [String: Any])
        #expect(isClose(try #require(hl["statistic"] as? Double), try #require(metrics["hosmer_lemeshow_10"] as? Double), relative: 1e-6))
        #expect(isClose(try #require(hl["p_value"] as? Double), try #require(metrics["hosmer_lemeshow_10_pvalue"] as? Double), relative: 1e-6))
        #expect(hl["df"] as? Int == 8)
        let bands = try #require(v["bands"] as? [[String: Any]])
        #expect(bands.count == 10)
        #expect(bands.compactMap { $0["n"] as? Int }.reduce(0, +) == 10_000)
        #expect(bands.compactMap { $0["positives"] as? Int }.reduce(0, +) == 1148)
    }
}
