#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result of ``LogisticRegression/fit(_:outcomes:weights:options:)``: estimates, their
/// inference, goodness of fit and how the iterations went. A fit that did not converge is
/// still returned, with ``converged`` false and a warning.
public struct LogisticFit: Sendable {
    /// Term names, one per coefficient.
    public var names: [String]
    /// Estimates β.
    public var coefficients: [Double]
    /// `sqrt(diag(H⁻¹))` with `H = XᵀWX + λP` at the optimum (for a ridge fit these are the
    /// penalised-Hessian standard errors, as scikit-learn-style ridge users expect).
    public var standardErrors: [Double]
    /// Wald z = β / SE.
    public var zScores: [Double]
    /// Two-sided p = 2 Φ(−|z|).
    public var pValues: [Double]
    /// 95 % Wald interval, β ± 1.959963984540054 · SE.
    public var confidenceLow: [Double]
    public var confidenceHigh: [Double]
    /// `H⁻¹`, column-major p × p.
    public var covariance: [Double]
    /// ℓ(β) = Σ cᵢ [yᵢ ηᵢ − log(1 + e^{ηᵢ})].
    public var logLikelihood: Double
    /// ℓ₀ of the intercept-only model (or of p = ½ when the design has no intercept).
    public var nullLogLikelihood: Double
    /// −2ℓ.
    public var deviance: Double
    /// −2ℓ₀.
    public var nullDeviance: Double
    /// 2k − 2ℓ, k = number of coefficients.
    public var aic: Double
    /// k ln n − 2ℓ, n = rows with positive weight.
    public var bic: Double
    /// 1 − ℓ/ℓ₀.
    public var mcFaddenR2: Double
    /// The minimised objective, `−ℓ + λ‖β₋₀‖²/2`.
    public var objective: Double
    /// λ.
    public var penalty: Double
    /// Rows in the design.
    public var rows: Int
    /// Rows with positive weight (n in BIC).
    public var effectiveRows: Int
    /// Σ cᵢ yᵢ (won leads, weighted).
    public var positives: Double
    /// Σ cᵢ.
    public var totalWeight: Double
    public var converged: Bool
    /// Newton steps taken.
    public var iterations: Int
    /// max |gⱼ| of the penalised objective's gradient at the estimate.
    public var gradientNorm: Double
    public var warnings: [FitWarning]

    /// Linear predictor η = Xβ for the rows of `x` (same term order).
    public func linearPredictor(_ x: DesignMatrix) -> [Double] {
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
    public func probabilities(_ x: DesignMatrix) -> [Double] {
        linearPredictor(x).map(logistic)
    }
}

/// `1 / (1 + e^{−η})`, accurate for either sign of η.
@inlinable public func logistic(_ eta: Double) -> Double {
    if eta >= 0 { return 1 / (1 + exp(-eta)) }
    let t = exp(eta)
    return t / (1 + t)
}
