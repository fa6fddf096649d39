import Foundation
import LabNumerics
import LabStatistics
import LeadCSV
import ScoringModelFormat

extension CalibrationLab {
    /// Default rows per block of a streaming fit: an 8 192 × 60 design block is 3.75 MiB, and on
    /// a 1e6-row file 8 192-row blocks were faster than 65 536 or 262 144 (Benchmarks/streaming.md).
    package static let defaultBlockRows = 8_192

    /// ``fit(data:spec:penalty:now:)`` without holding the data in memory: one pass learns the
    /// encodings, row counts, time window and SHA-256 (``StreamingTrainingScan``), then the
    /// Newton iterations re-read the file in blocks of `blockRows` rows
    /// (``LogisticRegression/fit(streaming:options:)`` over a ``CSVDesignSource``), and one last
    /// pass scores the rows for the in-sample metrics.
    ///
    /// Memory: one block (its bytes, parsed columns and `blockRows × p` design doubles), O(p²),
    /// the distinct categorical levels, and — for the in-sample metrics, whose AUC and DeLong
    /// interval need every score — 16 bytes per kept row (probability and outcome).
    /// Results equal the in-memory fit's to rounding (the sums run in another order).
    /// Stages in ``FitRun/timings``: `scan` (includes the hash), `fit`, `probabilities`, `metrics`.
    package static func fitStreaming(
        data: URL, spec specURL: URL, penalty: Double? = nil, method: FitMethod? = nil,
        blockRows: Int = defaultBlockRows, now: Date = Date()
    ) throws(LabError) -> FitRun {
        precondition(blockRows >= 1, "fitStreaming: blockRows must be at least 1")
        var spec = try loadSpec(specURL)
        if let penalty { spec.penalty = penalty }
        if let method { spec.method = method }
        if spec.method == .firth { throw .data(.firthNeedsInMemoryFit(file: data.path)) }
        try requireFile(data, role: "data")
        var timings = StageTimings()
        let scan = try timings.measure("scan") { () throws(LabError) in
            do throws(DataError) { return try StreamingTrainingScan.scan(csv: data, spec: spec, blockRows: blockRows) } catch {
                throw LabError.data(error)
            }
        }
        var source = CSVDesignSource(csv: data, spec: spec, encodings: scan.encodings, blockRows: blockRows)
        let fit = try timings.measure("fit") { () throws(LabError) in
            do throws(StreamingFitError<DataError>) {
                return try LogisticRegression.fit(streaming: &source, options: .init(penalty: spec.penalty))
            } catch {
                switch error {
                case let .source(dataError): throw LabError.data(dataError)
                case let .fit(fitError): throw LabError.fit(fitError, file: scan.file, lines: [])
                }
            }
        }
        let (probabilities, outcomes) = try timings.measure("probabilities") { () throws(LabError) in
            try scores(of: &source, coefficients: fit.coefficients, rows: scan.rowsKept)
        }
        let metrics = try timings.measure("metrics") { () throws(LabError) in
            do throws(MetricsError) { return try ValidationMetrics.evaluate(probabilities: probabilities, outcomes: outcomes) } catch {
                throw LabError.metrics(error, file: scan.file)
            }
        }
        let metadata = TrainingMetadata(
            rows: scan.rowsKept, positives: scan.positives, rowsDropped: scan.rowsDropped,
            timeFrom: scan.timeFrom, timeTo: scan.timeTo, inputFile: data.lastPathComponent,
            inputSHA256: scan.inputSHA256, createdAt: isoTimestamp(now), toolVersion: toolVersion,
            penalty: spec.penalty, converged: fit.converged, iterations: fit.iterations,
            fitPath: FitPath.streaming(blockRows: blockRows).description)
        let weightFile = WeightFile(
            terms: scan.terms, estimates: fit.coefficients, standardErrors: fit.standardErrors,
            encodings: scan.encodings, spec: spec, training: metadata, metrics: ModelMetrics(metrics, fit: fit))
        return FitRun(
            training: nil, spec: spec, fit: fit, metrics: metrics, weightFile: weightFile, timings: timings,
            path: .streaming(blockRows: blockRows), informationValues: InformationValue.of(encodings: scan.encodings, training: nil))
    }

    /// Fitted probabilities and outcomes of every kept row, from one more pass.
    static func scores(
        of source: inout CSVDesignSource, coefficients: [Double],
        rows: Int
    ) throws(LabError) -> (probabilities: [Double], outcomes: [Double]) {
        var probabilities: [Double] = [], outcomes: [Double] = []
        probabilities.reserveCapacity(rows)
        outcomes.reserveCapacity(rows)
        let p = coefficients.count
        var eta: [Double] = []
        do {
            try source.forEachBlock { block in
                let m = block.rows
                eta.removeAll(keepingCapacity: true)
                eta.append(contentsOf: repeatElement(0, count: m))
                // Column by column, as LogisticFit.linearPredictor sums, so the scores are the in-memory ones.
                for j in 0..<p where coefficients[j] != 0 {
                    let b = coefficients[j]
                    let column = block.values + j * m
                    for i in 0..<m { eta[i] += b * column[i] }
                }
                for i in 0..<m {
                    probabilities.append(logistic(eta[i]))
                    outcomes.append(block.outcomes[i])
                }
            }
        } catch {
            throw .data(error)
        }
        return (probabilities, outcomes)
    }
}
