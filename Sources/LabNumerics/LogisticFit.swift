#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result of ``LogisticRegression/fit(_:outcomes:weights:options:)``: estimates, their
/// inference, goodness of fit and how the iterations went. A fit that did not converge is
/// still returned, with ``converged`` false and a warning.
package struct LogisticFit: Sendable {
    /// Term names, one per coefficient.
    package var names: [String]
    /// Estimates β.
    package var coefficients: [Double]
    /// `sqrt(diag(H⁻¹))` with `H = XᵀWX + λP` at the optimum (for a ridge fit these are the
    /// penalised-Hessian standard errors, as scikit-learn-style ridge users expect).
    package var standardErrors: [Double]
    /// Wald z = β / SE.
    package var zScores: [Double]
    /// Two-sided p = 2 Φ(−|z|).
    package var pValues: [Double]
    /// 95 % Wald interval, β ± 1.959963984540054 · SE.
    package var confidenceLow: [Double]
    package var confidenceHigh: [Double]
    /// `H⁻¹`, column-major p × p.
    package var covariance: [Double]
    /// ℓ(β) = Σ cᵢ [yᵢ ηᵢ − log(1 + e^{ηᵢ})].
    package var logLikelihood: Double
    /// ℓ₀ of the intercept-only model (or of p = ½ when the design has no intercept).
    package var nullLogLikelihood: Double
    /// −2ℓ.
    package var deviance: Double
    /// −2ℓ₀.
    package var nullDeviance: Double
    /// 2k − 2ℓ, k = number of coefficients.
    package var aic: Double
    /// k ln n − 2ℓ with n = Σ cᵢ: case weights are frequency weights, so a weighted fit has the
    /// BIC of the same fit on the expanded rows (statsmodels' GLM `freq_weights`: nobs = Σ weights).
    /// Without weights n is the number of rows.
    package var bic: Double
    /// 1 − ℓ/ℓ₀.
    package var mcFaddenR2: Double
    /// The minimised objective, `−ℓ + λ‖β₋₀‖²/2`.
    package var objective: Double
    /// λ.
    package var penalty: Double
    /// Rows in the design.
    package var rows: Int
    /// Rows with positive weight.
    package var effectiveRows: Int
    /// Σ cᵢ yᵢ (won leads, weighted).
    package var positives: Double
    /// Σ cᵢ.
    package var totalWeight: Double
    package var converged: Bool
    /// Newton steps taken.
    package var iterations: Int
    /// max |gⱼ| of the penalised objective's gradient at the estimate.
    package var gradientNorm: Double
    package var warnings: [FitWarning]

    /// Linear predictor η = Xβ for the rows of `x` (same term order).
    package func linearPredictor(_ x: DesignMatrix) -> [Double] {
        precondition(x.columns == coefficients.count, "linearPredictor: \(x.columns) columns for \(coefficients.count) coefficients")
        var eta = [Double](repeating: 0, count: x.rows)
        for j in 0..<x.columns {
            let b = coefficients[j]
            if b == 0 { continue }
            let offset = j * x.rows
            for i in 0..<x.rows { eta[i] += b * x.values[offset + i] }
        }
        return eta
    }

    /// Fitted probabilities `1 / (1 + e^{−η})` for the rows of `x`.
    package func probabilities(_ x: DesignMatrix) -> [Double] {
        linearPredictor(x).map(logistic)
    }

    /// Fitted probabilities for the rows of a design with coded dummies (the same numbers as on
    /// its ``CodedDesign/materialized()`` matrix).
    package func probabilities(_ x: CodedDesign) -> [Double] {
        x.linearPredictor(coefficients).map(logistic)
    }
}

/// `1 / (1 + e^{−η})`, accurate for either sign of η.
@inlinable package func logistic(_ eta: Double) -> Double {
    if eta >= 0 { return 1 / (1 + exp(-eta)) }
    let t = exp(eta)
    return t / (1 + t)
}
