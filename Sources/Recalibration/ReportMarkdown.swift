import BatonSupport
import LabNumerics
import LabStatistics
import ReportRendering
import ScoringModelFormat

/// `report.md`: summary and recommendation first, then the tables and the figures. Plain
/// GitHub-flavoured markdown, readable on any git host.
enum ReportMarkdown {
    static func f(_ x: Double, _ digits: Int = 3) -> String { NumberFormat.fixed(x, digits) }
    static func pct(_ x: Double) -> String { NumberFormat.percent(x) }

    static func render(_ r: QuarterlyRecalibration.Result, figures: ReportFigures.Figures) -> String {
        var md = MarkdownWriter()
        let drawn = Set(figures.files.map(\.name))
        /// The figures next to the table they illustrate.
        func figure(_ names: String...) {
            for name in names where drawn.contains(name) {
                md.image("figures/\(name)", alt: figureTitle(name))
                md.line()
            }
        }
        let asOf = CivilDate.isoDate(day: r.options.asOfDay)
        let ch = r.challenger, champ = r.champion
        md.line("# Quarterly recalibration as of \(asOf)")
        md.line("")
        md.line("## Summary")
        md.line("")
        md.line("**Recommendation: \(r.decision == .promote ? "promote the challenger" : "keep the champion")** — \(r.reason).")
        md.line("")
        md.line(
            "- Data: `\(r.dataFile)`. Test quarter **\(r.testQuarter)** (\(r.testQuarter.span)): \(r.testRows) leads, \(r.testPositives) won (\(pct(Double(r.testPositives) / Double(max(1, r.testRows))))), outcomes matured (quarter end + \(r.options.outcomeWindowDays) days ≤ \(asOf))."
        )
        for note in r.options.dataNotes { md.line("- \(note)") }
        if r.testCoverage.isPartial {
            md.line(
                "- **Partial test quarter:** \(r.testCoverage.statement) (\(r.testCoverage.span)); weekly volumes divide by those \(f(r.testCoverage.weeks, 2)) weeks, not the quarter's \(f(Double(r.testQuarter.dayCount) / 7, 2))."
            )
        }
        md.line(
            "- Challenger trained on \(r.trainRows) leads created \(r.trainSpan) (\(r.trainPositives) won)\(r.options.trainQuarters.map { ", the \($0) quarters before the test quarter" } ?? ", every lead before the test quarter"). \(r.excludedRows) leads outside both windows (not yet matured, or before the training window) were not used."
        )
        if let champ, let c = r.comparison {
            md.line(
                "- AUC: challenger **\(f(ch.metrics.auc.value))** vs champion **\(f(champ.metrics.auc.value))**; difference \(f(c.difference)) (95 % CI \(f(c.confidenceInterval.lower)) to \(f(c.confidenceInterval.upper))), DeLong z = \(f(c.z, 2)), p \(NumberFormat.pValue(c.pValue).hasPrefix("<") ? NumberFormat.pValue(c.pValue) : "= " + NumberFormat.pValue(c.pValue))."
            )
            md.line("- ECE: challenger \(f(ch.metrics.expectedCalibrationError)) vs champion \(f(champ.metrics.expectedCalibrationError)).")
        } else {
            md.line(
                "- First run: no champion. Challenger AUC on the test quarter **\(f(ch.metrics.auc.value))**, ECE \(f(ch.metrics.expectedCalibrationError))."
            )
        }
        func moved(_ drift: [QuarterlyRecalibration.Drift]) -> String {
            let shifted = drift.filter { $0.stability.band != .stable }.sorted { $0.stability.index > $1.stability.index }
            return shifted.isEmpty
                ? "every PSI below 0.1 (stable)"
                : shifted.map { "\($0.variable) \(f($0.stability.index)) (\($0.stability.band.rawValue))" }.joined(separator: ", ")
        }
        md.line("- Drift, training window → test quarter: \(moved(r.drift)).")
        if !r.championDrift.isEmpty {
            md.line("- Drift since the champion was fitted (its training window → test quarter): \(moved(r.championDrift)).")
        }
        if let t = r.chosenThreshold {
            md.line(
                "- MQL threshold **\(f(t.threshold, 0)) points** (challenger): \(f(t.leadsPerWeek, 1)) MQLs per week, \(f(t.expectedConversions / r.thresholdCurve.weeks, 1)) expected conversions per week, precision \(pct(t.precision)), recall \(pct(t.recall)) on the test quarter."
            )
        }
        md.line("")
        md.line("**Rule.** \(r.options.rule.statement.prefix(1).uppercased() + r.options.rule.statement.dropFirst()).")
        md.line("")
        md.line(
            "Files: `challenger.json` (weight file\(r.challenger.model.thresholds?.mql != nil ? ", with `thresholds.mql`" : "")), `recommendation.json`, `comparison.json`."
        )
        md.line("")

        if let u = r.modelUpdating {
            updating(u, into: &md)
        } else if let note = r.modelUpdatingNote {
            md.line("## Model updating by closed testing")
            md.line("")
            md.line(note)
            md.line("")
        }

        md.line("## Champion vs challenger on the test quarter")
        md.line("")
        md.line(metricsTable(ch, champ))
        for unseen in (champ?.unseenLevels ?? []) + ch.unseenLevels where unseen.rows > 0 {
            md.line("")
            md.line("Note: \(unseen.description).")
        }
        md.line("")
        for e in [champ, ch].compactMap({ $0 }) {
            md.line("### Score bands: \(e.role)")
            md.line("")
            md.line(checkTable(e.bandChecks, first: "band", extra: e.metrics.bands.bands.map { ($0.lift, $0.cumulativeGain) }))
            md.line("")
        }

        figure("reliability.svg", "score-distribution.svg", "cumulative-gains.svg", "lift.svg")

        md.line("## Leads that score highly but rarely convert (and the reverse)")
        md.line("")
        md.line(
            "A band or segment is flagged when its observed conversion's Wilson 95 % interval lies entirely below (or above) its mean predicted probability; groups under \(r.options.minimumGroupCount) leads are not judged. With many groups tested, about 1 in 20 consistent groups can be flagged by chance: read a flag together with its size and gap."
        )
        md.line("")
        for e in [champ, ch].compactMap({ $0 }) {
            let flagged = (e.bandChecks + e.segmentChecks).filter { $0.verdict == .belowPredicted || $0.verdict == .abovePredicted }
            md.line(
                "### \(e.role.prefix(1).uppercased() + e.role.dropFirst()): \(flagged.count) flag\(flagged.count == 1 ? "" : "s") of \(e.bandChecks.count + e.segmentChecks.count) groups"
            )
            md.line("")
            if flagged.isEmpty {
                md.line("No band or segment converts significantly differently from its prediction.")
            } else {
                md.line(
                    checkTable(
                        flagged.sorted {
                            abs($0.observedRate - $0.meanPredicted) * Double($0.count).squareRoot() > abs($1.observedRate - $1.meanPredicted)
                                * Double($1.count).squareRoot()
                        }, first: "group", extra: nil))
            }
            md.line("")
        }

        md.line("## Drift between the training window and the test quarter")
        md.line("")
        md.line(
            "Population stability index `PSI = Σ (aᵢ − eᵢ) ln(aᵢ / eᵢ)` over bins of the training distribution (numbers: its deciles; categories: their levels); < 0.1 stable, 0.1–0.25 watch, > 0.25 shifted. Empty bins: \(PopulationStability.emptyBinRule)."
        )
        md.line("")
        md.line(driftTable(r.drift, heading: "Training window (\(r.trainSpan)) → test quarter \(r.testQuarter)"))
        if let span = r.championSpan, !r.championDrift.isEmpty {
            md.line("")
            md.line(
                driftTable(r.championDrift, heading: "Since the champion was fitted: its training window (\(span)) → test quarter \(r.testQuarter)"))
        }
        md.line("")

        figure("psi.svg")

        if !r.weightChanges.isEmpty {
            md.line("## Weight changes, champion → challenger")
            md.line("")
            md.line(
                "β in log-odds per unit of the term, with 95 % Wald intervals; z treats the two fits as independent (their windows overlap, so it is conservative). Sorted by |z|; ◆ marks non-overlapping intervals."
            )
            md.line("")
            let rows = r.weightChanges.sorted(by: { abs($0.z ?? 0) > abs($1.z ?? 0) }).map { w -> [String] in
                let pointsChange = (w.challenger?.points).flatMap { b in w.champion.map { b - $0.points } }
                return [
                    "\(w.term)\(w.intervalsDisjoint ? " ◆" : "")", estimate(w.champion), estimate(w.challenger),
                    w.difference.map { f($0) } ?? "–", pointsChange.map { f($0, 1) } ?? "–", w.z.map { f($0, 2) } ?? "–",
                ]
            }
            md.table(
                ["term", "champion β [95 % CI]", "challenger β [95 % CI]", "change", "points change", "z"], rows,
                align: [.left, .left, .left, .right, .right, .right])
        }

        figure("weight-changes.svg")

        md.line("## MQL threshold from capacity")
        md.line("")
        let weeks = r.thresholdCurve.weeks
        if let t = r.chosenThreshold {
            var asked: [String] = []
            if let c = r.options.capacityPerWeek {
                asked.append("capacity \(f(c, 0)) leads per week (the lowest threshold whose weekly MQL volume fits)")
            }
            if let g = r.options.targetConversion {
                asked.append("target conversion \(pct(g)) among MQLs (the lowest threshold whose observed precision reaches it)")
            }
            let keptChampion =
                r.championThreshold.map {
                    " If the champion is kept instead, the same rule on its own points scale gives \(f($0.threshold, 0)) points (\(f($0.leadsPerWeek, 1)) MQLs per week, precision \(pct($0.precision)), recall \(pct($0.recall)))."
                } ?? ""
            md.line(
                "Asked: \(asked.joined(separator: " and "))\(asked.count > 1 ? "; with both, the higher threshold" : ""). Chosen: **\(f(t.threshold, 0)) points**, stored as `thresholds.mql` in `challenger.json`."
                    + keptChampion)
        } else {
            md.line("No `--capacity-per-week` or `--target-conversion` given: the curve below is for reading; `thresholds` are the spec's.")
        }
        md.line("")
        let divisor =
            r.testCoverage.isPartial
            ? "the \(f(weeks, 2)) weeks the data covers (\(r.testCoverage.statement), \(r.testCoverage.span): a partial quarter)"
            : "its \(f(weeks, 2)) weeks"
        md.line(
            "Volumes are the test quarter's counts divided by \(divisor); expected conversions are Σ p of the challenger over the MQLs; precision and recall are observed."
        )
        md.line("")
        let centre = r.chosenThreshold?.threshold ?? (r.challenger.model.thresholds?.mql ?? median(r.challenger.points).rounded())
        let curveRows = r.thresholdCurve.around(centre).map { p -> [String] in
            let mark = p.threshold == r.chosenThreshold?.threshold ? " **←**" : ""
            return [
                f(p.threshold, 0) + mark, f(p.leadsPerWeek, 1), f(p.expectedConversions / weeks, 1), f(p.conversionsPerWeek, 1),
                pct(p.precision), pct(p.recall),
            ]
        }
        md.table(
            ["threshold (points)", "MQLs / week", "expected conversions / week", "observed conversions / week", "precision", "recall"],
            curveRows, align: Array(repeating: .right, count: 6))

        figure("threshold-curve.svg", "threshold-volume.svg")
        for problem in figures.problems {
            md.line("Figure not drawn: \(problem)")
            md.line("")
        }
        return md.lines.joined(separator: "\n")
    }

