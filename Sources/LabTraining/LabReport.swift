import BatonSupport
import Foundation
import LabNumerics
import LabStatistics
import ScoringModelFormat

/// The text and JSON a lab run shows: a statsmodels-like fit summary, the validation report,
/// and their JSON objects (numbers in shortest round-trip form).
package enum LabReport {
    // MARK: Fit

    /// The statsmodels-style summary of a fit.
    package static func fitSummary(_ run: CalibrationLab.FitRun) -> String {
        let fit = run.fit
        let training = run.weightFile.training
        // Names up to 48 characters set the column; a longer one gets a line of its own above its
        // numbers (wrapped, never cut: `…occupation=Unemplo…` named no level).
        let nameWidth = max(24, min(48, fit.names.map(\.count).max() ?? 0))
        let width = nameWidth + 60
        let rule = String(repeating: "=", count: width)
        let thin = String(repeating: "-", count: width)
        let llrPValue = ChiSquareDistribution.survival(
            max(0, 2 * (fit.logLikelihood - fit.nullLogLikelihood)),
            degreesOfFreedom: Double(max(1, fit.coefficients.count - 1)))
        func pair(_ l: String, _ lv: String, _ r: String, _ rv: String) -> String {
            let half = width / 2
            return pad(l, 16) + padLeft(lv, half - 19) + "   " + pad(r, 20) + padLeft(rv, width - half - 20)
        }
        var lines: [String] = []
        lines.append(center("Logistic Regression Results", width))
        lines.append(rule)
        // With frequency weights n is Σ weights, as statsmodels' freq_weights counts it (and BIC uses it).
        let observations = run.spec.weight == nil ? Double(fit.effectiveRows) : fit.totalWeight
        func count(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? x.plainText : f(x, 2) }
        lines.append(pair("Outcome:", "\(run.spec.outcome.column) ∈ \(run.spec.outcome.positive)", "No. Observations:", count(observations)))
        lines.append(pair("Data:", training.inputFile, "Df Residuals:", count(observations - Double(fit.coefficients.count))))
        if let weight = run.spec.weight {
            lines.append(pair("Weights:", "\(weight) (frequency)", "Rows weighted > 0:", "\(fit.effectiveRows)"))
        }
        lines.append(
            pair(
                "Method:", run.spec.method == .firth ? "Firth (profile CI)" : (fit.penalty > 0 ? "ridge (λ=\(short(fit.penalty)))" : "MLE (Newton)"),
                "Df Model:", "\(fit.coefficients.count - 1)"))
        lines.append(pair("Won / rows:", "\(training.positives) / \(fit.rows)", "Pseudo R-squ.:", f(fit.mcFaddenR2, 4)))
        lines.append(pair("Dropped rows:", "\(training.rowsDropped)", "Log-Likelihood:", f(fit.logLikelihood, 3)))
        lines.append(pair("converged:", fit.converged ? "True" : "False", "LL-Null:", f(fit.nullLogLikelihood, 3)))
        lines.append(pair("Iterations:", "\(fit.iterations)", "LLR p-value:", e(llrPValue)))
        lines.append(pair("AIC:", f(fit.aic, 2), "BIC:", f(fit.bic, 2)))
        lines.append(rule)
        lines.append(pad("", nameWidth) + ["coef", "std err", "z", "P>|z|", "[0.025", "0.975]"].map { padLeft($0, 10) }.joined())
        lines.append(String(repeating: "-", count: nameWidth + 60))
        for j in fit.names.indices {
            var name = fit.names[j]
            if name.count > nameWidth {
                lines.append(name)
                name = ""
            }
            let cells = [
                fit.coefficients[j], fit.standardErrors[j], fit.zScores[j], fit.pValues[j],
                fit.confidenceLow[j], fit.confidenceHigh[j],
            ]
            lines.append(pad(name, nameWidth) + cells.enumerated().map { padLeft(coefficientCell($1, column: $0), 10) }.joined())
        }
        lines.append(rule)
        lines.append(metricsBlock(run.metrics, title: "In-sample validation (training rows)"))
        if !fit.warnings.isEmpty {
            lines.append(thin)
            for warning in fit.warnings { lines.append("Warning: \(warning)") }
        }
        lines.append(thin)
        lines.append(informationValueBlock(run.informationValues))
        let notes = run.weightFile.encodings.compactMap(\.droppedIndicatorNote)
        if !notes.isEmpty {
            lines.append(thin)
            for note in notes { lines.append("Note: \(note)") }
        }
        return lines.joined(separator: "\n")
    }

    /// `Information value per feature`: IV, its conventional reading, what it is over, and each bin's WoE.
    static func informationValueBlock(_ values: [InformationValue]) -> String {
        var lines = ["Information value per feature (WoE = ln(share of won / share of lost); IV < 0.02 not useful, < 0.1 weak, < 0.3 medium):"]
        let width = max(24, min(48, values.map(\.feature.count).max() ?? 0))
        for entry in values {
            guard let iv = entry.value else {
                lines.append("  " + pad(entry.feature, width) + "       —   (\(entry.basis))")
                continue
            }
            let shown = iv.isFinite ? f(iv, 4) : "∞"
            let reading = iv.isFinite ? InformationValue.strength(iv) : "a level has no won or no lost lead"
            lines.append("  " + pad(entry.feature, width) + padLeft(shown, 8) + "   \(reading) (\(entry.basis))")
            if !entry.bins.isEmpty {
                lines.append("  " + pad("", width) + "   WoE by bin: " + entry.bins.map { "\($0.label) \(f($0.woe, 3))" }.joined(separator: " | "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The `baton fit --json` object.
    package static func fitJSON(_ run: CalibrationLab.FitRun, modelPath: String?) -> JSONValue {
        let fit = run.fit
        var terms: [JSONValue] = []
        for j in fit.names.indices {
            terms.append(
                .object([
                    "name": .string(fit.names[j]), "estimate": .double(fit.coefficients[j]),
                    "std_error": .double(fit.standardErrors[j]), "z": .double(fit.zScores[j]),
                    // A profile bound that never closes (Firth) is infinite: null, as JSON has no infinity.
                    "p_value": .double(fit.pValues[j]), "ci_low": fit.confidenceLow[j].isFinite ? .double(fit.confidenceLow[j]) : .null,
                    "ci_high": fit.confidenceHigh[j].isFinite ? .double(fit.confidenceHigh[j]) : .null,
                    "points_per_unit": .double(run.weightFile.model[j].pointsPerUnit),
                ]))
        }
        var object: [String: JSONValue] = [
            "converged": .bool(fit.converged), "iterations": .integer(Int64(fit.iterations)),
            "log_likelihood": .double(fit.logLikelihood), "null_log_likelihood": .double(fit.nullLogLikelihood),
            "deviance": .double(fit.deviance), "aic": .double(fit.aic), "bic": .double(fit.bic),
            "mcfadden_r2": .double(fit.mcFaddenR2), "penalty": .double(fit.penalty),
            "rows": .integer(Int64(fit.rows)), "positives": .integer(Int64(run.weightFile.training.positives)),
            "observations": .double(run.spec.weight == nil ? Double(fit.effectiveRows) : fit.totalWeight),
            "rows_dropped": .integer(Int64(run.weightFile.training.rowsDropped)),
            "fit_path": .string(run.path.description), "method": .string((run.spec.method ?? .ml).rawValue),
            "terms": .array(terms), "warnings": .array(fit.warnings.map { .string($0.description) }),
            "notes": .array(run.weightFile.encodings.compactMap(\.droppedIndicatorNote).map { .string($0) }),
            "information_values": .array(
                run.informationValues.map { entry in
                    var object: [String: JSONValue] = ["feature": .string(entry.feature), "basis": .string(entry.basis)]
                    // An infinite IV (a level that separates) is written as null: JSON has no infinity.
                    object["iv"] = entry.value.flatMap { $0.isFinite ? .double($0) : nil } ?? .null
                    if !entry.bins.isEmpty {
                        object["woe"] = .array(entry.bins.map { .object(["bin": .string($0.label), "woe": .double($0.woe)]) })
                    }
                    return .object(object)
                }),
            "metrics": metricsJSON(run.metrics),
        ]
        if let modelPath { object["model"] = .string(modelPath) }
        return .object(object)
    }

    // MARK: Validation

    /// The `baton validate` report.
    package static func validationSummary(_ run: CalibrationLab.ValidationRun) -> String {
        var lines: [String] = []
        lines.append("Model: \(run.model.training.inputFile) fit, \(run.model.model.count) terms, created \(run.model.training.createdAt)")
        lines.append("Data:  \(run.data.file): \(run.data.count) leads scored, \(run.data.rows.rowsDropped) dropped")
        for unseen in run.data.unseenLevels where unseen.rows > 0 {
            lines.append("Note:  \(unseen.description)")
        }
        lines.append(metricsBlock(run.metrics, title: "Validation"))
        return lines.joined(separator: "\n")
    }

    /// The `baton validate --json` object.
    package static func validationJSON(_ run: CalibrationLab.ValidationRun) -> JSONValue {
        var object: [String: JSONValue] = [
            "rows": .integer(Int64(run.data.count)),
            "rows_dropped": .integer(Int64(run.data.rows.rowsDropped)),
            "unseen_levels": .array(
                run.data.unseenLevels.filter { $0.rows > 0 }.map {
                    .object([
                        "column": .string($0.column), "rows": .integer(Int64($0.rows)),
                        "mapped_to": .string($0.mappedTo),
                        "levels": .object($0.counts.mapValues { .integer(Int64($0)) }),
                    ])
                }),
        ]
        if case let .object(metrics) = metricsJSON(run.metrics) { object.merge(metrics) { $1 } }
        return .object(object)
    }

    // MARK: Shared pieces

    static func metricsJSON(_ m: ValidationMetrics) -> JSONValue {
        var object: [String: JSONValue] = [
            "n": .integer(Int64(m.count)), "positives": .integer(Int64(m.positives)),
            "auc": .double(m.auc.value), "auc_std_error": .double(m.auc.standardError),
            "auc_ci_low": .double(m.auc.confidenceInterval.lower), "auc_ci_high": .double(m.auc.confidenceInterval.upper),
            "log_loss": .double(m.logLoss), "brier": .double(m.brier), "ece": .double(m.expectedCalibrationError),
            "hosmer_lemeshow": .object([
                "statistic": .double(m.hosmerLemeshow.statistic), "df": .integer(Int64(m.hosmerLemeshow.degreesOfFreedom)),
                "p_value": .double(m.hosmerLemeshow.pValue),
            ]),
            "bands": .array(
                m.bands.bands.map { b in
                    .object([
                        "band": .integer(Int64(b.band)), "n": .integer(Int64(b.count)), "positives": .integer(Int64(b.positives)),
                        "mean_predicted": .double(b.meanPredicted), "observed_rate": .double(b.observedRate),
                        "ci_low": .double(b.observedRateInterval.lower), "ci_high": .double(b.observedRateInterval.upper),
                        "lift": .double(b.lift), "cumulative_gain": .double(b.cumulativeGain),
                    ])
                }),
            "reliability": .array(
                m.reliability.bins.map { bin in
                    var o: [String: JSONValue] = [
                        "lower": .double(bin.lowerBound), "upper": .double(bin.upperBound), "n": .integer(Int64(bin.count)),
                    ]
                    if let mp = bin.meanPredicted { o["mean_predicted"] = .double(mp) }
                    if let r = bin.observedRate { o["observed_rate"] = .double(r) }
                    return .object(o)
                }),
        ]
        switch m.calibration {
        case let .success(c):
            object["calibration_slope"] = .double(c.slope)
            object["calibration_intercept"] = .double(c.intercept)
        case let .failure(error):
            object["calibration_error"] = .string(error.description)
        }
        return .object(object)
    }

    static func metricsBlock(_ m: ValidationMetrics, title: String) -> String {
        var lines: [String] = [title + ":"]
        let ci = m.auc.confidenceInterval
        lines.append(
            "  AUC \(f(m.auc.value, 4)) (DeLong 95 % CI \(f(ci.lower, 4))–\(f(ci.upper, 4)))   log loss \(f(m.logLoss, 4))   Brier \(f(m.brier, 4))   ECE \(f(m.expectedCalibrationError, 4))"
        )
        switch m.calibration {
        case let .success(c):
            lines.append(
                "  calibration slope \(f(c.slope, 3)) (SE \(f(c.slopeStandardError, 3))), intercept \(f(c.intercept, 3)) (SE \(f(c.interceptStandardError, 3)))   ideal 1 and 0"
            )
        case let .failure(error):
            lines.append("  calibration slope/intercept: not available (\(error))")
        }
        let hl = m.hosmerLemeshow
        lines.append(
            "  Hosmer–Lemeshow χ² \(f(hl.statistic, 3)) on \(hl.degreesOfFreedom) df, p = \(f(hl.pValue, 4))   (\(m.count) leads, \(m.positives) won)"
        )
        lines.append("")
        lines.append("  band      n    won   mean p   observed  Wilson 95 % CI     lift   cum. gain")
        for b in m.bands.bands {
            let interval = "\(f(b.observedRateInterval.lower, 3))–\(f(b.observedRateInterval.upper, 3))"
            lines.append(
                "  " + padLeft("\(b.band)", 4) + padLeft("\(b.count)", 7) + padLeft("\(b.positives)", 7)
                    + padLeft(f(b.meanPredicted, 4), 9) + padLeft(f(b.observedRate, 4), 11)
                    + padLeft(interval, 16) + padLeft(f(b.lift, 2), 9) + padLeft(f(b.cumulativeGain, 3), 12))
        }
        return lines.joined(separator: "\n")
    }

    static func coefficientCell(_ value: Double, column: Int) -> String {
        if column == 3 { return f(value, 3) }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6) { return String(format: "%.3e", value) }
        return f(value, 4)
    }

    static func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    static func e(_ value: Double) -> String { value < 1e-3 ? String(format: "%.3e", value) : f(value, 4) }
    static func short(_ value: Double) -> String { String(format: "%g", value) }
    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
    static func center(_ text: String, _ width: Int) -> String { padLeft(text, (width + text.count) / 2) }
}
