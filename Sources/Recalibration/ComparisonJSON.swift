import BatonSupport
import LabNumerics
import ScoringModelFormat

/// The machine-readable files: `comparison.json` (every number of the report) and
/// `recommendation.json` (decision, rule, key numbers).
enum ComparisonJSON {
    static func d(_ x: Double) -> JSONValue { x.isFinite ? .double(x) : .null }
    static func i(_ x: Int) -> JSONValue { .integer(Int64(x)) }
    static func opt(_ x: Double?) -> JSONValue { x.map(d) ?? .null }

    static func recommendation(_ r: QuarterlyRecalibration.Result) -> JSONValue {
        var object: [String: JSONValue] = [
            "decision": .string(r.decision.rawValue),
            "reason": .string(r.reason),
            "rule": .object([
                "statement": .string(r.options.rule.statement),
                "alpha": d(r.options.rule.alpha), "ece_margin": d(r.options.rule.eceMargin),
            ]),
            "as_of": .string(CivilDate.isoDate(day: r.options.asOfDay)),
            "outcome_window_days": i(r.options.outcomeWindowDays),
            "test_quarter": .string(r.testQuarter.description),
            "test_coverage": coverage(r.testCoverage),
            "test_leads": i(r.testRows), "test_positives": i(r.testPositives),
            "train_span": .string(r.trainSpan), "train_leads": i(r.trainRows), "train_positives": i(r.trainPositives),
            "challenger": keyNumbers(r.challenger),
            "champion": r.champion.map(keyNumbers) ?? .null,
            "challenger_sha256": .null,
            "thresholds": .object(["mql": opt(r.challenger.model.thresholds?.mql), "sql": opt(r.challenger.model.thresholds?.sql)]),
            "champion_mql_for_same_capacity": opt(r.championThreshold?.threshold),
        ]
        if let c = r.comparison {
            object["auc_difference"] = d(c.difference)
            object["auc_difference_ci"] = .array([d(c.confidenceInterval.lower), d(c.confidenceInterval.upper)])
            object["delong_z"] = d(c.z)
            object["delong_p_value"] = d(c.pValue)
        }
        if let sha = try? r.challenger.model.checksum() { object["challenger_sha256"] = .string(sha) }
        if let u = r.modelUpdating { object["closed_testing"] = closedTesting(u) }
        return .object(object)
    }

    /// The closed-testing step (Vergouwe et al. 2017): tests, choice, and the four models.
    static func closedTesting(_ u: ModelUpdating) -> JSONValue {
        let t = u.testing
        return .object([
            "procedure": .string("Vergouwe et al. 2017, Stat Med 36:4529: a, b, c each against d by likelihood ratio; first not rejected"),
            "alpha": d(t.alpha), "chosen": .string(t.chosen.rawValue), "chosen_letter": .string(t.chosen.letter),
            "chosen_file": u.chosenFile.map { .string($0) } ?? .null, "nested": .bool(u.nested),
            "update_leads": i(u.updateRows), "update_positives": i(u.updatePositives),
            "tests": .array(
                t.tests.map {
                    .object([
                        "simpler": .string($0.simpler.rawValue), "against": .string("revision"), "statistic": d($0.statistic),
                        "df": i($0.degreesOfFreedom), "p_value": d($0.pValue), "rejected": .bool($0.rejected),
                    ])
                }),
            "models": .array(
                t.fits.map { fit in
                    let oot = u.outOfTime.first { $0.method == fit.method }
                    let calibration = oot.flatMap { try? $0.metrics.calibration.get() }
                    return .object([
                        "method": .string(fit.method.rawValue), "letter": .string(fit.method.letter), "parameters": i(fit.parameters),
                        "update_log_likelihood": d(fit.logLikelihood), "update_aic": d(fit.aic),
                        "intercept": opt(fit.intercept), "intercept_se": opt(fit.interceptStandardError),
                        "slope": opt(fit.slope), "slope_se": opt(fit.slopeStandardError),
                        "test_log_likelihood": opt(oot?.logLikelihood), "test_auc": opt(oot?.metrics.auc.value),
                        "test_calibration_slope": opt(calibration?.slope), "test_calibration_intercept": opt(calibration?.intercept),
                        "test_ece": opt(oot?.metrics.expectedCalibrationError),
                    ])
                }),
        ])
    }

    static func keyNumbers(_ e: ModelEvaluation) -> JSONValue {
        let calibration = try? e.metrics.calibration.get()
        return .object([
            "auc": d(e.metrics.auc.value), "log_loss": d(e.metrics.logLoss), "brier": d(e.metrics.brier),
            "ece": d(e.metrics.expectedCalibrationError), "calibration_slope": opt(calibration?.slope),
            "calibration_intercept": opt(calibration?.intercept), "hosmer_lemeshow_p": d(e.metrics.hosmerLemeshow.pValue),
        ])
    }

