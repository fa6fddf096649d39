#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the Newton iteration needs to know about the rows before it starts, whichever way they
/// are read (arrays in memory, or a block source surveyed once).
struct NewtonProblem {
    let names: [String]
    let interceptColumn: Int?
    let rows: Int
    /// Rows with a positive case weight.
    let effectiveRows: Int
    /// Σ cᵢ yᵢ and Σ cᵢ.
    let won: Double
    let totalWeight: Double
}

/// The one Newton iteration of ``LogisticRegression``, shared by the in-memory and the streaming
/// fit: start at the intercept-only optimum, rank check, penalised Newton steps with step
/// halving, the convergence test, the separation check and the covariance. The two fits differ
/// only in how a pass over the rows is made and in how a non-finite value or a runaway term is
/// named, which they pass in.
///
/// **The confirming pass.** Convergence needs the objective's change over the last step, so the
/// iteration always ends with a step that only confirms: near the optimum, Newton's decrement
/// λ² = gᵀH⁻¹g (the objective falls by about λ²/2 over the step) is far below the tolerance
/// before that step is taken. Such a step is evaluated without the information XᵀWX (about two
/// thirds of a pass's CPU on the 1e6-row benchmark): ℓ, the gradient and the boundary rows at the new β are exact
/// (bit for bit those of a full pass), the convergence test measures the gradient in the
/// metric of the Hessian the step was solved with, and the covariance is that Hessian's inverse:
/// the Hessian at the β one step before the reported estimates. This is the convention of IRLS
/// (statsmodels' `GLM.fit` and R's `glm` report the covariance of the last weighted least-squares
/// solve, whose weights are those of the previous iterate); it moves the standard errors by the
/// change of the information over a step of about 1e-5 standard errors (1e-8–2e-8 relative on
/// the 1e6-row benchmark), far inside the standard errors' own sampling error. When the confirming
/// pass does not confirm (the objective rose, or a tolerance is missed), the step is evaluated
/// again with the information and the iteration goes on as before, so the estimates never
/// depend on the shortcut.
enum NewtonIteration {
    /// The share of the deviance tolerance below which a step's predicted objective change
    /// (λ²/2, relative as in the convergence test) makes it a confirming step.
    static let confirmingShare = 0.01

