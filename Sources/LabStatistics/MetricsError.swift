/// Why a validation metric could not be computed from the given scores and outcomes.
///
/// Cases carry the offending index or counts; ``description`` says what went wrong and
/// what to do about it.
package enum MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No rows at all.
    case emptyInput
    /// The score (probability) and outcome arrays differ in length.
    case lengthMismatch(scores: Int, outcomes: Int)
    /// An outcome other than 0 or 1 (closed-won = 1) at a 0-based row index.
    case invalidOutcome(index: Int, value: Double)
    /// A probability that is NaN, infinite or outside [0, 1] at a 0-based row index.
    case invalidProbability(index: Int, value: Double)
    /// A raw score (for AUC) that is NaN or infinite at a 0-based row index.
    case nonFiniteScore(index: Int, value: Double)
    /// Every outcome is the same, so nothing discriminates or calibrates.
    case singleOutcomeClass(outcome: Double, count: Int)
    /// Too few rows in one class for a variance (DeLong needs at least 2 of each).
    case tooFewInClass(positives: Int, negatives: Int, minimum: Int)
    /// Too few rows to form the requested groups (Hosmer–Lemeshow groups, score bands).
    case tooFewRows(count: Int, minimum: Int, purpose: String)
    /// All predicted probabilities are equal, so a slope on logit(p) is not identified.
    case constantPredictions(value: Double)
    /// logit(p) separates won from lost perfectly, so the calibration slope is infinite.
    case calibrationSeparation
    /// The calibration Newton iteration stopped without meeting its tolerance.
    case calibrationDidNotConverge(iterations: Int, maxAbsGradient: Double)
    /// Two AUCs differ but the DeLong variance of their difference is zero.
    case degenerateComparison(difference: Double)

    package var description: String {
        switch self {
        case .emptyInput:
            return "no rows to validate; pass at least one scored lead with its outcome"
        case .lengthMismatch(let scores, let outcomes):
            return "\(scores) scores but \(outcomes) outcomes; pass one score per outcome, in the same row order"
        case .invalidOutcome(let index, let value):
            return "outcome \(value) at row \(index) is not 0 or 1; encode closed-won as 1 and every other end as 0"
        case .invalidProbability(let index, let value):
            return
                "probability \(value) at row \(index) is not a finite number in [0, 1]; check the model output for that row (NaN often means a missing feature)"
        case .nonFiniteScore(let index, let value):
            return "score \(value) at row \(index) is not finite; check the model output for that row"
        case .singleOutcomeClass(let outcome, let count):
            return
                "all \(count) outcomes are \(outcome == 1 ? "1 (won)" : "0 (lost)"); validation needs both won and lost leads, so widen the sample or the outcome window"
        case .tooFewInClass(let positives, let negatives, let minimum):
            return
                "\(positives) won and \(negatives) lost leads; each class needs at least \(minimum) for a standard error, so validate on a larger sample"
        case .tooFewRows(let count, let minimum, let purpose):
            return "\(count) rows are too few for \(purpose) (needs at least \(minimum)); validate on a larger sample"
        case .constantPredictions(let value):
            return
                "every predicted probability equals \(value), so calibration slope and intercept are not identified; the model ignores its features — check the fit"
        case .calibrationSeparation:
            return
                "the predicted probabilities separate won from lost perfectly (AUC 0 or 1), so the calibration slope is infinite; validate on more (out-of-sample) leads"
        case .calibrationDidNotConverge(let iterations, let gradient):
            return
                "calibration regression did not converge in \(iterations) Newton steps (max |gradient| \(gradient)); the probabilities are probably near-separating — validate on more leads"
        case .degenerateComparison(let difference):
            return "the AUCs differ by \(difference) but the DeLong variance of the difference is zero; compare on more leads"
        }
    }
}