    static func comparison(_ r: QuarterlyRecalibration.Result) -> JSONValue {
        var object: [String: JSONValue] = [
            "recommendation": recommendation(r),
            "challenger": evaluation(r.challenger),
            "champion": r.champion.map(evaluation) ?? .null,
            "drift": driftJSON(r.drift),
            "champion_drift": driftJSON(r.championDrift),
            "champion_training_span": r.championSpan.map { .string($0) } ?? .null,
            "psi_empty_bin_rule": .string(PopulationStability.emptyBinRule),
            "weight_changes": .array(
                r.weightChanges.map { w in
                    .object([
                        "term": .string(w.term), "champion": estimate(w.champion), "challenger": estimate(w.challenger),
                        "difference": opt(w.difference), "z": opt(w.z), "intervals_disjoint": .bool(w.intervalsDisjoint),
                    ])
                }),
            "threshold_curve": .array(r.thresholdCurve.points.map(point)),
            "chosen_threshold": r.chosenThreshold.map(point) ?? .null,
            "champion_threshold": r.championThreshold.map(point) ?? .null,
            "capacity_per_week": opt(r.options.capacityPerWeek),
            "target_conversion": opt(r.options.targetConversion),
            "test_coverage": coverage(r.testCoverage),
            "weeks_covered_in_test_quarter": d(r.thresholdCurve.weeks),
            "excluded_leads": i(r.excludedRows),
        ]
        object["minimum_group_count"] = i(r.options.minimumGroupCount)
        return .object(object)
    }

    /// The covered part of the test quarter: the divisor of every weekly volume.
    static func coverage(_ c: QuarterCoverage) -> JSONValue {
        .object([
            "quarter": .string(c.quarter.description), "days_in_quarter": i(c.quarter.dayCount),
            "days_covered": i(c.days), "first_day": .string(CivilDate.isoDate(day: c.firstDay)),
            "last_day": .string(CivilDate.isoDate(day: c.endDay - 1)), "partial": .bool(c.isPartial),
        ])
    }

    static func driftJSON(_ drift: [QuarterlyRecalibration.Drift]) -> JSONValue {
        .array(
            drift.map { drift in
                .object([
                    "variable": .string(drift.variable), "psi": d(drift.stability.index),
                    "band": .string(drift.stability.band.rawValue),
                    "bins": .array(
                        drift.stability.bins.map {
                            .object([
                                "label": .string($0.label), "train_count": i($0.expectedCount), "test_count": i($0.actualCount),
                                "train_share": d($0.expectedShare), "test_share": d($0.actualShare),
                                "contribution": d($0.contribution),
                            ])
                        }),
                ])
            })
    }

    static func estimate(_ e: TermEstimate?) -> JSONValue {
        guard let e else { return .null }
        return .object([
            "estimate": d(e.estimate), "std_error": opt(e.standardError), "points": d(e.points),
            "ci_low": opt(e.interval?.lower), "ci_high": opt(e.interval?.upper),
        ])
    }

    static func point(_ p: ThresholdPoint) -> JSONValue {
        .object([
            "threshold": d(p.threshold), "mqls": i(p.leads), "mqls_per_week": d(p.leadsPerWeek),
            "expected_conversions": d(p.expectedConversions), "observed_conversions": i(p.observedConversions),
            "precision": d(p.precision), "recall": d(p.recall),
        ])
    }

    static func check(_ c: ConversionCheck) -> JSONValue {
        .object([
            "group": .string(c.group), "n": i(c.count), "positives": i(c.positives),
            "mean_predicted": d(c.meanPredicted), "observed_rate": d(c.observedRate),
            "ci_low": d(c.interval.lower), "ci_high": d(c.interval.upper), "verdict": .string(c.verdict.rawValue),
        ])
    }

    static func evaluation(_ e: ModelEvaluation) -> JSONValue {
        let m = e.metrics
        let calibration = try? m.calibration.get()
        return .object([
            "auc": d(m.auc.value), "auc_std_error": d(m.auc.standardError),
            "auc_ci": .array([d(m.auc.confidenceInterval.lower), d(m.auc.confidenceInterval.upper)]),
            "log_loss": d(m.logLoss), "brier": d(m.brier), "ece": d(m.expectedCalibrationError),
            "calibration_slope": opt(calibration?.slope), "calibration_intercept": opt(calibration?.intercept),
            "hosmer_lemeshow": .object([
                "statistic": d(m.hosmerLemeshow.statistic), "df": i(m.hosmerLemeshow.degreesOfFreedom),
                "p_value": d(m.hosmerLemeshow.pValue),
            ]),
            "bands": .array(e.bandChecks.map(check)),
            "segments": .array(e.segmentChecks.map(check)),
            "reliability": .array(
                m.reliability.bins.map {
                    .object([
                        "lower": d($0.lowerBound), "upper": d($0.upperBound), "n": i($0.count), "positives": i($0.positives),
                        "mean_predicted": opt($0.meanPredicted), "observed_rate": opt($0.observedRate),
                    ])
                }),
            "unseen_levels": .array(
                e.unseenLevels.filter { $0.rows > 0 }.map {
                    .object(["column": .string($0.column), "rows": i($0.rows), "mapped_to": .string($0.mappedTo)])
                }),
        ])
    }
}
