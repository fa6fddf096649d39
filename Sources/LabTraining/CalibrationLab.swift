import BatonSupport
import Foundation
import LabNumerics
import LabStatistics
import LeadCSV
import ScoringModelFormat

/// The quarterly calibration lab: fit lead-scoring weights on closed-won / closed-lost history,
/// check them against real conversion, and build the versioned, checksummed weight file.
package enum CalibrationLab {
    /// Written into every weight file as `tool_version`.
    package static let toolVersion = BatonVersion.tool

    /// A fitted model with everything the summary, the JSON output and the weight file need.
    package struct FitRun: Sendable {
        /// The model inputs, when the fit held them in memory (nil for a streaming fit).
        package var training: TrainingData?
        package var spec: ScoringSpec
        package var fit: LogisticFit
        /// In-sample metrics on the training rows.
        package var metrics: ValidationMetrics
        package var weightFile: WeightFile
        /// Seconds per stage: `read`, `encode`, `fit`, `probabilities`, `metrics`, and `hash`, which
        /// runs on its own thread from the start of `read` and overlaps the stages after it.
        package var timings: StageTimings
        /// How the data was read: the whole design in memory, or row blocks per pass.
        package var path: FitPath = .inMemory
        /// Per feature, for the summary (``InformationValue/of(encodings:training:)``); an
        /// in-memory fit counts them on a thread of its own while the probabilities and metrics run.
        package var informationValues: [InformationValue] = []
    }

    /// A model checked on a data set with outcomes.
    package struct ValidationRun: Sendable {
        package var model: WeightFile
        package var data: ScoredRows
        package var probabilities: [Double]
        package var metrics: ValidationMetrics
        /// Seconds per stage: `read` (which computes the linear predictor as each part of the
        /// file is parsed), `score`, `metrics`; a file read whole (one whose parts do not all
        /// parse and encode cleanly, see ``ScoredRows/load(csv:model:timings:)``) adds `encode`.
        package var timings: StageTimings
    }

    /// Reads the spec and the data, fits, computes in-sample metrics and builds the weight file.
    /// - Parameters:
    ///   - penalty: overrides the spec's `penalty` when given.
    ///   - now: the `created_at` time recorded in the weight file.
    ///   - method: overrides the spec's `method` when given (`firth`: Firth's penalised likelihood).
    package static func fit(
        data: URL, spec specURL: URL, penalty: Double? = nil, method: FitMethod? = nil, now: Date = Date()
    ) throws(LabError) -> FitRun {
        var spec = try loadSpec(specURL)
        if let penalty { spec.penalty = penalty }
        if let method { spec.method = method }
        try requireFile(data, role: "data")
        var timings = StageTimings()
        // Hash the input on its own thread from the start: the parallel parse leaves part of a
        // core idle, and the encoding and the fit after it keep every core busy.
        let hashing = BackgroundHash(url: data)
        let table = try timings.measure("read") { () throws(LabError) in
            do throws(LeadTableError) {
                // One spare numeric column: the design is built over the numbers where they lie.
                return try LeadTableReader.read(
                    url: data, columns: EncodingLearner.columnRequests(for: spec, timeWindow: true), spareNumericColumns: 1)
            } catch {
                throw LabError.data(.table(error))
            }
        }
        hashing.stopIdling()
        let training = try timings.measure("encode") { () throws(LabError) in
            do throws(DataError) { return try TrainingData.build(table: table, spec: spec) } catch { throw LabError.data(error) }
        }

        let fit = try timings.measure("fit") { () throws(LabError) in
            do throws(FitError) {
                return try estimate(training.design, outcomes: training.outcome, weights: training.weights, spec: spec)
            } catch {
                throw LabError.fit(error, file: training.file, lines: training.fileLines)
            }
        }
        // The information values read only the design and the outcomes: counted meanwhile, on the
        // core the probabilities and metrics leave idle part of the time.
        let informationValues = InformationValue.inBackground(encodings: training.encodings, training: training)
        let probabilities = timings.measure("probabilities") { fit.probabilities(training.design) }
        let metrics = try timings.measure("metrics") { () throws(LabError) in
            do throws(MetricsError) { return try ValidationMetrics.evaluate(probabilities: probabilities, outcomes: training.outcome) } catch {
                throw LabError.metrics(error, file: training.file)
            }
        }
        let hashed = hashing.wait()
        timings.record("hash", seconds: hashed.seconds)
        guard case let .success(inputHash) = hashed.hex else { throw .fileNotFound(path: data.path, role: "data") }
        var window = training.timeWindow
        if window == nil { window = try timeWindowOfKeptRows(data: data, spec: spec, training: training) }
        let (timeFrom, timeTo) = (window?.from, window?.to)
        var metadata = TrainingMetadata(
            rows: training.design.rows, positives: training.positives, rowsDropped: training.rows.rowsDropped,
            timeFrom: timeFrom, timeTo: timeTo, inputFile: data.lastPathComponent, inputSHA256: inputHash,
            createdAt: isoTimestamp(now), toolVersion: toolVersion, penalty: spec.penalty,
            converged: fit.converged, iterations: fit.iterations, fitPath: FitPath.inMemory.description)
        metadata.method = spec.method == .firth ? FitMethod.firth.rawValue : nil
        let weightFile = WeightFile(
            terms: training.terms, estimates: fit.coefficients, standardErrors: fit.standardErrors,
            encodings: training.encodings, spec: spec, training: metadata,
            metrics: ModelMetrics(metrics, fit: fit))
        return FitRun(
            training: training, spec: spec, fit: fit, metrics: metrics, weightFile: weightFile,
            timings: timings, informationValues: informationValues.wait())
    }

    /// Scores `data` (which must hold the outcome column) with `model` and computes the metrics.
    package static func validate(model: WeightFile, data: URL) throws(LabError) -> ValidationRun {
        try requireFile(data, role: "data")
        var timings = StageTimings()
        let scoring: ScoredRows
        do throws(DataError) {
            scoring = try ScoredRows.load(csv: data, model: model, timings: &timings)
        } catch {
            throw .data(error)
        }
        guard let outcome = scoring.outcome else {
            throw .noOutcomeColumn(file: scoring.file, column: model.spec.outcome.column)
        }
        let probabilities = timings.measure("score") { scoring.linearPredictor.map(logistic) }
        let metrics = try timings.measure("metrics") { () throws(LabError) in
            do throws(MetricsError) { return try ValidationMetrics.evaluate(probabilities: probabilities, outcomes: outcome) } catch {
                throw LabError.metrics(error, file: scoring.file)
            }
        }
        return ValidationRun(
            model: model, data: scoring, probabilities: probabilities, metrics: metrics,
            timings: timings)
    }

    /// Reads and verifies a weight file.
    package static func loadModel(_ url: URL) throws(LabError) -> WeightFile {
        try requireFile(url, role: "model")
        do { return try WeightFile.load(from: url) } catch let error as WeightFileError { throw .weightFile(error) } catch {
            throw .output(path: url.path, detail: "\(error)")
        }
    }

    /// Writes the weight file atomically.
    package static func write(_ weights: WeightFile, to url: URL) throws(LabError) {
        do { try weights.write(to: url) } catch let error as WeightFileError { throw .weightFile(error) } catch {
            throw .output(path: url.path, detail: "\(error)")
        }
    }

    static func loadSpec(_ url: URL) throws(LabError) -> ScoringSpec {
        try requireFile(url, role: "spec")
        do { return try ScoringSpec.load(url: url) } catch { throw .spec(error) }
    }

    /// Throws unless `url` is a readable regular file (see ``InputFile``).
    package static func requireFile(_ url: URL, role: String) throws(LabError) {
        if let problem = InputFile.problem(atPath: url.path) { throw .input(problem, path: url.path, role: role) }
    }

    /// The time window when rows were dropped (the parse's bounds cover every row): the time
    /// column read once more as text, over the kept rows only. Rare (drop_row rules), so the
    /// usual fit never holds a String per row.
    static func timeWindowOfKeptRows(data: URL, spec: ScoringSpec, training: TrainingData) throws(LabError) -> TimeWindow? {
        guard let time = spec.time, training.rows.rowsDropped > 0 else { return nil }
        do throws(LeadTableError) {
            let table = try LeadTableReader.read(url: data, columns: [.raw(time)])
            return TimeWindow.of(table.raw(time).values, rows: training.rows.keptRows)
        } catch {
            throw LabError.data(.table(error))
        }
    }

    /// `date` as RFC 3339 UTC to the second (`2026-12-07T12:13:40Z`), what `ISO8601DateFormatter`
    /// with `.withInternetDateTime` writes, computed from the Unix time (``CivilDate``) so that no
    /// time-zone database is loaded (that formatter read three zoneinfo files, ~5 ms of every fit).
    static func isoTimestamp(_ date: Date) -> String {
        // Whole seconds as the formatter counts them: the time since 2001-01-01 (978,307,200 s
        // after 1970) to the nearest millisecond, then whole seconds down.
        let milliseconds = (date.timeIntervalSinceReferenceDate * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down) + 978_307_200
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "1970-01-01T00:00:00Z" }
        let whole = Int(seconds)  // total: finite and below 1e15 in magnitude
        let day = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let second = whole - day * 86_400
        return CivilDate.isoDate(day: day)
            + "T\(CivilDate.pad(second / 3600, 2)):\(CivilDate.pad(second / 60 % 60, 2)):\(CivilDate.pad(second % 60, 2))Z"
    }
}

