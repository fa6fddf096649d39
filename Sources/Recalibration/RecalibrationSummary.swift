import ReportRendering

/// The few lines `baton recalibrate` prints.
package enum RecalibrationSummary {
    package static func text(_ r: QuarterlyRecalibration.Result, out: String) -> String {
        var lines = [
            "Test quarter \(r.testQuarter) (\(r.testQuarter.span)): \(r.testRows) leads, \(r.testPositives) won; trained on \(r.trainRows) leads \(r.trainSpan)"
        ]
        if r.testCoverage.isPartial {
            lines.append(
                "Warning: partial test quarter: \(r.testCoverage.statement) (\(r.testCoverage.span)); weekly volumes divide by \(NumberFormat.fixed(r.testCoverage.weeks, 2)) weeks"
            )
        }
        if let champion = r.champion, let c = r.comparison {
            lines.append(
                "AUC challenger \(NumberFormat.fixed(r.challenger.metrics.auc.value)) vs champion \(NumberFormat.fixed(champion.metrics.auc.value)) (DeLong p \(NumberFormat.pValue(c.pValue))); ECE \(NumberFormat.fixed(r.challenger.metrics.expectedCalibrationError)) vs \(NumberFormat.fixed(champion.metrics.expectedCalibrationError))"
            )
        } else {
            lines.append(
                "AUC challenger \(NumberFormat.fixed(r.challenger.metrics.auc.value)); ECE \(NumberFormat.fixed(r.challenger.metrics.expectedCalibrationError))"
            )
        }
        if let t = r.chosenThreshold {
            lines.append(
                "MQL threshold \(NumberFormat.fixed(t.threshold, 0)) points: \(NumberFormat.fixed(t.leadsPerWeek, 1)) MQLs/week, precision \(NumberFormat.percent(t.precision)), recall \(NumberFormat.percent(t.recall))"
            )
        }
        lines.append("Recommendation: \(r.decision.rawValue) (\(r.reason))")
        if let u = r.modelUpdating {
            let t = u.testing
            let tests = t.tests.map {
                "\($0.simpler.letter) vs d LR \(NumberFormat.fixed($0.statistic, 2)) on \($0.degreesOfFreedom) df, p \(NumberFormat.pValue($0.pValue))"
            }
            lines.append(
                "Closed testing (Vergouwe et al. 2017, α = \(NumberFormat.fixed(t.alpha, 2))): \(tests.joined(separator: "; ")) → (\(t.chosen.letter)) \(t.chosen.title)\(u.chosenFile.map { ", \($0)" } ?? "")"
            )
        } else if let note = r.modelUpdatingNote {
            lines.append(note)
        }
        let updates = r.modelUpdating == nil ? "" : ", \(ModelUpdating.interceptFile), \(ModelUpdating.recalibratedFile)"
        lines.append("Wrote \(out)/report.md, challenger.json, recommendation.json, comparison.json\(updates)")
        return lines.joined(separator: "\n")
    }
}
