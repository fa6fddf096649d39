import Foundation
import LabStatistics

/// The Cochran–Mantel–Haenszel analysis of K stratified 2 × 2 tables: the Mantel–Haenszel common
/// odds ratio, its Robins–Breslow–Greenland interval and the CMH chi-square test of "odds ratio 1
/// in every stratum".
///
/// Stratum k is the table `[[a, b], [c, d]]`: rows exposed / unexposed, columns event / no event,
/// nₖ = a + b + c + d. With Rₖ = aₖdₖ/nₖ, Sₖ = bₖcₖ/nₖ, Pₖ = (aₖ + dₖ)/nₖ, Qₖ = 1 − Pₖ:
/// - ψ_MH = ΣRₖ / ΣSₖ.
/// - Var(ln ψ_MH) (Robins, Breslow & Greenland 1986) =
///   ΣPₖRₖ / (2(ΣR)²) + Σ(PₖSₖ + QₖRₖ) / (2 ΣR ΣS) + ΣQₖSₖ / (2(ΣS)²);
///   the interval is exp(ln ψ_MH ± z₁₋α/₂ · SE), a Wald interval on the log scale.
/// - CMH statistic = (|Σ(aₖ − E aₖ)| − c)² / ΣVar aₖ on 1 degree of freedom, with
///   E aₖ = (a + b)(a + c)/nₖ, Var aₖ = (a + b)(c + d)(a + c)(b + d) / (nₖ²(nₖ − 1)), and the continuity
///   correction c = ½ when asked for and |Σ(aₖ − E aₖ)| ≥ ½, else 0 (as R's `mantelhaen.test`;
///   statsmodels' `test_null_odds(correction=True)` subtracts ½ unconditionally, which only differs
///   below ½).
///
/// These are statsmodels' `StratifiedTable.oddsratio_pooled`, `oddsratio_pooled_confint` and
/// `test_null_odds`. Strata with fewer than 2 units carry no information (Var aₖ divides by nₖ − 1)
/// and are left out; a stratum with an empty row or column adds 0 to every sum. Nothing is NaN:
/// an estimate that does not exist is nil, and ``missingEstimate`` or ``missingTest`` says why.
package struct MantelHaenszel: Sendable, Hashable {
    /// One stratum's 2 × 2 table of counts.
    package struct Stratum: Sendable, Hashable {
        /// a: exposed with the event.
        package let exposedEvents: Int
        /// b: exposed without the event.
        package let exposedNonEvents: Int
        /// c: unexposed with the event.
        package let unexposedEvents: Int
        /// d: unexposed without the event.
        package let unexposedNonEvents: Int

        /// Precondition: every count ≥ 0.
        package init(exposedEvents: Int, exposedNonEvents: Int, unexposedEvents: Int, unexposedNonEvents: Int) {
            precondition(
                exposedEvents >= 0 && exposedNonEvents >= 0 && unexposedEvents >= 0 && unexposedNonEvents >= 0,
                "a 2 × 2 table needs counts ≥ 0")
            self.exposedEvents = exposedEvents
            self.exposedNonEvents = exposedNonEvents
            self.unexposedEvents = unexposedEvents
            self.unexposedNonEvents = unexposedNonEvents
        }

        /// nₖ.
        package var total: Int { exposedEvents + exposedNonEvents + unexposedEvents + unexposedNonEvents }
        /// a + b.
        package var exposed: Int { exposedEvents + exposedNonEvents }
        /// c + d.
        package var unexposed: Int { unexposedEvents + unexposedNonEvents }
    }

    /// Every stratum given, in order (those left out included).
    package let strata: [Stratum]
    /// How many strata entered the sums (nₖ ≥ 2).
    package let strataUsed: Int
    /// How many strata inform the test: both rows and both columns non-empty (Var aₖ > 0).
    package let informativeStrata: Int
    /// Two-sided confidence level of ``confidenceInterval``, e.g. 0.95.
    package let confidence: Double
    /// Whether ``chiSquare`` carries the continuity correction.
    package let continuityCorrection: Bool
    /// ψ_MH, nil when ΣR = 0 or ΣS = 0 (the estimate would be 0 or infinite).
    package let oddsRatio: Double?
    /// The Robins–Breslow–Greenland standard error of ln ψ_MH; nil with ``oddsRatio``.
    package let logOddsRatioStandardError: Double?
    /// exp(ln ψ_MH ± z · SE); nil with ``oddsRatio``.
    package let confidenceInterval: ConfidenceInterval?
    /// Why ``oddsRatio`` is nil, nil when it is not.
    package let missingEstimate: String?
    /// The CMH chi-square statistic (1 df); nil when ΣVar aₖ = 0 (no stratum has both rows and both columns).
    package let chiSquare: Double?
    /// P(χ²₁ ≥ ``chiSquare``); nil with it.
    package let pValue: Double?
    /// Why ``chiSquare`` is nil, nil when it is not.
    package let missingTest: String?

    /// Precondition: `confidence` in (0, 1).
    package init(strata: [Stratum], confidence: Double = 0.95, continuityCorrection: Bool = false) {
        precondition(confidence > 0 && confidence < 1, "confidence must lie in (0, 1)")
        self.strata = strata
        self.confidence = confidence
        self.continuityCorrection = continuityCorrection
        let used = strata.filter { $0.total >= 2 }
        self.strataUsed = used.count
        self.informativeStrata =
            used.filter { s in
                s.exposed > 0 && s.unexposed > 0 && s.exposedEvents + s.unexposedEvents > 0 && s.exposedNonEvents + s.unexposedNonEvents > 0
            }.count
        var sumR = 0.0, sumS = 0.0, sumPR = 0.0, sumPSQR = 0.0, sumQS = 0.0
        var deviation = 0.0, variance = 0.0
        for s in used {
            let a = Double(s.exposedEvents), b = Double(s.exposedNonEvents)
            let c = Double(s.unexposedEvents), d = Double(s.unexposedNonEvents)
            let n = Double(s.total)
            let r = a * d / n, q = b * c / n
            let p = (a + d) / n
            sumR += r
            sumS += q
            sumPR += p * r
            sumPSQR += p * q + (1 - p) * r
            sumQS += (1 - p) * q
            deviation += a - (a + b) * (a + c) / n
            variance += (a + b) * (c + d) * (a + c) * (b + d) / (n * n * (n - 1))
        }
        if used.isEmpty {
            self.missingEstimate = "no stratum holds 2 or more units"
        } else if sumR == 0 || sumS == 0 {
            self.missingEstimate =
                sumR == 0 && sumS == 0
                ? "no stratum has both groups with and without the event"
                : (sumR == 0
                    ? "no stratum has an exposed unit with the event and an unexposed one without (the estimate would be 0)"
                    : "no stratum has an exposed unit without the event and an unexposed one with it (the estimate would be infinite)")
        } else {
            self.missingEstimate = nil
        }
        if missingEstimate == nil {
            let psi = sumR / sumS
            let logVariance = sumPR / (2 * sumR * sumR) + sumPSQR / (2 * sumR * sumS) + sumQS / (2 * sumS * sumS)
            let se = logVariance.squareRoot()
            let z = NormalDistribution.quantile(1 - (1 - confidence) / 2)
            self.oddsRatio = psi
            self.logOddsRatioStandardError = se
            self.confidenceInterval = ConfidenceInterval(lower: exp(log(psi) - z * se), upper: exp(log(psi) + z * se))
        } else {
            self.oddsRatio = nil
            self.logOddsRatioStandardError = nil
            self.confidenceInterval = nil
        }
        if variance > 0 {
            let magnitude = abs(deviation)
            let corrected = continuityCorrection && magnitude >= 0.5 ? magnitude - 0.5 : magnitude
            let statistic = corrected * corrected / variance
            self.chiSquare = statistic
            self.pValue = ChiSquareDistribution.survival(statistic, degreesOfFreedom: 1)
            self.missingTest = nil
        } else {
            self.chiSquare = nil
            self.pValue = nil
            self.missingTest =
                used.isEmpty ? "no stratum holds 2 or more units" : "no stratum has both groups and both outcomes, so the test has no variance"
        }
    }
}
