#if canImport(Glibc)
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
    public static func fit<Source: DesignBlockSource>(streaming source: inout Source, options: Options = .init())
        throws(StreamingFitError<Source.Failure>) -> LogisticFit {
        var newton = StreamingNewton(source: source, options: options)
        defer { source = newton.source }
        return try newton.run()
    }
}

/// The Newton iteration over a block source; mirrors `Newton` in LogisticRegression.swift.
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

    func penaltyTerm(_ beta: [Double]) -> Double {
        guard options.penalty > 0 else { return 0 }
        var sum = 0.0
        for j in 0..<p where j != interceptColumn { sum += beta[j] * beta[j] }
        return options.penalty * sum / 2
    }

    mutating func survey() throws(Failure) -> DesignSurvey {
        var survey = DesignSurvey(columns: p)
        let names = self.names
        do { try source.forEachBlock { survey.add($0, names: names) } } catch { throw .source(error) }
        return survey
    }

    /// One pass at β: the per-block kernel results summed over blocks in block order.
    mutating func evaluate(at beta: [Double]) throws(Failure) -> PassTotals {
        let p = self.p
        var totals = PassTotals(logLikelihood: 0, gradient: [Double](repeating: 0, count: p),
                                information: SymmetricMatrix(order: p), boundaryRows: 0)
        let workers = options.threads ?? onlineProcessorCount()
        let blockRows = options.blockRows
        do {
            try source.forEachBlock { block in
                let workspace = NewtonWorkspace(x: block.values, y: block.outcomes, weights: block.weights,
                                                rows: block.rows, columns: p, workers: workers, blockRows: blockRows)
                let part = withSingleThreadedBLAS { workspace.evaluate(at: beta) }
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

    func fitError(_ error: FitError) -> Failure { .fit(error) }

    mutating func run() throws(Failure) -> LogisticFit {
        guard options.penalty >= 0, options.penalty.isFinite else {
            throw fitError(.invalidOption(name: "penalty", value: options.penalty, requirement: "a finite λ ≥ 0"))
        }
        guard options.maxIterations >= 1 else {
            throw fitError(.invalidOption(name: "maxIterations", value: Double(options.maxIterations), requirement: "at least 1"))
        }
        guard p > 0 else { throw fitError(.noColumns) }
        let survey = try self.survey()
        guard survey.rows > 0 else { throw fitError(.emptyInput) }
        if let error = survey.firstRowError { throw fitError(error) }
        guard survey.totalWeight > 0 else { throw fitError(.zeroTotalWeight) }
        let won = survey.won, totalWeight = survey.totalWeight
        if won == 0 || won == totalWeight {
            throw fitError(.singleOutcomeClass(outcome: won == 0 ? 0 : 1, rows: survey.rows))
        }
        let meanOutcome = won / totalWeight

        var beta = [Double](repeating: 0, count: p)
        if let intercept = interceptColumn { beta[intercept] = log(meanOutcome / (1 - meanOutcome)) }
        var pass = try evaluate(at: beta)
        guard pass.logLikelihood.isFinite else { throw fitError(survey.firstNonFinite ?? .singularHessian(iteration: 0)) }
        do {
            try RankDiagnosis.check(information: pass.information, names: names, interceptColumn: interceptColumn)
        } catch {
            throw fitError(error)
        }

        let nullLogLikelihood = interceptColumn != nil
            ? won * log(meanOutcome) + (totalWeight - won) * log(1 - meanOutcome)
            : -totalWeight * log(2)

        var objective = -pass.logLikelihood + penaltyTerm(beta)
        var previousObjective = Double.infinity
        var warnings: [FitWarning] = []
        var converged = false
        var iterations = 0
        var relativeChange = Double.infinity
        var scaledGradient = Double.infinity
        var hessian = SymmetricMatrix(order: p)
        let names = self.names, intercept = interceptColumn
        func separated(_ beta: [Double], _ information: SymmetricMatrix, force: Bool) -> [SeparatedTerm]? {
            SeparationDiagnosis.runaway(beta: beta, information: information, names: names, interceptColumn: intercept,
                                        force: force, rootMeanSquare: survey.rootMeanSquare,
                                        indicatorCounts: survey.indicatorCounts)
        }

        while true {
            var gradient = pass.gradient
            hessian = pass.information
            if options.penalty > 0 {
                for j in 0..<p where j != interceptColumn {
                    gradient[j] -= options.penalty * beta[j]
                    hessian[j, j] += options.penalty
                }
                hessian.symmetrize()
            }
            scaledGradient = 0
            for j in 0..<p {
                let h = hessian[j, j]
                let s = h > 0 ? abs(gradient[j]) / h.squareRoot() : (gradient[j] == 0 ? 0 : .infinity)
                scaledGradient = max(scaledGradient, s)
            }
            relativeChange = abs(previousObjective - objective) / (abs(objective) + 0.1)
            if relativeChange <= options.devianceTolerance && scaledGradient <= options.gradientTolerance {
                converged = true
                break
            }
            if iterations >= options.maxIterations { break }

            var factor = hessian
            guard factor.choleskyInPlace() else {
                if let terms = separated(beta, pass.information, force: true) { throw fitError(.separation(terms)) }
                throw fitError(.singularHessian(iteration: iterations + 1))
            }
            let step = factor.solveWithFactor(gradient)
            iterations += 1

            // Step-halving as in memory: every trial β costs one pass, which also gives the
            // score and information of the accepted β for the next step.
            var length = 1.0
            var halvings = 0
            var accepted = false
            while halvings <= options.maxStepHalvings {
                var candidate = beta
                for j in 0..<p { candidate[j] += length * step[j] }
                let candidatePass = try evaluate(at: candidate)
                let candidateObjective = -candidatePass.logLikelihood + penaltyTerm(candidate)
                if candidateObjective.isFinite,
                   candidateObjective <= objective + 1e-13 * abs(objective) {
                    beta = candidate
                    pass = candidatePass
                    previousObjective = objective
                    objective = candidateObjective
                    accepted = true
                    break
                }
                length /= 2
                halvings += 1
            }
            if halvings > 0 { warnings.append(.stepHalving(iteration: iterations, halvings: halvings)) }
            if !accepted {
                converged = scaledGradient <= max(options.gradientTolerance, 1e-6)
                relativeChange = 0
                break
            }
        }

        if !converged {
            warnings.append(.notConverged(iterations: iterations, relativeDevianceChange: relativeChange,
                                          gradientNorm: scaledGradient))
        }
        if options.penalty == 0, let terms = separated(beta, pass.information, force: !converged) {
            throw fitError(.separation(terms))
        }
        if pass.boundaryRows > 0 { warnings.append(.fittedProbabilitiesAtBounds(rows: pass.boundaryRows)) }

        var factor = hessian
        guard factor.choleskyInPlace(), let covariance = factor.inverseFromFactor() else {
            throw fitError(.singularHessian(iteration: iterations))
        }
        let z = 1.959963984540054
        var standardErrors = [Double](repeating: 0, count: p)
        var zScores = standardErrors, pValues = standardErrors, low = standardErrors, high = standardErrors
        for j in 0..<p {
            let se = max(0, covariance[j, j]).squareRoot()
            standardErrors[j] = se
            zScores[j] = beta[j] / se
            pValues[j] = erfc(abs(zScores[j]) / 2.0.squareRoot())
            low[j] = beta[j] - z * se
            high[j] = beta[j] + z * se
        }
        var gradientNorm = 0.0
        for j in 0..<p {
            let penalised = pass.gradient[j] - (j == interceptColumn ? 0 : options.penalty * beta[j])
            gradientNorm = max(gradientNorm, abs(penalised))
        }
        let k = Double(p)
        let logLikelihood = pass.logLikelihood
        return LogisticFit(
            names: names, coefficients: beta, standardErrors: standardErrors, zScores: zScores,
            pValues: pValues, confidenceLow: low, confidenceHigh: high, covariance: covariance.values,
            logLikelihood: logLikelihood, nullLogLikelihood: nullLogLikelihood,
            deviance: -2 * logLikelihood, nullDeviance: -2 * nullLogLikelihood,
            aic: 2 * k - 2 * logLikelihood, bic: k * log(Double(survey.effectiveRows)) - 2 * logLikelihood,
            mcFaddenR2: 1 - logLikelihood / nullLogLikelihood, objective: objective, penalty: options.penalty,
            rows: survey.rows, effectiveRows: survey.effectiveRows, positives: won, totalWeight: totalWeight,
            converged: converged, iterations: iterations, gradientNorm: gradientNorm, warnings: warnings)
    }
}
