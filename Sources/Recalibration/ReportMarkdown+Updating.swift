import LabStatistics
import ReportRendering

extension ReportMarkdown {
    /// `## Model updating by closed testing`: the LR tests on the update window, the choice, and
    /// the four models side by side on the test quarter.
    static func updating(_ u: ModelUpdating, into md: inout MarkdownWriter) {
        let t = u.testing
        md.line("## Model updating by closed testing")
        md.line("")
        md.line(
            "Four updates of the champion fitted on the update window (the challenger's \(u.updateRows) training leads, \(u.updatePositives) won): (a) \(ClosedTesting.Method.original.title), (b) \(ClosedTesting.Method.intercept.title), (c) \(ClosedTesting.Method.recalibration.title), (d) \(ClosedTesting.Method.revision.title). Closed testing as in Vergouwe et al., *Stat Med* 2017;36:4529–4539: each simpler model is tested against the revision (d) by a likelihood-ratio test, LR = 2(ℓ_d − ℓ_x) on χ² with the difference in estimated parameters as degrees of freedom, α = \(f(t.alpha, 2)); the first one not significantly worse is chosen (a, then b, then c, else d)."
        )
        md.line("")
        let rows = t.tests.map { test in
            [
                "\(test.simpler.letter) vs d", f(test.statistic, 2), "\(test.degreesOfFreedom)", NumberFormat.pValue(test.pValue),
                test.rejected ? "worse than d (p < \(f(t.alpha, 2)))" : "not significantly worse",
            ]
        }
        md.table(["test", "LR χ²", "df", "p", "verdict"], rows, align: [.left, .right, .right, .right, .left])
        md.line("")
        let b = t.fit(.intercept), c = t.fit(.recalibration)
        md.line(
            "**Closed testing chooses (\(t.chosen.letter)) \(t.chosen.title)**\(u.chosenFile.map { ": `\($0)`, the champion with the same encodings and terms" } ?? (t.chosen == .original ? ": keep the champion as it is" : ": the challenger, `challenger.json`"))."
        )
        md.line(
            "(b) α = \(f(b?.intercept ?? 0, 4)) (SE \(f(b?.interceptStandardError ?? 0, 4))), written as `\(ModelUpdating.interceptFile)`; (c) α = \(f(c?.intercept ?? 0, 4)) (SE \(f(c?.interceptStandardError ?? 0, 4))), β = \(f(c?.slope ?? 0, 4)) (SE \(f(c?.slopeStandardError ?? 0, 4))), written as `\(ModelUpdating.recalibratedFile)`: every weight × β, intercept α + β·β₀, points per unit rescaled on the champion's points scale."
        )
        if !u.nested {
            md.line("")
            md.line(
                "Note: the challenger's terms differ from the champion's (the spec or the levels changed), so (d) does not nest (a)–(c) exactly and the tests are approximate."
            )
        }
        md.line("")
        md.line("Side by side: ℓ and AIC on the update window; the rest out of time, on the test quarter.")
        md.line("")
        var table: [[String]] = []
        for fit in t.fits {
            guard let oot = u.outOfTime.first(where: { $0.method == fit.method }) else { continue }
            let calibration = try? oot.metrics.calibration.get()
            table.append([
                "(\(fit.method.letter)) \(fit.method.rawValue)", "\(fit.parameters)", f(fit.logLikelihood, 2), f(fit.aic, 2),
                f(oot.logLikelihood, 2), f(oot.metrics.auc.value), calibration.map { f($0.slope) } ?? "–",
                calibration.map { f($0.intercept) } ?? "–", f(oot.metrics.expectedCalibrationError),
            ])
        }
        md.table(
            ["model", "parameters", "ℓ update", "AIC update", "ℓ test", "AUC test", "cal. slope", "cal. intercept", "ECE test"], table,
            align: [.left, .right, .right, .right, .right, .right, .right, .right, .right])
        md.line("")
    }
}
