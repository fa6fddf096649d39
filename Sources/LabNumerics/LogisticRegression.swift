#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic regression by Newton's method (IRLS) on LAPACK.
///
/// Minimises `−ℓ(β) + λ‖β₋₀‖²/2` (the intercept column is not penalised):
/// `H = XᵀWX + λP`, `g = Xᵀc(y − μ) − λPβ`, `β ← β + t H⁻¹g` with `W = diag(cᵢ μᵢ(1 − μᵢ))`,
/// the step t halved while the objective rises. XᵀWX is accumulated with `dsyrk` over row
/// blocks split across cores; H is factored with `dpotrf` and solved with `dpotrs`.
///
/// Converged means both: the relative change of the objective
/// `|f_k − f_{k−1}| / (|f_k| + 0.1)` is at most ``Options/devianceTolerance`` and the gradient,
/// measured in the metric of the Hessian diagonal (`max |gⱼ| / √Hⱼⱼ`, roughly the last step in
/// standard errors), is at most ``Options/gradientTolerance``.
///
/// Before iterating, the design is checked for constant and collinear terms (pivoted Cholesky,
/// `dpstrf`, of the scaled information matrix), and after it, for quasi-complete separation
/// (terms whose estimate runs away); both throw with the terms named.
public enum LogisticRegression {
    /// Fit settings.
    public struct Options: Sendable, Equatable {
        /// λ ≥ 0 of the ridge term `λ‖β₋₀‖²/2`. Default 0 (maximum likelihood).
        public var penalty: Double
        /// Newton steps allowed. Default 100.
        public var maxIterations: Int
        /// Relative objective change for convergence. Default 1e-12.
        public var devianceTolerance: Double
        /// Scaled gradient (`max |gⱼ|/√Hⱼⱼ`) for convergence. Default 1e-8.
        public var gradientTolerance: Double
        /// Halvings allowed in one step. Default 40.
        public var maxStepHalvings: Int
        /// Worker threads; nil = cores online.
        public var threads: Int?
        /// Rows per cache block; nil = chosen from the column count.
        public var blockRows: Int?

        public init(penalty: Double = 0, maxIterations: Int = 100, devianceTolerance: Double = 1e-12,
                    gradientTolerance: Double = 1e-8, maxStepHalvings: Int = 40, threads: Int? = nil,
                    blockRows: Int? = nil) {
            self.penalty = penalty
            self.maxIterations = maxIterations
            self.devianceTolerance = devianceTolerance
            self.gradientTolerance = gradientTolerance
            self.maxStepHalvings = maxStepHalvings
            self.threads = threads
            self.blockRows = blockRows
        }
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - x: the design, column-major; its ``DesignMatrix/interceptColumn`` is not penalised.
    ///   - outcomes: 0 (closed-lost) or 1 (closed-won) per row.
    ///   - weights: optional non-negative case weights cᵢ (frequency weights).
    /// - Throws: ``FitError`` for empty, non-binary, single-class, constant, collinear or
    ///   separated data.
    public static func fit(_ x: DesignMatrix, outcomes: [Double], weights: [Double]? = nil,
                           options: Options = .init()) throws(FitError) -> LogisticFit {
        try validate(x, outcomes: outcomes, weights: weights, options: options)
        let workers = options.threads ?? onlineProcessorCount()
        // The buffer closures are untyped-rethrows, so the typed error travels in a Result.
        let result: Result<LogisticFit, FitError> = x.values.withUnsafeBufferPointer { xp in
            outcomes.withUnsafeBufferPointer { yp in
                withOptionalPointer(weights) { wp in
                    guard let xBase = xp.baseAddress, let yBase = yp.baseAddress else { return .failure(.emptyInput) }
                    let workspace = NewtonWorkspace(
                        x: xBase, y: yBase, weights: wp, rows: x.rows, columns: x.columns,
                        workers: workers, blockRows: options.blockRows)
                    return withSingleThreadedBLAS {
                        Result { () throws(FitError) -> LogisticFit in
                            try Newton(x: x, outcomes: outcomes, weights: weights, options: options,
                                       workspace: workspace).run()
                        }
                    }
                }
            }
        }
        return try result.get()
    }

    private static func validate(_ x: DesignMatrix, outcomes: [Double], weights: [Double]?,
                                 options: Options) throws(FitError) {
        guard options.penalty >= 0, options.penalty.isFinite else {
            throw .invalidOption(name: "penalty", value: options.penalty, requirement: "a finite λ ≥ 0")
        }
        guard options.maxIterations >= 1 else {
            throw .invalidOption(name: "maxIterations", value: Double(options.maxIterations), requirement: "at least 1")
        }
        guard x.columns > 0 else { throw .noColumns }
        guard x.rows > 0 else { throw .emptyInput }
        guard outcomes.count == x.rows, weights.map({ $0.count == x.rows }) ?? true else {
            throw .lengthMismatch(rows: x.rows, outcomes: outcomes.count, weights: weights?.count)
        }
        var won = 0.0, total = 0.0
        for i in 0..<x.rows {
            let y = outcomes[i]
            guard y == 0 || y == 1 else { throw .nonBinaryOutcome(row: i, value: y) }
            let c = weights?[i] ?? 1
            guard c >= 0, c.isFinite else { throw .invalidWeight(row: i, value: c) }
            won += c * y
            total += c
        }
        guard total > 0 else { throw .zeroTotalWeight }
        if won == 0 || won == total {
            throw .singleOutcomeClass(outcome: won == 0 ? 0 : 1, rows: x.rows)
        }
    }
}

/// Calls `body` with a pointer to the array's storage, or nil.
func withOptionalPointer<R>(_ array: [Double]?, _ body: (UnsafePointer<Double>?) throws -> R) rethrows -> R {
    guard let array else { return try body(nil) }
    return try array.withUnsafeBufferPointer { try body($0.baseAddress) }
}

/// The iteration itself, separated from the pointer plumbing.
private struct Newton {
    let x: DesignMatrix
    let outcomes: [Double]
    let weights: [Double]?
    let options: Options
    let workspace: NewtonWorkspace
    typealias Options = LogisticRegression.Options

