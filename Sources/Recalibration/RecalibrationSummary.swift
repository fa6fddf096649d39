/// The few lines `baton recalibrate` prints.
package enum RecalibrationSummary {
    package static func text(_ r: QuarterlyRecalibration.Result, out: String) -> String {
        var lines = [
            "Test quarter \(r.testQuarter) (\(r.testQuarter.span)): \(r.testRows) leads, \(r.testPositives) won; trained on \(r.trainRows) leads \(r.trainSpan)",
        ]
        if r.testCoverage.isPartial {
            lines.append("Warning: partial test quarter: \(r.testCoverage.statement) (\(r.testCoverage.span)); weekly volumes divide by \(Format.fixed(r.testCoverage.weeks, 2)) weeks")
        }
        if let champion = r.champion, let c = r.comparison {
            lines.append("AUC challenger \(Format.fixed(r.challenger.metrics.auc.value)) vs champion \(Format.fixed(champion.metrics.auc.value)) (DeLong p \(Format.pValue(c.pValue))); ECE \(Format.fixed(r.challenger.metrics.expectedCalibrationError)) vs \(Format.fixed(champion.metrics.expectedCalibrationError))")
        } else {
            lines.append("AUC challenger \(Format.fixed(r.challenger.metrics.auc.value)); ECE \(Format.fixed(r.challenger.metrics.expectedCalibrationError))")
        }
        if let t = r.chosenThreshold {
            lines.append("MQL threshold \(Format.fixed(t.threshold, 0)) points: \(Format.fixed(t.leadsPerWeek, 1)) MQLs/week, precision \(Format.percent(t.precision)), recall \(Format.percent(t.recall))")
        }
        lines.append("Recommendation: \(r.decision.rawValue) (\(r.reason))")
        lines.append("Wrote \(out)/report.md, challenger.json, recommendation.json, comparison.json")
        return lines.joined(separator: "\n")
    }
}
