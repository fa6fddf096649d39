/// Validation figures stored with a model (GLOSSARY formulas). The format owns these plain
/// values; the lab fills them from its numeric results. Fields that a run may not compute are optional.
public struct ModelMetrics: Codable, Sendable, Equatable {
    /// Area under the ROC curve, in [0, 1] (ties count ½).
    public var auc: Double
    /// DeLong 95 % interval for the AUC.
    public var aucCILow: Double?
    public var aucCIHigh: Double?
    /// `−mean(y ln p + (1−y) ln(1−p))`, ≥ 0.
    public var logLoss: Double
    /// `mean((p − y)²)`, in [0, 1].
    public var brier: Double
    /// Expected calibration error `Σ (nᵦ/n)|observed − predicted|`.
    public var ece: Double?
    /// Slope of the logistic recalibration of y on logit(p) (ideal 1).
    public var calibrationSlope: Double?
    /// Intercept of that recalibration (ideal 0).
    public var calibrationIntercept: Double?
    /// Hosmer–Lemeshow goodness of fit.
    public var hosmerLemeshow: HosmerLemeshow?
    /// Score bands (deciles or thresholds) from best to worst.
    public var bands: [ScoreBand]
    /// ℓ at the fitted β.
    public var logLikelihood: Double
    /// ℓ₀ of the intercept-only model.
    public var nullLogLikelihood: Double
    /// `2k − 2ℓ`.
    public var aic: Double
    /// `k ln n − 2ℓ`.
    public var bic: Double
    /// `1 − ℓ / ℓ₀`.
    public var mcfaddenR2: Double

    public init(
        auc: Double, aucCILow: Double? = nil, aucCIHigh: Double? = nil, logLoss: Double, brier: Double,
        ece: Double? = nil, calibrationSlope: Double? = nil, calibrationIntercept: Double? = nil,
        hosmerLemeshow: HosmerLemeshow? = nil, bands: [ScoreBand] = [], logLikelihood: Double,
        nullLogLikelihood: Double, aic: Double, bic: Double, mcfaddenR2: Double
    ) {
        self.auc = auc
        self.aucCILow = aucCILow
        self.aucCIHigh = aucCIHigh
        self.logLoss = logLoss
        self.brier = brier
        self.ece = ece
        self.calibrationSlope = calibrationSlope
        self.calibrationIntercept = calibrationIntercept
        self.hosmerLemeshow = hosmerLemeshow
        self.bands = bands
        self.logLikelihood = logLikelihood
        self.nullLogLikelihood = nullLogLikelihood
        self.aic = aic
        self.bic = bic
        self.mcfaddenR2 = mcfaddenR2
    }

    enum CodingKeys: String, CodingKey {
        case auc, brier, ece, bands, aic, bic
        case aucCILow = "auc_ci_low"
        case aucCIHigh = "auc_ci_high"
        case logLoss = "log_loss"
        case calibrationSlope = "calibration_slope"
        case calibrationIntercept = "calibration_intercept"
        case hosmerLemeshow = "hosmer_lemeshow"
        case logLikelihood = "log_likelihood"
        case nullLogLikelihood = "null_log_likelihood"
        case mcfaddenR2 = "mcfadden_r2"
    }
}

/// Hosmer–Lemeshow statistic over groups of predicted p: `Σ (O − E)² / (E (1 − E/n))`, χ² with `g − 2` df.
public struct HosmerLemeshow: Codable, Sendable, Equatable {
    public var statistic: Double
    public var df: Int
    public var pValue: Double

    public init(statistic: Double, df: Int, pValue: Double) {
        self.statistic = statistic
        self.df = df
        self.pValue = pValue
    }

    enum CodingKeys: String, CodingKey {
        case statistic, df
        case pValue = "p_value"
    }
}

/// One score band: its size, conversion with a Wilson interval, lift and cumulative gain.
public struct ScoreBand: Codable, Sendable, Equatable {
    /// The band's label, e.g. `"1"` for the top decile or `"A"`.
    public var band: String
    /// Leads in the band.
    public var n: Int
    /// Closed-won leads in the band.
    public var positives: Int
    /// Mean predicted probability.
    public var meanPredicted: Double
    /// `positives / n`.
    public var observedRate: Double
    /// Wilson 95 % interval for the observed rate.
    public var ciLow: Double
    public var ciHigh: Double
    /// Observed rate / overall rate.
    public var lift: Double
    /// Share of all wins captured by this band and those above it, in [0, 1].
    public var cumulativeGain: Double

    public init(
        band: String, n: Int, positives: Int, meanPredicted: Double, observedRate: Double,
        ciLow: Double, ciHigh: Double, lift: Double, cumulativeGain: Double
    ) {
        self.band = band
        self.n = n
        self.positives = positives
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.lift = lift
        self.cumulativeGain = cumulativeGain
    }

    enum CodingKeys: String, CodingKey {
        case band, n, positives, lift
        case meanPredicted = "mean_predicted"
        case observedRate = "observed_rate"
        case ciLow = "ci_low"
        case ciHigh = "ci_high"
        case cumulativeGain = "cumulative_gain"
    }
}