    static func driftTable(_ drift: [QuarterlyRecalibration.Drift], heading: String) -> String {
        let rows = drift.sorted(by: { $0.stability.index > $1.stability.index }).map { d -> [String] in
            let top = d.stability.bins.max { $0.contribution < $1.contribution }
            return [
                d.variable, f(d.stability.index), d.stability.band.rawValue, "\(d.stability.bins.count)",
                top.map { "\($0.label): \(pct($0.expectedShare)) → \(pct($0.actualShare))" } ?? "",
            ]
        }
        let table = MarkdownWriter.tableLines(
            ["variable", "PSI", "band", "bins", "largest contribution (train share → test share)"], rows,
            align: [.left, .right, .left, .right, .left])
        return (["### \(heading)", ""] + table).joined(separator: "\n")
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
        func row(_ name: String, _ value: (ModelEvaluation) -> String) -> [String] {
            [name, champ.map(value) ?? "–", value(ch)]
        }
        func cal(_ e: ModelEvaluation, _ pick: (CalibrationRegression) -> Double) -> String {
            (try? e.metrics.calibration.get()).map { f(pick($0)) } ?? "n/a"
        }
        return MarkdownWriter.tableLines(
            ["metric", "champion", "challenger"],
            [
                row("leads (won)") { "\($0.metrics.count) (\($0.metrics.positives))" },
                row("AUC [95 % CI]") {
                    "\(f($0.metrics.auc.value)) [\(f($0.metrics.auc.confidenceInterval.lower)), \(f($0.metrics.auc.confidenceInterval.upper))]"
                },
                row("log loss") { f($0.metrics.logLoss, 4) },
                row("Brier") { f($0.metrics.brier, 4) },
                row("calibration slope (ideal 1)") { cal($0) { $0.slope } },
                row("calibration intercept (ideal 0)") { cal($0) { $0.intercept } },
                row("ECE") { f($0.metrics.expectedCalibrationError, 4) },
                row("Hosmer–Lemeshow χ² (p)") {
                    "\(f($0.metrics.hosmerLemeshow.statistic, 1)) (\(NumberFormat.pValue($0.metrics.hosmerLemeshow.pValue)))"
                },
                row("mean predicted vs observed") {
                    "\(pct($0.probabilities.reduce(0, +) / Double($0.probabilities.count))) vs \(pct($0.metrics.prevalence))"
                },
            ], align: [.left, .right, .right]
        ).joined(separator: "\n")
    }

    static func checkTable(_ checks: [ConversionCheck], first: String, extra: [(lift: Double, gain: Double)]?) -> String {
        var rows: [[String]] = []
        for (k, c) in checks.enumerated() {
            let verdict: String
            switch c.verdict {
            case .belowPredicted: verdict = "▼ below predicted"
            case .abovePredicted: verdict = "▲ above predicted"
            case .consistent: verdict = "consistent"
            case .tooFew: verdict = "too few to judge"
            }
            var row = [
                c.group, "\(c.count)", "\(c.positives)", pct(c.meanPredicted),
                "\(pct(c.observedRate)) [\(pct(c.interval.lower)), \(pct(c.interval.upper))]", verdict,
            ]
            if let extra, k < extra.count { row += [f(extra[k].lift, 2), pct(extra[k].gain)] }
            rows.append(row)
        }
        let header =
            [first, "leads", "won", "mean predicted", "observed [Wilson 95 %]", "verdict"] + (extra == nil ? [] : ["lift", "cumulative gain"])
        return MarkdownWriter.tableLines(header, rows, align: [.left, .right, .right, .right, .left, .left, .right, .right]).joined(separator: "\n")
    }
}
