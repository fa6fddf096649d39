import LabNumerics
import LabStatistics
import ScoringModelFormat

extension ModelMetrics {
    /// The weight file's metrics from the numeric core's results (in-sample, at fit time).
    package init(_ metrics: ValidationMetrics, fit: LogisticFit) {
        let calibration = try? metrics.calibration.get()
        self.init(
            auc: metrics.auc.value, aucCILow: metrics.auc.confidenceInterval.lower,
            aucCIHigh: metrics.auc.confidenceInterval.upper, logLoss: metrics.logLoss, brier: metrics.brier,
            ece: metrics.expectedCalibrationError, calibrationSlope: calibration?.slope,
            calibrationIntercept: calibration?.intercept,
            hosmerLemeshow: HosmerLemeshow(
                statistic: metrics.hosmerLemeshow.statistic,
                df: metrics.hosmerLemeshow.degreesOfFreedom,
                pValue: metrics.hosmerLemeshow.pValue),
            bands: metrics.bands.bands.map(ScoringModelFormat.ScoreBand.init),
            logLikelihood: fit.logLikelihood, nullLogLikelihood: fit.nullLogLikelihood, aic: fit.aic, bic: fit.bic,
            mcfaddenR2: fit.mcFaddenR2)
    }
}

extension ScoringModelFormat.ScoreBand {
    /// A band of the weight file from a band of the numeric core.
    package init(_ band: LabStatistics.ScoreBand) {
        self.init(
            band: "\(band.band)", n: band.count, positives: band.positives, meanPredicted: band.meanPredicted,
            observedRate: band.observedRate, ciLow: band.observedRateInterval.lower,
            ciHigh: band.observedRateInterval.upper, lift: band.lift, cumulativeGain: band.cumulativeGain)
    }
}
