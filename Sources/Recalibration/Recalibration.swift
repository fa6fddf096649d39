import BatonSupport
import Foundation
import LabNumerics
import LabStatistics
import LabTraining
import LeadCSV
import ScoringModelFormat

/// The quarterly recalibration run (`baton recalibrate`): out-of-time split, challenger fit,
/// champion vs challenger on the same matured test quarter, conversion flags, drift, weight
/// changes, the MQL threshold from capacity, and the recommendation. Pure computation: the
/// files are written by ``RecalibrationOutput``.
package enum QuarterlyRecalibration {
    /// What to run.
    package struct Options: Sendable {
        package var data: URL
        package var spec: URL
        /// The weight file in production; nil on a first run.
        package var champion: URL?
        /// Days since 1970-01-01 of the as-of date.
        package var asOfDay: Int
        /// Days after creation by which a lead's outcome is final. Default 90.
        package var outcomeWindowDays: Int
        /// Train on this many quarters before the test quarter only; nil = all earlier leads.
        package var trainQuarters: Int?
        /// Leads per week the sales team can call within SLA.
        package var capacityPerWeek: Double?
        /// Wanted conversion rate among MQLs, in (0, 1].
        package var targetConversion: Double?
        package var rule: RecommendationRule
        /// Groups smaller than this are not flagged. Default 50.
        package var minimumGroupCount: Int
        /// Each outcome class of the test quarter needs at least this many leads. Default 30.
        package var minimumTestOutcomes: Int
        /// Each outcome class of the training window needs at least this many leads per model term
        /// (besides the intercept). Default 10 (the usual events-per-variable rule).
        package var minimumOutcomesPerTerm: Int
        /// `created_at` of the challenger weight file.
        package var now: Date
        /// Where `data` came from when it is not the user's own file (`baton recalibrate --db`):
        /// sentences the report prints under the data line (e.g. the open leads left out), and
        /// the file is copied into the run folder as `training.csv`.
        package var dataNotes: [String] = []

        package init(
            data: URL, spec: URL, champion: URL? = nil, asOfDay: Int, outcomeWindowDays: Int = 90,
            trainQuarters: Int? = nil, capacityPerWeek: Double? = nil, targetConversion: Double? = nil,
            rule: RecommendationRule = .init(), minimumGroupCount: Int = ConversionCheck.defaultMinimumCount,
            minimumTestOutcomes: Int = 30, minimumOutcomesPerTerm: Int = 10, now: Date = Date()
        ) {
            self.data = data
            self.spec = spec
            self.champion = champion
            self.asOfDay = asOfDay
            self.outcomeWindowDays = outcomeWindowDays
            self.trainQuarters = trainQuarters
            self.capacityPerWeek = capacityPerWeek
            self.targetConversion = targetConversion
            self.rule = rule
            self.minimumGroupCount = minimumGroupCount
            self.minimumTestOutcomes = minimumTestOutcomes
            self.minimumOutcomesPerTerm = minimumOutcomesPerTerm
            self.now = now
        }
    }

    /// PSI of one variable between the training and the test window.
    package struct Drift: Sendable {
        /// `score (challenger)`, `score (champion)`, or a spec column.
        package let variable: String
        package let stability: PopulationStability
    }

    /// Everything a run found.
    package struct Result: Sendable {
        package let options: Options
        package let dataFile: String
        package let testQuarter: CalendarQuarter
        /// The days of the test quarter the data covers (weekly volumes divide by these weeks).
        package let testCoverage: QuarterCoverage
        /// `YYYY-MM-DD … YYYY-MM-DD` of the training leads used.
        package let trainSpan: String
        package let trainRows: Int
        package let trainPositives: Int
        package let testRows: Int
        package let testPositives: Int
        /// Rows outside both windows (after the test quarter: not matured; before --train-quarters).
        package let excludedRows: Int
        /// The challenger, with thresholds from capacity when asked.
        package let challenger: ModelEvaluation
        package let champion: ModelEvaluation?
        /// AUC_challenger − AUC_champion with DeLong's test (first = challenger).
        package let comparison: AUCComparison?
        package let drift: [Drift]
        /// PSI of every input (and the champion's score) from the champion's own training window
        /// (its `training.time_from … time_to`, as found in this data) to the test quarter: how far the
        /// market has moved since the champion was fitted. Empty on a first run or when the data no
        /// longer holds that window.
        package let championDrift: [Drift]
        /// `YYYY-MM-DD … YYYY-MM-DD` of the champion's training window found in the data.
        package let championSpan: String?
        package let weightChanges: [WeightChange]
        /// The challenger's MQL threshold curve on the test quarter.
        package let thresholdCurve: ThresholdCurve
        /// The threshold chosen from capacity / target, when asked.
        package let chosenThreshold: ThresholdPoint?
        /// The same constraints on the champion's own points scale (for a "keep" decision); nil
        /// when not asked, on a first run, or when the champion cannot meet them.
        package let championThreshold: ThresholdPoint?
        package let decision: Decision
        package let reason: String
        /// Test-quarter outcomes, in test-row order.
        package let outcomes: [Double]
        /// Closed testing of the four updates (Vergouwe et al. 2017); nil on a first run, with
        /// case weights, or when it could not run (``modelUpdatingNote`` says why).
        package var modelUpdating: ModelUpdating? = nil
        package var modelUpdatingNote: String? = nil
    }

    /// Runs the recalibration.
    package static func run(_ options: Options) throws(RecalibrationError) -> Result {
        try require(options.spec, role: "spec")
        try require(options.data, role: "data")
        let spec: ScoringSpec
        do { spec = try ScoringSpec.load(url: options.spec) } catch { throw .lab(.spec(error)) }
        var champion: WeightFile?
        if let url = options.champion {
            do { champion = try CalibrationLab.loadModel(url) } catch { throw .lab(error) }
        }
        let championFile = options.champion?.path ?? ""
        let windows = try LeadWindows.load(
            data: options.data, spec: spec, specFile: options.spec.path, champion: champion, championFile: championFile,
            asOfDay: options.asOfDay, outcomeWindowDays: options.outcomeWindowDays, trainQuarters: options.trainQuarters)
        let table = windows.table

        // Test leads: the quarter's rows that both models can score.
        var testRows = windows.kept(windows.testRows, features: spec.features)
        if let champion { testRows = windows.kept(testRows, features: champion.encodings.map(FeatureSpec.init)) }
        let trainRows = windows.kept(windows.trainRows, features: spec.features)
        let testOutcomes = try windows.outcomes(testRows, spec: spec.outcome)
        let testPositives = Int(testOutcomes.reduce(0, +))
        if testPositives == 0 && !testRows.isEmpty {
            throw .noPositivesInTest(
                file: table.file, quarter: windows.testQuarter.description, rows: testRows.count,
                column: spec.outcome.column, positive: spec.outcome.positive)
        }
        let testSpan = "test quarter \(windows.testQuarter), \(windows.testQuarter.span)"
        if windows.testRows.isEmpty, let last = windows.seconds.max() {
            throw .tooFewOutcomes(
                window: "test", span: testSpan, rows: 0, positives: 0, negatives: 0,
                minimum: options.minimumTestOutcomes,
                advice:
                    "The data has no leads in that quarter (its latest lead was created on \(CivilDate.isoDate(day: last / 86_400))): pass the --as-of the data was exported for."
            )
        }
        // Non-empty test rows: the data reaches into the quarter.
        func day(_ second: Int) -> Int { second >= 0 ? second / 86_400 : (second - 86_399) / 86_400 }
        let coverage = QuarterCoverage(
            quarter: windows.testQuarter, firstDataDay: day(windows.seconds.min() ?? 0),
            lastDataDay: day(windows.seconds.max() ?? 0))
        try requireOutcomes(
            window: "test", span: testSpan, rows: testRows.count, positives: testPositives,
            minimum: options.minimumTestOutcomes,
            advice: "Use a later --as-of, or wait until more leads of that quarter have matured outcomes.")

        // The challenger: the lab's encodings and fit on the training window.
        let trainOutcomes = try windows.outcomes(trainRows, spec: spec.outcome)
        let trainPositives = Int(trainOutcomes.reduce(0, +))
        let trainSpan = trainRows.isEmpty ? "no leads" : windows.span(trainRows)
        let encodings: [FeatureEncoding]
        do { encodings = try EncodingLearner.learn(features: spec.features, table: table, rows: trainRows, outcomes: trainOutcomes) } catch {
            throw .lab(.data(error))
        }
        let terms = FeatureEncoding.terms(of: encodings)
        try requireOutcomes(
            window: "training", span: trainSpan, rows: trainRows.count, positives: trainPositives,
            minimum: max(options.minimumTestOutcomes, options.minimumOutcomesPerTerm * (terms.count - 1)),
            advice:
                "A fit needs about \(options.minimumOutcomesPerTerm) won and \(options.minimumOutcomesPerTerm) lost leads per model term (\(terms.count - 1) terms here): include more history (or drop --train-quarters), or use fewer features / higher min_count."
        )
        var challengerFile = try fitChallenger(
            spec: spec, encodings: encodings, windows: windows, rows: trainRows,
            outcomes: trainOutcomes, options: options)

        // Thresholds from capacity, on the challenger's points.
        let testDesign = try design(challengerFile, windows, testRows)
        let challengerEta = challengerFile.linearPredictor(testDesign.matrix)
        let challengerPoints = challengerEta.map { challengerFile.points.points(logOdds: $0) }
        let challengerP = challengerEta.map(logistic)
        let curve = ThresholdCurve(
            scores: challengerPoints, probabilities: challengerP, outcomes: testOutcomes,
            days: Double(coverage.days))
        var chosen: ThresholdPoint?
        if options.capacityPerWeek != nil || options.targetConversion != nil {
            switch curve.choose(capacityPerWeek: options.capacityPerWeek, targetConversion: options.targetConversion) {
            case let .success(point): chosen = point
            case let .failure(error): throw .threshold(error)
            }
            var thresholds = challengerFile.thresholds ?? Thresholds()
            thresholds.mql = chosen?.threshold
            // The spec stays verbatim; the weight file's own `thresholds` carry the choice.
            challengerFile.thresholds = thresholds
        }

        let challenger = try evaluate(
            role: "challenger", model: challengerFile, design: testDesign,
            outcomes: testOutcomes, spec: spec, windows: windows, rows: testRows, options: options)
        var championEval: ModelEvaluation?
        var comparison: AUCComparison?
        if let champion {
            let d = try design(champion, windows, testRows)
            let evaluation = try evaluate(
                role: "champion", model: champion, design: d, outcomes: testOutcomes,
                spec: spec, windows: windows, rows: testRows, options: options)
            championEval = evaluation
            do {
                comparison = try AUCComparison(
                    firstScores: challenger.probabilities, secondScores: evaluation.probabilities,
                    outcomes: testOutcomes)
            } catch { throw .lab(.metrics(error, file: table.file)) }
        }

        let drift = try driftTable(
            spec: spec, windows: windows, trainRows: trainRows, testRows: testRows,
            challenger: challengerFile, champion: champion)
        var championDrift: [Drift] = []
        var championSpan: String?
        if let champion, let from = champion.training.timeFrom.flatMap(LeadTime.seconds),
            let to = champion.training.timeTo.flatMap(LeadTime.seconds)
        {
            let rows = windows.kept(
                (0..<table.rowCount).filter { windows.seconds[$0] >= from && windows.seconds[$0] <= to },
                features: spec.features)
            if !rows.isEmpty {
                championSpan = windows.span(rows)
                championDrift = try driftTable(
                    spec: spec, windows: windows, trainRows: rows, testRows: testRows,
                    challenger: nil, champion: champion)
            }
        }
        let inputs = championEval.flatMap { c -> RuleInputs? in
            guard let comparison else { return nil }
            return RuleInputs(
                championAUC: c.metrics.auc.value, challengerAUC: challenger.metrics.auc.value,
                deLongPValue: comparison.pValue, championECE: c.metrics.expectedCalibrationError,
                challengerECE: challenger.metrics.expectedCalibrationError)
        }
        let (decision, reason) = options.rule.decide(inputs)
        var updating: ModelUpdating?
        var updatingNote: String?
        if let champion {
            if spec.weight != nil {
                updatingNote =
                    "Closed testing of model updates is not run with case weights (`weight:` in the spec): its likelihood-ratio tests assume one lead per row."
            } else {
                do {
                    updating = try ModelUpdating.run(
                        champion: champion, challenger: challengerFile, windows: windows, trainRows: trainRows, testRows: testRows,
                        testOutcomes: testOutcomes, spec: spec.outcome, now: options.now)
                } catch {
                    guard case let .closedTesting(reason) = error else { throw error }
                    updatingNote = "Closed testing of model updates could not run: \(reason)."
                }
            }
        }
        var result = Result(
            options: options, dataFile: options.data.lastPathComponent, testQuarter: windows.testQuarter, testCoverage: coverage,
            trainSpan: trainSpan, trainRows: trainRows.count, trainPositives: trainPositives,
            testRows: testRows.count, testPositives: testPositives, excludedRows: windows.excludedRows,
            challenger: challenger, champion: championEval, comparison: comparison, drift: drift,
            championDrift: championDrift, championSpan: championSpan,
            weightChanges: champion.map { WeightChange.compare(champion: $0.model, challenger: challengerFile.model) } ?? [],
            thresholdCurve: curve, chosenThreshold: chosen,
            championThreshold: chosen == nil
                ? nil
                : championEval.flatMap { c in
                    try? ThresholdCurve(
                        scores: c.points, probabilities: c.probabilities, outcomes: testOutcomes,
                        days: Double(coverage.days)
                    )
                    .choose(capacityPerWeek: options.capacityPerWeek, targetConversion: options.targetConversion).get()
                },
            decision: decision, reason: reason, outcomes: testOutcomes)
        result.modelUpdating = updating
        result.modelUpdatingNote = updatingNote
        return result
    }

    static func require(_ url: URL, role: String) throws(RecalibrationError) {
        if let problem = InputFile.problem(atPath: url.path) { throw .lab(.input(problem, path: url.path, role: role)) }
    }

    static func requireOutcomes(window: String, span: String, rows: Int, positives: Int, minimum: Int, advice: String) throws(RecalibrationError) {
        guard positives >= minimum && rows - positives >= minimum else {
            throw .tooFewOutcomes(
                window: window, span: span, rows: rows, positives: positives, negatives: rows - positives,
                minimum: minimum, advice: advice)
        }
    }

    static func design(
        _ model: WeightFile, _ windows: LeadWindows, _ rows: [Int]
    ) throws(RecalibrationError) -> (matrix: DesignMatrix, unseen: [UnseenLevels]) {
        do { return try DesignMatrixBuilder.build(encodings: model.encodings, table: windows.table, rows: rows) } catch {
            throw .lab(.data(error))
        }
    }

    /// The lab's fit (as `CalibrationLab.fit` does it) on the training rows of the already-read table.
    static func fitChallenger(
        spec: ScoringSpec, encodings: [FeatureEncoding], windows: LeadWindows, rows: [Int],
        outcomes: [Double], options: Options
    ) throws(RecalibrationError) -> WeightFile {
        let table = windows.table
        let matrix: DesignMatrix
        do { matrix = try DesignMatrixBuilder.build(encodings: encodings, table: table, rows: rows).matrix } catch {
            throw .lab(.data(error))
        }
        var weights: [Double]?
        if let name = spec.weight {
            let column = table.numeric(name)
            for row in rows where column.missing[row] || column.values[row] < 0 {
                throw .lab(
                    .data(
                        .badWeight(
                            file: table.file, line: table.lineOfRow[row], column: name,
                            value: column.missing[row] ? "" : "\(column.values[row])")))
            }
            weights = rows.map { column.values[$0] }
        }
        let fit: LogisticFit
        do {
            fit = try CalibrationLab.estimate(matrix, outcomes: outcomes, weights: weights, spec: spec, profile: false)
        } catch {
            throw .lab(.fit(error, file: table.file, lines: rows.map { table.lineOfRow[$0] }))
        }
        let metrics: ValidationMetrics
        do { metrics = try ValidationMetrics.evaluate(probabilities: fit.probabilities(matrix), outcomes: outcomes) } catch {
            throw .lab(.metrics(error, file: table.file))
        }
        let hash: String
        do { hash = try Checksum.hash(fileAt: options.data).hex } catch { throw .lab(.fileNotFound(path: options.data.path, role: "data")) }
        let ordered = rows.sorted { windows.seconds[$0] < windows.seconds[$1] }
        let timeColumn = spec.time.map { table.raw($0) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var metadata = TrainingMetadata(
            rows: matrix.rows, positives: Int(outcomes.reduce(0, +)), rowsDropped: windows.trainRows.count - rows.count,
            timeFrom: ordered.first.flatMap { timeColumn?.values[$0] }, timeTo: ordered.last.flatMap { timeColumn?.values[$0] },
            inputFile: options.data.lastPathComponent, inputSHA256: hash, createdAt: formatter.string(from: options.now),
            toolVersion: CalibrationLab.toolVersion, penalty: spec.penalty, converged: fit.converged, iterations: fit.iterations)
        metadata.method = spec.method == .firth ? FitMethod.firth.rawValue : nil
        return WeightFile(
            terms: FeatureEncoding.terms(of: encodings), estimates: fit.coefficients,
            standardErrors: fit.standardErrors, encodings: encodings, spec: spec, training: metadata,
            metrics: ModelMetrics(metrics, fit: fit))
    }

    static func evaluate(
        role: String, model: WeightFile, design: (matrix: DesignMatrix, unseen: [UnseenLevels]),
        outcomes: [Double], spec: ScoringSpec, windows: LeadWindows, rows: [Int],
        options: Options
    ) throws(RecalibrationError) -> ModelEvaluation {
        let eta = model.linearPredictor(design.matrix)
        let probabilities = eta.map(logistic)
        let metrics: ValidationMetrics
        do { metrics = try ValidationMetrics.evaluate(probabilities: probabilities, outcomes: outcomes) } catch {
            throw .lab(.metrics(error, file: windows.table.file))
        }
        let bands = metrics.bands.bands.map {
            ConversionCheck(
                group: "band \($0.band)", count: $0.count, positives: $0.positives,
                meanPredicted: $0.meanPredicted, minimumCount: options.minimumGroupCount)
        }
        var segments: [ConversionCheck] = []
        for feature in spec.features where feature.type == .categorical {
            let labels = rows.map { "\(feature.column)=\(windows.level($0, feature: feature))" }
            segments += ConversionCheck.byGroup(
                labels: labels, probabilities: probabilities, outcomes: outcomes,
                minimumCount: options.minimumGroupCount)
        }
        return ModelEvaluation(
            role: role, model: model, probabilities: probabilities,
            points: eta.map { model.points.points(logOdds: $0) }, metrics: metrics,
            unseenLevels: design.unseen, bandChecks: bands, segmentChecks: segments)
    }

    /// PSI of each model's score and of every spec input, training window → test quarter.
    static func driftTable(
        spec: ScoringSpec, windows: LeadWindows, trainRows: [Int], testRows: [Int],
        challenger: WeightFile?, champion: WeightFile?
    ) throws(RecalibrationError) -> [Drift] {
        var result: [Drift] = []
        func scoreDrift(_ model: WeightFile, _ name: String) throws(RecalibrationError) {
            let features = model.encodings.map(FeatureSpec.init)
            let train = windows.kept(trainRows, features: features), test = windows.kept(testRows, features: features)
            guard !train.isEmpty, !test.isEmpty else { return }
            let a = model.linearPredictor(try design(model, windows, train).matrix).map { Optional(model.points.points(logOdds: $0)) }
            let b = model.linearPredictor(try design(model, windows, test).matrix).map { Optional(model.points.points(logOdds: $0)) }
            result.append(Drift(variable: name, stability: .numeric(expected: a, actual: b)))
        }
        guard !trainRows.isEmpty, !testRows.isEmpty else { return [] }
        if let challenger { try scoreDrift(challenger, "score (challenger)") }
        if let champion { try scoreDrift(champion, "score (champion)") }
        for feature in spec.features {
            switch feature.type {
            case .numeric:
                let column = windows.table.numeric(feature.column)
                func values(_ rows: [Int]) -> [Double?] { rows.map { column.missing[$0] ? nil : column.values[$0] } }
                result.append(Drift(variable: feature.column, stability: .numeric(expected: values(trainRows), actual: values(testRows))))
            case .categorical:
                result.append(
                    Drift(
                        variable: feature.column,
                        stability: .categorical(
                            expected: trainRows.map { windows.level($0, feature: feature) },
                            actual: testRows.map { windows.level($0, feature: feature) })))
            }
        }
        return result
    }
}
