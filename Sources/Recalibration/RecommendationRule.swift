import ReportRendering

/// The decision of a recalibration run.
package enum Decision: String, Sendable, Equatable, Codable {
    case promote
    case keep
}

/// The champion-vs-challenger numbers the rule looks at (all on the same test leads).
package struct RuleInputs: Sendable, Equatable {
    package var championAUC: Double
    package var challengerAUC: Double
    /// DeLong two-sided p-value of AUC_challenger − AUC_champion.
    package var deLongPValue: Double
    package var championECE: Double
    package var challengerECE: Double

    package init(championAUC: Double, challengerAUC: Double, deLongPValue: Double, championECE: Double, challengerECE: Double) {
        self.championAUC = championAUC
        self.challengerAUC = challengerAUC
        self.deLongPValue = deLongPValue
        self.championECE = championECE
        self.challengerECE = challengerECE
    }
}

/// The promotion rule: promote the challenger when it discriminates significantly better
/// without calibrating worse; keep the champion otherwise; with no champion, promote.
///
/// Promote iff (1) AUC_challenger > AUC_champion, (2) the DeLong two-sided p-value of the
/// difference is < ``alpha``, and (3) ECE_challenger ≤ ECE_champion + ``eceMargin``.
package struct RecommendationRule: Sendable, Equatable {
    /// Significance level of the DeLong test. Default 0.05.
    package var alpha: Double
    /// How much worse (in absolute ECE) the challenger's calibration may be. Default 0.01.
    package var eceMargin: Double

    package init(alpha: Double = 0.05, eceMargin: Double = 0.01) {
        self.alpha = alpha
        self.eceMargin = eceMargin
    }

    /// The rule in words, as written into the report and recommendation.json.
    package var statement: String {
        "promote the challenger iff its AUC is higher than the champion's with DeLong two-sided p < \(alpha) on the same test leads, and its ECE is at most the champion's + \(eceMargin); otherwise keep the champion; with no champion (first run), promote"
    }

    /// The decision and the reason in one sentence.
    package func decide(_ inputs: RuleInputs?) -> (decision: Decision, reason: String) {
        guard let x = inputs else { return (.promote, "first run: there is no champion to keep") }
        let better = x.challengerAUC > x.championAUC
        let significant = x.deLongPValue < alpha
        let calibrationOK = x.challengerECE <= x.championECE + eceMargin
        let auc = "AUC \(f(x.challengerAUC)) vs \(f(x.championAUC)), DeLong p \(p(x.deLongPValue))"
        let ece = "ECE \(f(x.challengerECE)) vs \(f(x.championECE))"
        switch (better && significant, calibrationOK) {
        case (true, true):
            return (.promote, "the challenger discriminates significantly better (\(auc)) and calibrates no worse than the margin allows (\(ece))")
        case (true, false):
            return (.keep, "the challenger discriminates better (\(auc)) but calibrates worse by more than \(eceMargin) (\(ece))")
        case (false, _):
            return (
                .keep,
                better
                    ? "the challenger's AUC is higher but not significantly (\(auc), α = \(alpha))"
                    : "the challenger does not discriminate better (\(auc))"
            )
        }
    }

    private func f(_ x: Double) -> String { NumberFormat.fixed(x) }
    private func p(_ x: Double) -> String { x < 0.0001 ? "< 0.0001" : "= " + NumberFormat.pValue(x) }
}
