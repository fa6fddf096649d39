import LabStatistics
import BatonSupport
import LabNumerics
import ScoringModelFormat

/// `report.md`: summary and recommendation first, then the tables and the figures. Plain
/// GitHub-flavoured markdown, readable on any git host.
enum ReportMarkdown {
    static func f(_ x: Double, _ digits: Int = 3) -> String { Format.fixed(x, digits) }
    static func pct(_ x: Double) -> String { Format.percent(x) }

    static func render(_ r: QuarterlyRecalibration.Result, figures: ReportFigures.Figures) -> String {
        var out: [String] = []
        let drawn = Set(figures.files.map(\.name))
        /// The figures next to the table they illustrate.
        func figure(_ names: String...) {
            for name in names where drawn.contains(name) {
                out.append("![\(figureTitle(name))](figures/\(name))")
                out.append("")
            }
        }
        let asOf = CivilDate.isoDate(day: r.options.asOfDay)
        let ch = r.challenger, champ = r.champion
        out.append("# Quarterly recalibration as of \(asOf)")
        out.append("")
        out.append("## Summary")
        out.append("")
        out.append("**Recommendation: \(r.decision == .promote ? "promote the challenger" : "keep the champion")** — \(r.reason).")
        out.append("")
        out.append("- Data: `\(r.dataFile)`. Test quarter **\(r.testQuarter)** (\(r.testQuarter.span)): \(r.testRows) leads, \(r.testPositives) won (\(pct(Double(r.testPositives) / Double(max(1, r.testRows))))), outcomes matured (quarter end + \(r.options.outcomeWindowDays) days ≤ \(asOf)).")
        if r.testCoverage.isPartial {
            out.append("- **Partial test quarter:** \(r.testCoverage.statement) (\(r.testCoverage.span)); weekly volumes divide by those \(f(r.testCoverage.weeks, 2)) weeks, not the quarter's \(f(Double(r.testQuarter.dayCount) / 7, 2)).")
        }
        out.append("- Challenger trained on \(r.trainRows) leads created \(r.trainSpan) (\(r.trainPositives) won)\(r.options.trainQuarters.map { ", the \($0) quarters before the test quarter" } ?? ", every lead before the test quarter"). \(r.excludedRows) leads outside both windows (not yet matured, or before the training window) were not used.")
        if let champ, let c = r.comparison {
            out.append("- AUC: challenger **\(f(ch.metrics.auc.value))** vs champion **\(f(champ.metrics.auc.value))**; difference \(f(c.difference)) (95 % CI \(f(c.confidenceInterval.lower)) to \(f(c.confidenceInterval.upper))), DeLong z = \(f(c.z, 2)), p \(Format.pValue(c.pValue).hasPrefix("<") ? Format.pValue(c.pValue) : "= " + Format.pValue(c.pValue)).")
            out.append("- ECE: challenger \(f(ch.metrics.expectedCalibrationError)) vs champion \(f(champ.metrics.expectedCalibrationError)).")
        } else {
            out.append("- First run: no champion. Challenger AUC on the test quarter **\(f(ch.metrics.auc.value))**, ECE \(f(ch.metrics.expectedCalibrationError)).")
        }
        func moved(_ drift: [QuarterlyRecalibration.Drift]) -> String {
            let shifted = drift.filter { $0.stability.band != .stable }.sorted { $0.stability.index > $1.stability.index }
            return shifted.isEmpty ? "every PSI below 0.1 (stable)" : shifted.map { "\($0.variable) \(f($0.stability.index)) (\($0.stability.band.rawValue))" }.joined(separator: ", ")
        }
        out.append("- Drift, training window → test quarter: \(moved(r.drift)).")
        if !r.championDrift.isEmpty {
            out.append("- Drift since the champion was fitted (its training window → test quarter): \(moved(r.championDrift)).")
        }
        if let t = r.chosenThreshold {
            out.append("- MQL threshold **\(f(t.threshold, 0)) points** (challenger): \(f(t.leadsPerWeek, 1)) MQLs per week, \(f(t.expectedConversions / r.thresholdCurve.weeks, 1)) expected conversions per week, precision \(pct(t.precision)), recall \(pct(t.recall)) on the test quarter.")
        }
        out.append("")
        out.append("**Rule.** \(r.options.rule.statement.prefix(1).uppercased() + r.options.rule.statement.dropFirst()).")
        out.append("")
        out.append("Files: `challenger.json` (weight file\(r.challenger.model.thresholds?.mql != nil ? ", with `thresholds.mql`" : "")), `recommendation.json`, `comparison.json`.")
        out.append("")

        out.append("## Champion vs challenger on the test quarter")
        out.append("")
        out.append(metricsTable(ch, champ))
        for unseen in (champ?.unseenLevels ?? []) + ch.unseenLevels where unseen.rows > 0 {
            out.append("")
            out.append("Note: \(unseen.description).")
        }
        out.append("")
        for e in [champ, ch].compactMap({ $0 }) {
            out.append("### Score bands: \(e.role)")
            out.append("")
            out.append(checkTable(e.bandChecks, first: "band", extra: e.metrics.bands.bands.map { ($0.lift, $0.cumulativeGain) }))
            out.append("")
        }

        figure("reliability.svg", "score-distribution.svg", "cumulative-gains.svg", "lift.svg")

        out.append("## Leads that score highly but rarely convert (and the reverse)")
        out.append("")
        out.append("A band or segment is flagged when its observed conversion's Wilson 95 % interval lies entirely below (or above) its mean predicted probability; groups under \(r.options.minimumGroupCount) leads are not judged. With many groups tested, about 1 in 20 consistent groups can be flagged by chance: read a flag together with its size and gap.")
        out.append("")
        for e in [champ, ch].compactMap({ $0 }) {
            let flagged = (e.bandChecks + e.segmentChecks).filter { $0.verdict == .belowPredicted || $0.verdict == .abovePredicted }
            out.append("### \(e.role.prefix(1).uppercased() + e.role.dropFirst()): \(flagged.count) flag\(flagged.count == 1 ? "" : "s") of \(e.bandChecks.count + e.segmentChecks.count) groups")
            out.append("")
            if flagged.isEmpty {
                out.append("No band or segment converts significantly differently from its prediction.")
            } else {
                out.append(checkTable(flagged.sorted { abs($0.observedRate - $0.meanPredicted) * Double($0.count).squareRoot() > abs($1.observedRate - $1.meanPredicted) * Double($1.count).squareRoot() }, first: "group", extra: nil))
            }
            out.append("")
        }

        out.append("## Drift between the training window and the test quarter")
        out.append("")
        out.append("Population stability index `PSI = Σ (aᵢ − eᵢ) ln(aᵢ / eᵢ)` over bins of the training distribution (numbers: its deciles; categories: their levels); < 0.1 stable, 0.1–0.25 watch, > 0.25 shifted. Empty bins: \(PopulationStability.emptyBinRule).")
        out.append("")
        out.append(driftTable(r.drift, heading: "Training window (\(r.trainSpan)) → test quarter \(r.testQuarter)"))
        if let span = r.championSpan, !r.championDrift.isEmpty {
            out.append("")
            out.append(driftTable(r.championDrift, heading: "Since the champion was fitted: its training window (\(span)) → test quarter \(r.testQuarter)"))
        }
        out.append("")

        figure("psi.svg")

        if !r.weightChanges.isEmpty {
            out.append("## Weight changes, champion → challenger")
            out.append("")
            out.append("β in log-odds per unit of the term, with 95 % Wald intervals; z treats the two fits as independent (their windows overlap, so it is conservative). Sorted by |z|; ◆ marks non-overlapping intervals.")
            out.append("")
            out.append("| term | champion β [95 % CI] | challenger β [95 % CI] | change | points change | z |")
            out.append("| --- | --- | --- | ---: | ---: | ---: |")
            for w in r.weightChanges.sorted(by: { abs($0.z ?? 0) > abs($1.z ?? 0) }) {
                let pointsChange = (w.challenger?.points).flatMap { b in w.champion.map { b - $0.points } }
                out.append("| \(w.term)\(w.intervalsDisjoint ? " ◆" : "") | \(estimate(w.champion)) | \(estimate(w.challenger)) | \(w.difference.map { f($0) } ?? "–") | \(pointsChange.map { f($0, 1) } ?? "–") | \(w.z.map { f($0, 2) } ?? "–") |")
            }
            out.append("")
        }

        figure("weight-changes.svg")

        out.append("## MQL threshold from capacity")
        out.append("")
        let weeks = r.thresholdCurve.weeks
        if let t = r.chosenThreshold {
            var asked: [String] = []
            if let c = r.options.capacityPerWeek { asked.append("capacity \(f(c, 0)) leads per week (the lowest threshold whose weekly MQL volume fits)") }
            if let g = r.options.targetConversion { asked.append("target conversion \(pct(g)) among MQLs (the lowest threshold whose observed precision reaches it)") }
            let keptChampion = r.championThreshold.map { " If the champion is kept instead, the same rule on its own points scale gives \(f($0.threshold, 0)) points (\(f($0.leadsPerWeek, 1)) MQLs per week, precision \(pct($0.precision)), recall \(pct($0.recall)))." } ?? ""
            out.append("Asked: \(asked.joined(separator: " and "))\(asked.count > 1 ? "; with both, the higher threshold" : ""). Chosen: **\(f(t.threshold, 0)) points**, stored as `thresholds.mql` in `challenger.json`." + keptChampion)
        } else {
            out.append("No `--capacity-per-week` or `--target-conversion` given: the curve below is for reading; `thresholds` are the spec's.")
        }
        out.append("")
        let divisor = r.testCoverage.isPartial
            ? "the \(f(weeks, 2)) weeks the data covers (\(r.testCoverage.statement), \(r.testCoverage.span): a partial quarter)"
            : "its \(f(weeks, 2)) weeks"
        out.append("Volumes are the test quarter's counts divided by \(divisor); expected conversions are Σ p of the challenger over the MQLs; precision and recall are observed.")
        out.append("")
        out.append("| threshold (points) | MQLs / week | expected conversions / week | observed conversions / week | precision | recall |")
        out.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
        let centre = r.chosenThreshold?.threshold ?? (r.challenger.model.thresholds?.mql ?? median(r.challenger.points).rounded())
        for p in r.thresholdCurve.around(centre) {
            let mark = p.threshold == r.chosenThreshold?.threshold ? " **←**" : ""
            out.append("| \(f(p.threshold, 0))\(mark) | \(f(p.leadsPerWeek, 1)) | \(f(p.expectedConversions / weeks, 1)) | \(f(p.conversionsPerWeek, 1)) | \(pct(p.precision)) | \(pct(p.recall)) |")
        }
        out.append("")

        figure("threshold-curve.svg", "threshold-volume.svg")
        for problem in figures.problems {
            out.append("Figure not drawn: \(problem)")
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    static func driftTable(_ drift: [QuarterlyRecalibration.Drift], heading: String) -> String {
        var out = ["### \(heading)", "", "| variable | PSI | band | bins | largest contribution (train share → test share) |",
                   "| --- | ---: | --- | ---: | --- |"]
        for d in drift.sorted(by: { $0.stability.index > $1.stability.index }) {
            let top = d.stability.bins.max { $0.contribution < $1.contribution }
            out.append("| \(d.variable) | \(f(d.stability.index)) | \(d.stability.band.rawValue) | \(d.stability.bins.count) | \(top.map { "\($0.label): \(pct($0.expectedShare)) → \(pct($0.actualShare))" } ?? "") |")
        }
        return out.joined(separator: "\n")
    }

    static func figureTitle(_ name: String) -> String {
        name.replacingOccurrences(of: ".svg", with: "").replacingOccurrences(of: "-", with: " ")
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }

    static func estimate(_ e: TermEstimate?) -> String {
        guard let e else { return "–" }
        guard let ci = e.interval else { return f(e.estimate) }
        return "\(f(e.estimate)) [\(f(ci.lower)), \(f(ci.upper))]"
    }

    static func metricsTable(_ ch: ModelEvaluation, _ champ: ModelEvaluation?) -> String {
        func row(_ name: String, _ value: (ModelEvaluation) -> String) -> String {
            "| \(name) | \(champ.map(value) ?? "–") | \(value(ch)) |"
        }
        func cal(_ e: ModelEvaluation, _ pick: (CalibrationRegression) -> Double) -> String {
            (try? e.metrics.calibration.get()).map { f(pick($0)) } ?? "n/a"
        }
        return [
            "| metric | champion | challenger |",
            "| --- | ---: | ---: |",
            row("leads (won)") { "\($0.metrics.count) (\($0.metrics.positives))" },
            row("AUC [95 % CI]") { "\(f($0.metrics.auc.value)) [\(f($0.metrics.auc.confidenceInterval.lower)), \(f($0.metrics.auc.confidenceInterval.upper))]" },
            row("log loss") { f($0.metrics.logLoss, 4) },
            row("Brier") { f($0.metrics.brier, 4) },
            row("calibration slope (ideal 1)") { cal($0) { $0.slope } },
            row("calibration intercept (ideal 0)") { cal($0) { $0.intercept } },
            row("ECE") { f($0.metrics.expectedCalibrationError, 4) },
            row("Hosmer–Lemeshow χ² (p)") { "\(f($0.metrics.hosmerLemeshow.statistic, 1)) (\(Format.pValue($0.metrics.hosmerLemeshow.pValue)))" },
            row("mean predicted vs observed") { "\(pct($0.probabilities.reduce(0, +) / Double($0.probabilities.count))) vs \(pct($0.metrics.prevalence))" },
        ].joined(separator: "\n")
    }

    static func checkTable(_ checks: [ConversionCheck], first: String, extra: [(lift: Double, gain: Double)]?) -> String {
        var lines = ["| \(first) | leads | won | mean predicted | observed [Wilson 95 %] | verdict |\(extra == nil ? "" : " lift | cumulative gain |")",
                     "| --- | ---: | ---: | ---: | --- | --- |\(extra == nil ? "" : " ---: | ---: |")"]
        for (k, c) in checks.enumerated() {
            let verdict: String
            switch c.verdict {
            case .belowPredicted: verdict = "▼ below predicted"
            case .abovePredicted: verdict = "▲ above predicted"
            case .consistent: verdict = "consistent"
            case .tooFew: verdict = "too few to judge"
            }
            var line = "| \(c.group) | \(c.count) | \(c.positives) | \(pct(c.meanPredicted)) | \(pct(c.observedRate)) [\(pct(c.interval.lower)), \(pct(c.interval.upper))] | \(verdict) |"
            if let extra, k < extra.count { line += " \(f(extra[k].lift, 2)) | \(pct(extra[k].gain)) |" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
