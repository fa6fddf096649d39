#if canImport(Glibc)
import BatonSupport
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LogisticRegression {
    /// Fits the model on rows that a ``DesignBlockSource`` lends block by block, re-reading the
    /// source once per Newton pass instead of holding the n × p design: memory is the source's
    /// block plus O(p²).
    ///
    /// The iteration is that of ``fit(_:outcomes:weights:options:)`` (same start at logit(ȳ),
    /// same convergence test, step-halving, rank check before iterating, separation check
    /// after, the same ``FitError`` cases): each block's ℓ, score and XᵀWX come from the same
    /// Newton-pass kernel and are summed over blocks. Passes over the source: one survey (row
    /// totals and checks), then one per evaluated β: 1 + Newton steps + step halvings.
    ///
    /// The sums run in a different order than in memory (per block, then across blocks), so
    /// results agree with the in-memory fit to rounding (≈1e-13 relative on well-conditioned
    /// designs), not bit for bit.
    /// - Throws: ``StreamingFitError/source(_:)`` when the source fails,
    ///   ``StreamingFitError/fit(_:)`` for what the in-memory fit rejects.
    package static func fit<Source: DesignBlockSource>(
        streaming source: inout Source, options: Options = .init()
    )
        throws(StreamingFitError<Source.Failure>) -> LogisticFit
    {
        var newton = StreamingNewton(source: source, options: options)
        defer { source = newton.source }
        return try newton.run()
    }
}

/// The streaming side of the Newton iteration (``NewtonIteration``): row totals from one survey
/// of the source, passes over its blocks, diagnoses from the survey.
private struct StreamingNewton<Source: DesignBlockSource> {
    var source: Source
    let options: LogisticRegression.Options
    let names: [String]
    let interceptColumn: Int?
    typealias Failure = StreamingFitError<Source.Failure>

    init(source: Source, options: LogisticRegression.Options) {
        self.source = source
        self.options = options
        names = source.names
        interceptColumn = source.interceptColumn
    }

    var p: Int { names.count }

    /// Row totals and checks, and the rows of the Newton start's subsample (``SubsampleStart``).
    mutating func survey() throws(Failure) -> (DesignSurvey, SubsampleStart.Collector) {
        var survey = DesignSurvey(columns: p)
        var sample = SubsampleStart.Collector(columns: p)
        let names = self.names
        do {
            try source.forEachBlock { block in
                survey.add(block, names: names)
                sample.add(block)
            }
        } catch {
            throw .source(error)
        }
        return (survey, sample)
    }

    /// One pass at β: the per-block kernel results summed over blocks in block order (the
    /// information left zero when `information` is false).
    mutating func evaluate(at beta: [Double], information: Bool = true) throws(Failure) -> PassTotals {
        let p = self.p
        var totals = PassTotals(
            logLikelihood: 0, gradient: [Double](repeating: 0, count: p),
            information: SymmetricMatrix(order: p), boundaryRows: 0)
        let workers = options.threads ?? onlineProcessorCount()
        let blockRows = options.blockRows
        do {
            try source.forEachBlock { block in
                let workspace = NewtonWorkspace(
                    x: block.values, y: block.outcomes, weights: block.weights,
                    rows: block.rows, columns: p, workers: workers, blockRows: blockRows)
                let part = withSingleThreadedBLAS { workspace.evaluate(at: beta, information: information) }
                totals.logLikelihood += part.logLikelihood
                totals.boundaryRows += part.boundaryRows
                for j in 0..<p { totals.gradient[j] += part.gradient[j] }
                totals.information.values.withUnsafeMutableBufferPointer { out in
                    part.information.values.withUnsafeBufferPointer { add in
                        for k in 0..<(p * p) { out[k] += add[k] }
                    }
                }
            }
        } catch {
            throw .source(error)
        }
        return totals
    }

    mutating func run() throws(Failure) -> LogisticFit {
        guard options.penalty >= 0, options.penalty.isFinite else {
            throw .fit(.invalidOption(name: "penalty", value: options.penalty, requirement: "a finite λ ≥ 0"))
        }
        guard options.maxIterations >= 1 else {
            throw .fit(.invalidOption(name: "maxIterations", value: Double(options.maxIterations), requirement: "at least 1"))
        }
        guard p > 0 else { throw .fit(.noColumns) }
        let (survey, sample) = try self.survey()
        guard survey.rows > 0 else { throw .fit(.emptyInput) }
        if let error = survey.firstRowError { throw .fit(error) }
        guard survey.totalWeight > 0 else { throw .fit(.zeroTotalWeight) }
        if survey.won == 0 || survey.won == survey.totalWeight {
            throw .fit(.singleOutcomeClass(outcome: survey.won == 0 ? 0 : 1, rows: survey.rows))
        }
        let problem = NewtonProblem(
            names: names, interceptColumn: interceptColumn, rows: survey.rows,
            effectiveRows: survey.effectiveRows, won: survey.won,
            totalWeight: survey.totalWeight)
        let (names, intercept) = (self.names, interceptColumn)
        let start = sample.coefficients(
            names: names, interceptColumn: intercept, totalWeight: survey.totalWeight, options: options)
        return try NewtonIteration.run(
            problem, options: options,
            evaluate: { beta, information throws(Failure) in try self.evaluate(at: beta, information: information) },
            nonFinite: { survey.firstNonFinite ?? .singularHessian(iteration: 0) },
            separated: { beta, information, force in
                SeparationDiagnosis.runaway(
                    beta: beta, information: information, names: names,
                    interceptColumn: intercept, force: force,
                    rootMeanSquare: survey.rootMeanSquare,
                    indicatorCounts: survey.indicatorCounts)
            },
            wrap: { .fit($0) }, start: start)
    }
}
