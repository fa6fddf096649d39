import BatonSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calibration intercept and slope: the logistic regression of the outcome on the model's
/// log-odds, logit(y = 1) = intercept + slope · logit(p).
///
/// A well-calibrated model has slope 1 and intercept 0 (in-sample, an unpenalised
/// maximum-likelihood fit with an intercept reproduces exactly that). Slope < 1 means the
/// scores are too extreme (overfitting), > 1 too timid; the intercept shifts the overall
/// level. p is clipped to [1e−15, 1 − 1e−15] (``ProbabilityScores/logLossClip``) before
/// logit, so logit(p) stays within ±34.5. Fitted by Newton's method on the 2 × 2 system with
/// step-halving, started at (0, 1); standard errors from the inverse observed information.
package struct CalibrationRegression: Sendable, Equatable {
    /// Calibration intercept (calibration-in-the-large given the slope); ideal 0.
    package let intercept: Double
    /// Calibration slope on logit(p); ideal 1.
    package let slope: Double
    /// Standard error of ``intercept``, √[(H⁻¹)₀₀].
    package let interceptStandardError: Double
    /// Standard error of ``slope``, √[(H⁻¹)₁₁].
    package let slopeStandardError: Double
    /// Log-likelihood at the fit, in nats.
    package let logLikelihood: Double
    /// Newton steps taken.
    package let iterations: Int

    /// Upper bound on Newton steps before ``MetricsError/calibrationDidNotConverge(iterations:maxAbsGradient:)``.
    package static let maximumIterations = 100

    /// Fits the calibration regression.
    /// - Throws: ``MetricsError`` for empty or mismatched input, outcomes other than 0/1,
    ///   probabilities that are not finite numbers in [0, 1], a single outcome class;
    ///   ``MetricsError/constantPredictions(value:)`` when every probability is equal;
    ///   ``MetricsError/calibrationSeparation`` when logit(p) splits won from lost (the slope
    ///   would be infinite); ``MetricsError/calibrationDidNotConverge(iterations:maxAbsGradient:)``.
    package init(probabilities: [Double], outcomes: [Double]) throws(MetricsError) {
        let positives = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        try ScoredOutcomes.requireBothClasses(positives: positives, count: outcomes.count)
        try self.init(checkedProbabilities: probabilities, outcomes: outcomes)
    }

    /// The fit from input the caller has checked (both classes present).
    init(checkedProbabilities probabilities: [Double], outcomes: [Double]) throws(MetricsError) {
        let x = probabilities.map { p -> Double in
            let c = ProbabilityScores.clip(p)
            return log(c) - log1p(-c)
        }
        try Self.checkIdentified(x: x, outcomes: outcomes, probabilities: probabilities)

        var beta = (intercept: 0.0, slope: 1.0)
        var current = Self.evaluate(beta, x: x, y: outcomes)
        var iterations = 0
        var converged = false
        while iterations < Self.maximumIterations {
            iterations += 1
            let h = current.hessian
            let det = h.aa * h.bb - h.ab * h.ab
            guard det > 0 && det.isFinite else { break }
            let step = (
                intercept: (h.bb * current.gradient.a - h.ab * current.gradient.b) / det,
                slope: (h.aa * current.gradient.b - h.ab * current.gradient.a) / det
            )
            // Step-halving: the log-likelihood is concave, so a short enough Newton step
            // never lowers it; allow a rounding-sized dip near the optimum.
            var scale = 1.0
            var accepted: (beta: (intercept: Double, slope: Double), state: State)?
            for _ in 0..<60 {
                let trial = (
                    intercept: beta.intercept + scale * step.intercept,
                    slope: beta.slope + scale * step.slope
                )
                let state = Self.evaluate(trial, x: x, y: outcomes)
                if state.logLikelihood.isFinite,
                    state.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood)
                {
                    accepted = (trial, state)
                    break
                }
                scale /= 2
            }
            guard let accepted else { break }
            let change = max(abs(accepted.beta.intercept - beta.intercept), abs(accepted.beta.slope - beta.slope))
            beta = accepted.beta
            current = accepted.state
            if change <= 1e-10 * (1 + max(abs(beta.intercept), abs(beta.slope))) {
                converged = true
                break
            }
        }
        let h = current.hessian
        let det = h.aa * h.bb - h.ab * h.ab
        guard converged, det > 0, det.isFinite else {
            throw .calibrationDidNotConverge(
                iterations: iterations,
                maxAbsGradient: max(abs(current.gradient.a), abs(current.gradient.b)))
        }
        intercept = beta.intercept
        slope = beta.slope
        interceptStandardError = (h.bb / det).squareRoot()
        slopeStandardError = (h.aa / det).squareRoot()
        logLikelihood = current.logLikelihood
        self.iterations = iterations
    }

    /// Rejects inputs whose maximum-likelihood slope does not exist: constant predictions
    /// (slope not identified) and complete or quasi-complete separation by logit(p)
    /// (every won lead at or above every lost one, or the reverse).
    private static func checkIdentified(x: [Double], outcomes: [Double], probabilities: [Double]) throws(MetricsError) {
        var minPositive = Double.infinity, maxPositive = -Double.infinity
        var minNegative = Double.infinity, maxNegative = -Double.infinity
        for (value, y) in zip(x, outcomes) {
            if y == 1 {
                minPositive = min(minPositive, value)
                maxPositive = max(maxPositive, value)
            } else {
                minNegative = min(minNegative, value)
                maxNegative = max(maxNegative, value)
            }
        }
        if min(minPositive, minNegative) == max(maxPositive, maxNegative) {
            throw .constantPredictions(value: probabilities[0])
        }
        if maxNegative <= minPositive || maxPositive <= minNegative {
            throw .calibrationSeparation
        }
    }

    private struct State {
        var logLikelihood: Double
        var gradient: (a: Double, b: Double)
        var hessian: (aa: Double, ab: Double, bb: Double)
    }

    /// Log-likelihood, gradient and (negated) Hessian at β, all stable for large |η|.
    ///
    /// ln(1 + e^η) = max(η, 0) + ln(1 + e), e = exp(−|η|) ≤ 1. The ln(1 + e) terms are summed
    /// one logarithm per 512 rows (``RunningLogProduct``) instead of a `log1p` per row, which
    /// was most of a pass after the exponential. Each factor 1 + e rounds e below 2⁻⁵³, so the sum is off by
    /// at most ~1e-10 on a log-likelihood of order n; it only decides whether a step is taken
    /// (with a 1e-12 relative allowance), and the reported estimates come from the gradient and
    /// the Hessian, which are as before. The same device as the fit's Newton passes.
    private static func evaluate(_ beta: (intercept: Double, slope: Double), x: [Double], y: [Double]) -> State {
        var state = State(logLikelihood: 0, gradient: (0, 0), hessian: (0, 0, 0))
        var logs = RunningLogProduct()
        for (xi, yi) in zip(x, y) {
            let eta = beta.intercept + beta.slope * xi
            // p = 1/(1 + e^−η) from the same exponential as the log-likelihood's term.
            let e = exp(eta > 0 ? -eta : eta)
            let onePlusE = 1 + e
            let p = eta > 0 ? 1 / onePlusE : e / onePlusE
            let w = p * (1 - p)
            state.logLikelihood += yi * eta - max(eta, 0)
            if let folded = logs.multiply(by: onePlusE) { state.logLikelihood -= folded }
            state.gradient.a += yi - p
            state.gradient.b += (yi - p) * xi
            state.hessian.aa += w
            state.hessian.ab += w * xi
            state.hessian.bb += w * xi * xi
        }
        state.logLikelihood -= logs.flush()
        return state
    }
}