extension WeightFile {
    /// Fitted probabilities for a design built from this file's encodings (same term order).
    package func probabilities(_ design: DesignMatrix) -> [Double] {
        precondition(design.columns == model.count, "design has \(design.columns) terms, the model \(model.count)")
        var eta = [Double](repeating: 0, count: design.rows)
        for (j, term) in model.enumerated() where term.estimate != 0 {
            let offset = j * design.rows
            for i in 0..<design.rows { eta[i] += term.estimate * design.values[offset + i] }
        }
        return eta.map(logistic)
    }
}

extension CalibrationLab {
    /// The one estimator behind every fit of a spec (`baton fit` and the recalibration's
    /// challenger): Firth's penalised likelihood for `method: firth`, else maximum likelihood
    /// with the spec's ridge penalty. `profile: false` skips Firth's profile intervals (the
    /// estimates and standard errors are the same), for fits whose intervals nobody reads.
    /// - Throws: ``FitError``; `invalidOption` for a ridge penalty with `method: firth`.
    package static func estimate(
        _ design: CodedDesign, outcomes: [Double], weights: [Double]?, spec: ScoringSpec,
        profile: Bool = true
    ) throws(FitError) -> LogisticFit {
        guard spec.method == .firth else {
            return try LogisticRegression.fit(design, outcomes: outcomes, weights: weights, options: .init(penalty: spec.penalty))
        }
        guard spec.penalty == 0 else {
            throw FitError.invalidOption(name: "penalty (with method firth)", value: spec.penalty, requirement: "0: Firth's penalty replaces a ridge")
        }
        // Firth's hat values read every column: the plain matrix is spelled out for it.
        let firth = try FirthRegression.fit(design.materialized(), outcomes: outcomes, weights: weights, profile: profile)
        let total = weights?.reduce(0, +) ?? Double(design.rows)
        let won = weights.map { w in zip(outcomes, w).reduce(0) { $0 + $1.0 * $1.1 } } ?? outcomes.reduce(0, +)
        return firth.logisticFit(
            rows: design.rows, effectiveRows: weights?.filter { $0 > 0 }.count ?? design.rows, positives: won, totalWeight: total,
            hasIntercept: design.interceptColumn != nil)
    }

    /// ``estimate(_:outcomes:weights:spec:profile:)`` on a plain matrix (its 0/1 columns are
    /// found by the fit itself).
    package static func estimate(
        _ design: DesignMatrix, outcomes: [Double], weights: [Double]?, spec: ScoringSpec,
        profile: Bool = true
    ) throws(FitError) -> LogisticFit {
        try estimate(CodedDesign(design), outcomes: outcomes, weights: weights, spec: spec, profile: profile)
    }
}