    var p: Int { x.columns }

    /// λ‖β₋₀‖²/2.
    func penaltyTerm(_ beta: [Double]) -> Double {
        guard options.penalty > 0 else { return 0 }
        var sum = 0.0
        for j in 0..<p where j != x.interceptColumn { sum += beta[j] * beta[j] }
        return options.penalty * sum / 2
    }

    func run() throws(FitError) -> LogisticFit {
        let totalWeight = weights?.reduce(0, +) ?? Double(x.rows)
        let won = weights.map { w in zip(outcomes, w).reduce(0) { $0 + $1.0 * $1.1 } } ?? outcomes.reduce(0, +)
        let meanOutcome = won / totalWeight
        let effectiveRows = weights?.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } ?? x.rows

        // Start at the intercept-only optimum: η = logit(ȳ) everywhere.
        var beta = [Double](repeating: 0, count: p)
        if let intercept = x.interceptColumn { beta[intercept] = log(meanOutcome / (1 - meanOutcome)) }
        var pass = workspace.evaluate(at: beta)
        guard pass.logLikelihood.isFinite else { throw nonFiniteDiagnosis() }
        try RankDiagnosis.check(information: pass.information, names: x.names, interceptColumn: x.interceptColumn)

        let nullLogLikelihood: Double
        if x.interceptColumn != nil {
            nullLogLikelihood = won * log(meanOutcome) + (totalWeight - won) * log(1 - meanOutcome)
        } else {
            nullLogLikelihood = -totalWeight * log(2)
        }

        var objective = -pass.logLikelihood + penaltyTerm(beta)
        var previousObjective = Double.infinity
        var warnings: [FitWarning] = []
        var converged = false
        var iterations = 0
        var relativeChange = Double.infinity
        var scaledGradient = Double.infinity
        var hessian = SymmetricMatrix(order: p)

        while true {
            // Penalised gradient and Hessian at the current β.
            var gradient = pass.gradient
            hessian = pass.information
            if options.penalty > 0 {
                for j in 0..<p where j != x.interceptColumn {
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
                if let separated = SeparationDiagnosis.runaway(beta: beta, pass: pass, x: x, outcomes: outcomes,
                                                               weights: weights, force: true) {
                    throw .separation(separated)
                }
                throw .singularHessian(iteration: iterations + 1)
            }
            let step = factor.solveWithFactor(gradient)
            iterations += 1

            // Step-halving: accept the first step length at which the objective does not rise
            // (beyond rounding noise).
            var length = 1.0
            var halvings = 0
            var accepted = false
            while halvings <= options.maxStepHalvings {
                var candidate = beta
                for j in 0..<p { candidate[j] += length * step[j] }
                let candidatePass = workspace.evaluate(at: candidate)
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
                // No step length lowers the objective: β is at the optimum to working precision.
                converged = scaledGradient <= max(options.gradientTolerance, 1e-6)
                relativeChange = 0
                break
            }
        }

        if !converged {
            warnings.append(.notConverged(iterations: iterations, relativeDevianceChange: relativeChange,
                                          gradientNorm: scaledGradient))
        }
        if options.penalty == 0,
           let separated = SeparationDiagnosis.runaway(beta: beta, pass: pass, x: x, outcomes: outcomes,
                                                      weights: weights, force: !converged) {
            throw .separation(separated)
        }
        if pass.boundaryRows > 0 { warnings.append(.fittedProbabilitiesAtBounds(rows: pass.boundaryRows)) }

        var factor = hessian
        guard factor.choleskyInPlace(), let covariance = factor.inverseFromFactor() else {
            throw .singularHessian(iteration: iterations)
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
            let penalised = pass.gradient[j] - (j == x.interceptColumn ? 0 : options.penalty * beta[j])
            gradientNorm = max(gradientNorm, abs(penalised))
        }
        let k = Double(p)
        let logLikelihood = pass.logLikelihood
        return LogisticFit(
            names: x.names, coefficients: beta, standardErrors: standardErrors, zScores: zScores,
            pValues: pValues, confidenceLow: low, confidenceHigh: high, covariance: covariance.values,
            logLikelihood: logLikelihood, nullLogLikelihood: nullLogLikelihood,
            deviance: -2 * logLikelihood, nullDeviance: -2 * nullLogLikelihood,
            aic: 2 * k - 2 * logLikelihood, bic: k * log(Double(effectiveRows)) - 2 * logLikelihood,
            mcFaddenR2: 1 - logLikelihood / nullLogLikelihood, objective: objective, penalty: options.penalty,
            rows: x.rows, effectiveRows: effectiveRows, positives: won, totalWeight: totalWeight,
            converged: converged, iterations: iterations, gradientNorm: gradientNorm, warnings: warnings)
    }

    /// Finds the first non-finite design value to name it.
    func nonFiniteDiagnosis() -> FitError {
        for j in 0..<p {
            let offset = j * x.rows
            for i in 0..<x.rows where !x.values[offset + i].isFinite {
                return .nonFiniteValue(row: i, term: x.names[j], value: x.values[offset + i])
            }
        }
        return .singularHessian(iteration: 0)
    }
}
