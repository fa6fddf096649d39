import BatonSupport
import Foundation
import LabNumerics
import LabStatistics
import LabTraining
import ScoringModelFormat

/// The closed-testing step of a run (``ClosedTesting``, Vergouwe et al. 2017): the four updates
/// fitted on the update window (the challenger's training leads), the tests, the choice, the
/// champion updated by (b) and (c) as weight files, and all four scored on the test quarter.
package struct ModelUpdating: Sendable {
    /// One update method out of time (on the test quarter).
    package struct OutOfTime: Sendable {
        package let method: ClosedTesting.Method
        /// ℓ on the test quarter, in nats.
        package let logLikelihood: Double
        package let metrics: ValidationMetrics
    }

    package let testing: ClosedTesting
    /// Update leads the tests used (training leads both models can score) and their wins.
    package let updateRows: Int
    package let updatePositives: Int
    /// a, b, c, d on the test quarter.
    package let outOfTime: [OutOfTime]
    /// The champion with a new intercept (b), and recalibrated (c): valid weight files.
    package let interceptUpdate: WeightFile
    package let recalibrated: WeightFile
    /// False when the challenger's terms are not the champion's (a spec change): the models are
    /// then not nested and the tests are approximate.
    package let nested: Bool

    /// The file names the run folder gives the updated champions.
    package static let interceptFile = "updated-intercept.json"
    package static let recalibratedFile = "updated-recalibration.json"

    /// The weight file the chosen method stands for: nil for (a) keep and (d) the challenger.
    package var chosenFile: String? {
        switch testing.chosen {
        case .intercept: Self.interceptFile
        case .recalibration: Self.recalibratedFile
        case .original, .revision: nil
        }
    }

    static func run(
        champion: WeightFile, challenger: WeightFile, windows: LeadWindows, trainRows: [Int], testRows: [Int],
        testOutcomes: [Double], spec: OutcomeSpec, now: Date
    ) throws(RecalibrationError) -> ModelUpdating {
        let rows = windows.kept(trainRows, features: champion.encodings.map(FeatureSpec.init))
        let outcomes = try windows.outcomes(rows, spec: spec)
        let original = champion.linearPredictor(try QuarterlyRecalibration.design(champion, windows, rows).matrix)
        let revised = challenger.linearPredictor(try QuarterlyRecalibration.design(challenger, windows, rows).matrix)
        let testing: ClosedTesting
        do {
            testing = try ClosedTesting.run(original: original, revised: revised, revisedParameters: challenger.model.count, outcomes: outcomes)
        } catch {
            throw .closedTesting(error)
        }
        let positives = Int(outcomes.reduce(0, +))
        let ordered = rows.sorted { windows.seconds[$0] < windows.seconds[$1] }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        func updated(_ fit: ClosedTesting.Fit) throws(RecalibrationError) -> WeightFile {
            var file = champion
            let alpha = fit.intercept ?? 0, beta = fit.slope ?? 1
            file.model = champion.model.map { term in
                if term.kind == .intercept {
                    return WeightedTerm(
                        term: term.term, estimate: alpha + beta * term.estimate, stdError: fit.interceptStandardError,
                        factor: champion.points.factor)
                }
                // (b) keeps every other weight and its standard error; (c) scales them by β (the
                // standard error of a product with an estimated β is not the old one: left out).
                return WeightedTerm(
                    term: term.term, estimate: beta * term.estimate, stdError: fit.slope == nil ? term.stdError : nil,
                    factor: champion.points.factor)
            }
            let eta = file.linearPredictor(try QuarterlyRecalibration.design(file, windows, rows).matrix)
            let probabilities = eta.map(ClosedTesting.logistic)
            let ll = ClosedTesting.logLikelihood(eta, outcomes)
            let rate = Double(positives) / Double(max(1, outcomes.count))
            let null = Double(positives) * log(rate) + Double(outcomes.count - positives) * log1p(-rate)
            let k = Double(champion.model.count)
            if let metrics = try? ValidationMetrics.evaluate(probabilities: probabilities, outcomes: outcomes) {
                let calibration = try? metrics.calibration.get()
                file.metrics = ModelMetrics(
                    auc: metrics.auc.value, aucCILow: metrics.auc.confidenceInterval.lower,
                    aucCIHigh: metrics.auc.confidenceInterval.upper, logLoss: metrics.logLoss, brier: metrics.brier,
                    ece: metrics.expectedCalibrationError, calibrationSlope: calibration?.slope,
                    calibrationIntercept: calibration?.intercept, bands: metrics.bands.bands.map(ScoringModelFormat.ScoreBand.init),
                    logLikelihood: ll, nullLogLikelihood: null, aic: 2 * k - 2 * ll, bic: k * log(Double(outcomes.count)) - 2 * ll,
                    mcfaddenR2: 1 - ll / null)
            }
            let timeColumn = champion.spec.time.map { windows.table.raw($0) } ?? nil
            file.training = TrainingMetadata(
                rows: rows.count, positives: positives, rowsDropped: trainRows.count - rows.count,
                timeFrom: ordered.first.flatMap { timeColumn?.values[$0] }, timeTo: ordered.last.flatMap { timeColumn?.values[$0] },
                inputFile: champion.training.inputFile, inputSHA256: champion.training.inputSHA256,
                createdAt: formatter.string(from: now), toolVersion: CalibrationLab.toolVersion, penalty: champion.training.penalty,
                converged: true, iterations: 0,
                fitPath: "closed-testing update \(fit.method.letter) of champion fitted \(champion.training.createdAt)")
            return file
        }
        guard let b = testing.fit(.intercept), let c = testing.fit(.recalibration) else { throw .closedTesting(.nonFinitePredictor) }
        let interceptFile = try updated(b), recalibratedFile = try updated(c)
        var outOfTime: [OutOfTime] = []
        for (method, model) in [
            (ClosedTesting.Method.original, champion), (.intercept, interceptFile), (.recalibration, recalibratedFile), (.revision, challenger),
        ] {
            let eta = model.linearPredictor(try QuarterlyRecalibration.design(model, windows, testRows).matrix)
            do {
                let metrics = try ValidationMetrics.evaluate(probabilities: eta.map(ClosedTesting.logistic), outcomes: testOutcomes)
                outOfTime.append(OutOfTime(method: method, logLikelihood: ClosedTesting.logLikelihood(eta, testOutcomes), metrics: metrics))
            } catch {
                throw .lab(.metrics(error, file: windows.table.file))
            }
        }
        return ModelUpdating(
            testing: testing, updateRows: rows.count, updatePositives: positives, outOfTime: outOfTime,
            interceptUpdate: interceptFile, recalibrated: recalibratedFile,
            nested: champion.model.map(\.name) == challenger.model.map(\.name))
    }
}
