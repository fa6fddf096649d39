#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Proper scoring rules for predicted probabilities of closed-won: log loss and Brier.
package enum ProbabilityScores {
    /// Probabilities are clipped to [ε, 1 − ε] with ε = 1e−15 before taking logs, as
    /// scikit-learn's `log_loss` does: a probability of exactly 0 or 1 against the wrong
    /// outcome then costs −ln(1e−15) ≈ 34.5 for that lead instead of +∞.
    package static let logLossClip = 1e-15

    /// Mean log loss (cross-entropy), −mean(y ln p + (1 − y) ln(1 − p)), in nats per lead;
    /// p clipped to [``logLossClip``, 1 − ``logLossClip``]. 0 is perfect; ln 2 ≈ 0.693 is
    /// a constant ½.
    /// - Throws: ``MetricsError`` for empty or mismatched input, outcomes other than 0/1,
    ///   or probabilities that are not finite numbers in [0, 1].
    package static func logLoss(probabilities: [Double], outcomes: [Double]) throws(MetricsError) -> Double {
        _ = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        return uncheckedLogLoss(probabilities: probabilities, outcomes: outcomes)
    }

    /// ``logLoss(probabilities:outcomes:)`` on input the caller has checked.
    static func uncheckedLogLoss(probabilities: [Double], outcomes: [Double]) -> Double {
        var sum = 0.0
        for (p, y) in zip(probabilities, outcomes) {
            let clipped = clip(p)
            // log1p(−p) keeps precision for small p where 1 − p rounds.
            sum -= y == 1 ? log(clipped) : log1p(-clipped)
        }
        return sum / Double(outcomes.count)
    }

    /// Brier score, mean((p − y)²), in [0, 1]; 0 is perfect, 0.25 is a constant ½.
    /// - Throws: as ``logLoss(probabilities:outcomes:)``.
    package static func brier(probabilities: [Double], outcomes: [Double]) throws(MetricsError) -> Double {
        _ = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        return uncheckedBrier(probabilities: probabilities, outcomes: outcomes)
    }

    /// ``brier(probabilities:outcomes:)`` on input the caller has checked.
    static func uncheckedBrier(probabilities: [Double], outcomes: [Double]) -> Double {
        var sum = 0.0
        for (p, y) in zip(probabilities, outcomes) {
            sum += (p - y) * (p - y)
        }
        return sum / Double(outcomes.count)
    }

    /// p clipped to [``logLossClip``, 1 − ``logLossClip``].
    static func clip(_ p: Double) -> Double {
        min(max(p, logLossClip), 1 - logLossClip)
    }
}
