#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic regression with Firth's bias reduction (Firth 1993; Heinze & Schemper 2002, as R's
/// `logistf` fits it): the penalised log-likelihood `ℓ*(β) = ℓ(β) + ½ log det I(β)`, with
/// `I = XᵀWX` and `W = diag(cᵢ μᵢ(1 − μᵢ))` (the Jeffreys prior). Its estimate is finite even
/// under (quasi-)complete separation, where maximum likelihood has none.
///
/// **Iteration** (Newton with the hat-matrix-adjusted score): `hᵢ` the diagonal of
/// `W^½ X I⁻¹ Xᵀ W^½`, `U*ⱼ = Σᵢ xᵢⱼ (cᵢ(yᵢ − μᵢ) + hᵢ(½ − μᵢ))`, `β ← β + t I⁻¹U*`, each
/// coordinate's step capped at ``Options/maxStep`` and t halved while ℓ* falls. I is built and
/// factored with LAPACK (`dpotrf`/`dpotri`, via ``SymmetricMatrix``). Converged when
/// `max|U*ⱼ|` ≤ ``Options/gradientTolerance`` and the last step's `max|δⱼ|` ≤
/// ``Options/stepTolerance``.
///
/// **Confidence intervals**: profile penalised likelihood, as `logistf`: the bounds of βⱼ are
/// the values b where `2(ℓ*(β̂) − max_{β₋ⱼ} ℓ*(β | βⱼ = b)) = χ²₁(0.95)`, found by bracketing
/// then bisection to ``Options/profileTolerance``; the constrained maximum is the same
/// iteration on the other coordinates (the full model's penalty kept). Wald standard errors are
/// `sqrt(diag(I(β̂)⁻¹))`.
package enum FirthRegression {
    package struct Options: Sendable, Equatable {
        package var maxIterations: Int
        package var maxStepHalvings: Int
        /// The largest change of one coefficient in one step (`logistf`'s `maxstep`, default 5).
        package var maxStep: Double
        package var gradientTolerance: Double
        package var stepTolerance: Double
        /// Absolute width at which a profile bound's bisection stops.
        package var profileTolerance: Double
        /// Coverage of the profile intervals (0.95).
        package var level: Double

        package init(
            maxIterations: Int = 200, maxStepHalvings: Int = 40, maxStep: Double = 5, gradientTolerance: Double = 1e-10,
            stepTolerance: Double = 1e-10, profileTolerance: Double = 1e-10, level: Double = 0.95
        ) {
            self.maxIterations = maxIterations
            self.maxStepHalvings = maxStepHalvings
            self.maxStep = maxStep
            self.gradientTolerance = gradientTolerance
            self.stepTolerance = stepTolerance
            self.profileTolerance = profileTolerance
            self.level = level
        }
    }

    /// A Firth fit.
    package struct Fit: Sendable, Equatable {
        package var names: [String]
        package var coefficients: [Double]
        /// Wald, `sqrt(diag(I(β̂)⁻¹))`.
        package var standardErrors: [Double]
        /// Profile penalised-likelihood bounds; ±∞ when ℓ* never falls far enough on that side.
        package var profileLow: [Double]
        package var profileHigh: [Double]
        /// ℓ*(β̂) and the unpenalised ℓ(β̂).
        package var penalisedLogLikelihood: Double
        package var logLikelihood: Double
        package var iterations: Int
        package var converged: Bool
        /// I(β̂)⁻¹, column-major p × p.
        package var covariance: [Double]

        /// The fit in the shape the lab's summary, metrics and weight file read: Wald z and p from
        /// the Wald standard errors, the profile bounds as the interval, ℓ (unpenalised) for ℓ,
        /// deviance, AIC, BIC and McFadden R² (ℓ₀ the intercept-only ℓ), ℓ* as the objective.
        package func logisticFit(rows: Int, effectiveRows: Int, positives: Double, totalWeight: Double, hasIntercept: Bool) -> LogisticFit {
            let p = coefficients.count
            let mean = positives / totalWeight
            let null =
                hasIntercept && mean > 0 && mean < 1
                ? positives * log(mean) + (totalWeight - positives) * log(1 - mean) : -totalWeight * log(2)
            let z = (0..<p).map { standardErrors[$0] > 0 ? coefficients[$0] / standardErrors[$0] : 0 }
            let k = Double(p)
            return LogisticFit(
                names: names, coefficients: coefficients, standardErrors: standardErrors, zScores: z,
                pValues: z.map { erfc(abs($0) / 2.0.squareRoot()) }, confidenceLow: profileLow, confidenceHigh: profileHigh,
                covariance: covariance, logLikelihood: logLikelihood, nullLogLikelihood: null, deviance: -2 * logLikelihood,
                nullDeviance: -2 * null, aic: 2 * k - 2 * logLikelihood, bic: k * log(totalWeight) - 2 * logLikelihood,
                mcFaddenR2: 1 - logLikelihood / null, objective: -penalisedLogLikelihood, penalty: 0, rows: rows,
                effectiveRows: effectiveRows, positives: positives, totalWeight: totalWeight, converged: converged,
                iterations: iterations, gradientNorm: 0, warnings: [])
        }
    }

    /// Fits the model and, when `profile` is true, the profile intervals of every coefficient.
    /// - Throws: ``FitError`` for bad input as ``LogisticRegression`` does; a design that is rank
    ///   deficient (a constant or collinear term, where I is singular at every β) throws
    ///   ``FitError/firthRankDeficient(_:)`` naming the terms.
    package static func fit(
        _ x: DesignMatrix, outcomes: [Double], weights: [Double]? = nil, profile: Bool = true, options: Options = .init()
    ) throws(FitError) -> Fit {
        guard x.columns > 0 else { throw .noColumns }
        guard x.rows > 0 else { throw .emptyInput }
        guard outcomes.count == x.rows, weights.map({ $0.count == x.rows }) ?? true else {
            throw .lengthMismatch(rows: x.rows, outcomes: outcomes.count, weights: weights?.count)
        }
        var won = 0.0, total = 0.0
        for i in 0..<x.rows {
            guard outcomes[i] == 0 || outcomes[i] == 1 else { throw .nonBinaryOutcome(row: i, value: outcomes[i]) }
            let c = weights?[i] ?? 1
            guard c >= 0, c.isFinite else { throw .invalidWeight(row: i, value: c) }
            won += c * outcomes[i]
            total += c
        }
        guard total > 0 else { throw .zeroTotalWeight }
        for j in 0..<x.columns {
            for i in 0..<x.rows where !x.values[j * x.rows + i].isFinite {
                throw .nonFiniteValue(row: i, term: x.names[j], value: x.values[j * x.rows + i])
            }
        }
        let problem = Problem(x: x, y: outcomes, c: weights)
        var start = [Double](repeating: 0, count: x.columns)
        // Start at the intercept-only fit when both classes occur (Firth also fits one class).
        if let intercept = x.interceptColumn, won > 0, won < total { start[intercept] = log(won / (total - won)) }
        let first = problem.evaluate(start)
        do {
            try RankDiagnosis.check(information: first.information, names: x.names, interceptColumn: x.interceptColumn)
        } catch {
            throw .firthRankDeficient(error.description)
        }
        let (beta, state, iterations, converged) = try problem.maximise(from: start, fixed: nil, options: options)
        var factor = state.information
        guard factor.choleskyInPlace(), let inverse = factor.inverseFromFactor() else {
            throw .firthRankDeficient("the information matrix is singular at the estimate")
        }
        let p = x.columns
        let se = (0..<p).map { max(0, inverse[$0, $0]).squareRoot() }
        var low = [Double](repeating: -.infinity, count: p), high = [Double](repeating: .infinity, count: p)
        if profile {
            let target = state.penalised - ChiSquareQuantile.oneDegree(options.level) / 2
            for j in 0..<p {
                low[j] = try problem.profileBound(j, side: -1, estimate: beta, se: se[j], target: target, options: options)
                high[j] = try problem.profileBound(j, side: 1, estimate: beta, se: se[j], target: target, options: options)
            }
        }
        return Fit(
            names: x.names, coefficients: beta, standardErrors: se, profileLow: low, profileHigh: high,
            penalisedLogLikelihood: state.penalised, logLikelihood: state.logLikelihood, iterations: iterations, converged: converged,
            covariance: inverse.values)
    }

    /// ℓ, ℓ*, I and U* at one β.
    struct State {
        var logLikelihood: Double
        var penalised: Double
        var information: SymmetricMatrix
        var score: [Double]
    }

    struct Problem {
        let x: DesignMatrix
        let y: [Double]
        let c: [Double]?

        /// One pass: μ, W, I = XᵀWX, log det I (Cholesky), h, U*. A singular I gives ℓ* = −∞.
        func evaluate(_ beta: [Double]) -> State {
            let n = x.rows, p = x.columns
            var eta = [Double](repeating: 0, count: n)
            for j in 0..<p where beta[j] != 0 {
                for i in 0..<n { eta[i] += beta[j] * x.values[j * n + i] }
            }
            var mu = [Double](repeating: 0, count: n), w = mu
            var logLikelihood = 0.0
            for i in 0..<n {
                let ci = c?[i] ?? 1
                mu[i] = logistic(eta[i])
                w[i] = ci * mu[i] * (1 - mu[i])
                // y·η − log(1 + e^η), stable for large |η|.
                let softplus = eta[i] > 0 ? eta[i] + log1p(exp(-eta[i])) : log1p(exp(eta[i]))
                logLikelihood += ci * (y[i] * eta[i] - softplus)
            }
            var information = SymmetricMatrix(order: p)
            for a in 0..<p {
                for b in a..<p {
                    var sum = 0.0
                    for i in 0..<n { sum += x.values[a * n + i] * w[i] * x.values[b * n + i] }
                    information[a, b] = sum
                }
            }
            information.symmetrize()
            var factor = information
            guard factor.choleskyInPlace(), let inverse = factor.inverseFromFactor() else {
                return State(logLikelihood: logLikelihood, penalised: -.infinity, information: information, score: [])
            }
            var logDet = 0.0
            for j in 0..<p { logDet += 2 * log(factor.values[j + j * p]) }
            var residual = [Double](repeating: 0, count: n)
            var row = [Double](repeating: 0, count: p)
            for i in 0..<n {
                for j in 0..<p { row[j] = x.values[j * n + i] }
                var quadratic = 0.0
                for a in 0..<p where row[a] != 0 {
                    var inner = 0.0
                    for b in 0..<p where row[b] != 0 { inner += inverse[a, b] * row[b] }
                    quadratic += row[a] * inner
                }
                let h = w[i] * quadratic
                residual[i] = (c?[i] ?? 1) * (y[i] - mu[i]) + h * (0.5 - mu[i])
            }
            var score = [Double](repeating: 0, count: p)
            for j in 0..<p {
                var sum = 0.0
                for i in 0..<n { sum += x.values[j * n + i] * residual[i] }
                score[j] = sum
            }
            return State(logLikelihood: logLikelihood, penalised: logLikelihood + logDet / 2, information: information, score: score)
        }

        /// Maximises ℓ* over every coefficient but `fixed` (which keeps its value in `start`).
        func maximise(
            from start: [Double], fixed: Int?, options: Options
        ) throws(FitError) -> (
            beta: [Double], state: State, iterations: Int, converged: Bool
        ) {
            let p = x.columns
            let free = (0..<p).filter { $0 != fixed }
            var beta = start
            var state = evaluate(beta)
            guard state.penalised.isFinite else { throw .firthRankDeficient("the information matrix is singular at the start") }
            var iterations = 0
            var lastStep = Double.infinity
            while iterations < options.maxIterations {
                let gradient = free.map { state.score[$0] }
                let largestScore = gradient.map(abs).max() ?? 0
                if largestScore <= options.gradientTolerance, iterations == 0 || lastStep <= options.stepTolerance {
                    return (beta, state, iterations, true)
                }
                var sub = SymmetricMatrix(order: free.count)
                for (a, ja) in free.enumerated() { for (b, jb) in free.enumerated() where b >= a { sub[a, b] = state.information[ja, jb] } }
                sub.symmetrize()
                guard sub.choleskyInPlace() else { throw .firthRankDeficient("the information matrix lost positive definiteness") }
                var step = sub.solveWithFactor(gradient)
                let largest = step.map(abs).max() ?? 0
                if largest > options.maxStep { step = step.map { $0 * options.maxStep / largest } }
                iterations += 1
                var length = 1.0
                var accepted = false
                for _ in 0...options.maxStepHalvings {
                    var candidate = beta
                    for (a, j) in free.enumerated() { candidate[j] += length * step[a] }
                    let next = evaluate(candidate)
                    if next.penalised.isFinite, next.penalised >= state.penalised - 1e-12 * abs(state.penalised) {
                        beta = candidate
                        state = next
                        accepted = true
                        break
                    }
                    length /= 2
                }
                lastStep = length * (step.map(abs).max() ?? 0)
                // No step length raises ℓ*: β is at the maximum to working precision.
                if !accepted { return (beta, state, iterations, (free.map { abs(state.score[$0]) }.max() ?? 0) <= 1e-6) }
            }
            return (beta, state, iterations, false)
        }

        /// max ℓ* with βⱼ = b, warm-started from `start`.
        func profile(_ j: Int, at b: Double, start: [Double], options: Options) throws(FitError) -> (value: Double, beta: [Double]) {
            var begin = start
            begin[j] = b
            let result = try maximise(from: begin, fixed: j, options: options)
            return (result.state.penalised, result.beta)
        }

        /// The profile bound on `side` (−1 lower, +1 upper): bracket by doubling steps of SE, then bisect.
        func profileBound(_ j: Int, side: Double, estimate: [Double], se: Double, target: Double, options: Options) throws(FitError) -> Double {
            var inner = estimate[j], innerBeta = estimate
            var step = max(se, 1e-3)
            var outer = inner + side * step
            var found = false
            for _ in 0..<40 {
                let (value, beta) = try profile(j, at: outer, start: innerBeta, options: options)
                if value < target {
                    found = true
                    break
                }
                inner = outer
                innerBeta = beta
                step *= 2
                outer = inner + side * step
                if abs(outer) > 1e4 { break }
            }
            guard found else { return side * .infinity }
            while abs(outer - inner) > options.profileTolerance * max(1, abs(inner)) {
                let middle = (inner + outer) / 2
                let (value, beta) = try profile(j, at: middle, start: innerBeta, options: options)
                if value >= target {
                    inner = middle
                    innerBeta = beta
                } else {
                    outer = middle
                }
            }
            return (inner + outer) / 2
        }
    }
}

/// χ²₁ quantiles: `z²` with z the normal quantile of (1 + level)/2, by bisection on `erfc`.
enum ChiSquareQuantile {
    static func oneDegree(_ level: Double) -> Double {
        // P(|Z| > z) = erfc(z/√2) = 1 − level.
        var low = 0.0, high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if erfc(middle / 2.0.squareRoot()) > 1 - level { low = middle } else { high = middle }
        }
        let z = (low + high) / 2
        return z * z
    }
}