    /// - Parameters:
    ///   - evaluate: one pass over the rows at β; with `information` false the pass may leave
    ///     `PassTotals/information` zero (see the type's discussion), all else must be exact.
    ///   - nonFinite: names the first non-finite design value (called when the first pass's ℓ is not finite).
    ///   - separated: the separation diagnosis at β with the pass's information (`force` when the
    ///     size criterion alone suffices).
    ///   - wrap: how a ``FitError`` travels as `Failure`.
    static func run<Failure: Error>(
        _ problem: NewtonProblem, options: LogisticRegression.Options,
        evaluate: (_ beta: [Double], _ information: Bool) throws(Failure) -> PassTotals,
        nonFinite: () -> FitError,
        separated: (_ beta: [Double], _ information: SymmetricMatrix, _ force: Bool) -> [SeparatedTerm]?,
        wrap: (FitError) -> Failure,
        start: [Double]? = nil
    ) throws(Failure) -> LogisticFit {
        let p = problem.names.count
        let interceptColumn = problem.interceptColumn
        let won = problem.won, totalWeight = problem.totalWeight
        let meanOutcome = won / totalWeight
        /// λ‖β₋₀‖²/2.
        func penaltyTerm(_ beta: [Double]) -> Double {
            guard options.penalty > 0 else { return 0 }
            var sum = 0.0
            for j in 0..<p where j != interceptColumn { sum += beta[j] * beta[j] }
            return options.penalty * sum / 2
        }

        let nullLogLikelihood =
            interceptColumn != nil
            ? won * log(meanOutcome) + (totalWeight - won) * log(1 - meanOutcome)
            : -totalWeight * log(2)
        func passesRankCheck(_ information: SymmetricMatrix) throws(FitError) {
            try RankDiagnosis.check(
                information: information, names: problem.names, interceptColumn: interceptColumn,
                constantsEstimable: options.penalty > 0)
        }

        // The intercept-only optimum: η = logit(ȳ) everywhere; its objective is −ℓ₀ (no penalty).
        var beta = [Double](repeating: 0, count: p)
        if let intercept = interceptColumn { beta[intercept] = log(meanOutcome / (1 - meanOutcome)) }
        // A subsample's estimates (``SubsampleStart``) when they beat it on the full data and
        // their information passes the rank check; otherwise the iteration starts, and checks, at logit(ȳ).
        var warm: PassTotals?
        if let start, start.count == p, start.allSatisfy(\.isFinite) {
            let trial = try evaluate(start, true)
            if trial.logLikelihood.isFinite, -trial.logLikelihood + penaltyTerm(start) < -nullLogLikelihood,
                (try? passesRankCheck(trial.information)) != nil
            {
                beta = start
                warm = trial
            }
        }
        var pass: PassTotals
        if let warm {
            pass = warm
        } else {
            pass = try evaluate(beta, true)
            guard pass.logLikelihood.isFinite else { throw wrap(nonFinite()) }
            do { try passesRankCheck(pass.information) } catch { throw wrap(error) }
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
                if let terms = separated(beta, pass.information, true) { throw wrap(.separation(terms)) }
                throw wrap(.singularHessian(iteration: iterations + 1))
            }
            let step = factor.solveWithFactor(gradient)
            iterations += 1

            // A confirming step (see the type's discussion) is evaluated without the information.
            var decrement = 0.0
            for j in 0..<p { decrement += gradient[j] * step[j] }
            if decrement / 2 <= Self.confirmingShare * options.devianceTolerance * (abs(objective) + 0.1) {
                var candidate = beta
                for j in 0..<p { candidate[j] += step[j] }
                let light = try evaluate(candidate, false)
                let candidateObjective = -light.logLikelihood + penaltyTerm(candidate)
                var candidateGradient = 0.0
                for j in 0..<p {
                    let g = light.gradient[j] - (j == interceptColumn ? 0 : options.penalty * candidate[j])
                    let h = hessian[j, j]
                    candidateGradient = max(candidateGradient, h > 0 ? abs(g) / h.squareRoot() : (g == 0 ? 0 : .infinity))
                }
                let change = abs(objective - candidateObjective) / (abs(candidateObjective) + 0.1)
                if candidateObjective.isFinite, candidateObjective <= objective + 1e-13 * abs(objective),
                    change <= options.devianceTolerance, candidateGradient <= options.gradientTolerance
                {
                    beta = candidate
                    // The information stays that of the β the step was solved at (`hessian` too).
                    pass = PassTotals(
                        logLikelihood: light.logLikelihood, gradient: light.gradient, information: pass.information,
                        boundaryRows: light.boundaryRows)
                    previousObjective = objective
                    objective = candidateObjective
                    relativeChange = change
                    scaledGradient = candidateGradient
                    converged = true
                    break
                }
            }

            // Step-halving: accept the first step length at which the objective does not rise
            // (beyond rounding noise). Every trial β costs one pass, which also gives the score
            // and information of the accepted β for the next step.
            var length = 1.0
            var halvings = 0
            var accepted = false
            while halvings <= options.maxStepHalvings {
                var candidate = beta
                for j in 0..<p { candidate[j] += length * step[j] }
                let candidatePass = try evaluate(candidate, true)
                let candidateObjective = -candidatePass.logLikelihood + penaltyTerm(candidate)
                if candidateObjective.isFinite,
                    candidateObjective <= objective + 1e-13 * abs(objective)
                {
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
            warnings.append(
                .notConverged(
                    iterations: iterations, relativeDevianceChange: relativeChange,
                    gradientNorm: scaledGradient))
        }
        if options.penalty == 0, let terms = separated(beta, pass.information, !converged) {
            throw wrap(.separation(terms))
        }
        if pass.boundaryRows > 0 { warnings.append(.fittedProbabilitiesAtBounds(rows: pass.boundaryRows)) }

        var factor = hessian
        guard factor.choleskyInPlace(), let covariance = factor.inverseFromFactor() else {
            throw wrap(.singularHessian(iteration: iterations))
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
            names: problem.names, coefficients: beta, standardErrors: standardErrors, zScores: zScores,
            pValues: pValues, confidenceLow: low, confidenceHigh: high, covariance: covariance.values,
            logLikelihood: logLikelihood, nullLogLikelihood: nullLogLikelihood,
            deviance: -2 * logLikelihood, nullDeviance: -2 * nullLogLikelihood,
            aic: 2 * k - 2 * logLikelihood, bic: k * log(totalWeight) - 2 * logLikelihood,
            mcFaddenR2: 1 - logLikelihood / nullLogLikelihood, objective: objective, penalty: options.penalty,
            rows: problem.rows, effectiveRows: problem.effectiveRows, positives: won, totalWeight: totalWeight,
            converged: converged, iterations: iterations, gradientNorm: gradientNorm, warnings: warnings)
    }
}
