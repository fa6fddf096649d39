/// Why a logistic regression could not be fitted. Each case carries what the caller needs to
/// point the user at the problem; ``description`` says what went wrong and what to do.
///
/// Rows are 0-based design rows; callers that read files map them back to file lines.
package enum FitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No rows.
    case emptyInput
    /// The design has no columns.
    case noColumns
    /// `y` (or the weights) and the design disagree on the number of rows.
    case lengthMismatch(rows: Int, outcomes: Int, weights: Int?)
    /// An outcome that is neither 0 nor 1.
    case nonBinaryOutcome(row: Int, value: Double)
    /// A case weight that is negative or not finite.
    case invalidWeight(row: Int, value: Double)
    /// Every case weight is zero.
    case zeroTotalWeight
    /// A design value that is NaN or infinite.
    case nonFiniteValue(row: Int, term: String, value: Double)
    /// Every row has the same outcome: nothing to discriminate.
    case singleOutcomeClass(outcome: Double, rows: Int)
    /// Terms whose value is the same on every row (they duplicate the intercept).
    case constantTerms([ConstantTerm])
    /// Terms that are exact linear combinations of earlier terms.
    case collinearTerms([CollinearTerm])
    /// The maximum-likelihood estimate does not exist: the named terms run away.
    case separation([SeparatedTerm])
    /// The Hessian lost positive definiteness during the iterations (numerical breakdown).
    case singularHessian(iteration: Int)
    /// An option is out of range.
    case invalidOption(name: String, value: Double, requirement: String)
    /// Firth's penalty needs a full-rank design (log det I is −∞ otherwise): what is wrong with it.
    case firthRankDeficient(String)

    package var description: String {
        switch self {
        case .emptyInput:
            return "no rows to fit: the data has no usable leads; check the file and the row filters (missing: drop_row)"
        case .noColumns:
            return "the design has no terms: add at least one feature to the spec"
        case let .lengthMismatch(rows, outcomes, weights):
            let w = weights.map { ", \($0) weights" } ?? ""
            return "the design has \(rows) rows but there are \(outcomes) outcomes\(w); they must match"
        case let .nonBinaryOutcome(row, value):
            return "row \(row): outcome \(value) is not 0 or 1; list the closed-won values under outcome.positive"
        case let .invalidWeight(row, value):
            return "row \(row): case weight \(value) is not a finite non-negative number; fix or drop the row"
        case .zeroTotalWeight:
            return "every case weight is zero: nothing to fit; check the weight column"
        case let .nonFiniteValue(row, term, value):
            return "row \(row), term \(term): value \(value) is not finite; fix the input or use missing: drop_row"
        case let .singleOutcomeClass(outcome, rows):
            let kind = outcome == 1 ? "closed-won" : "closed-lost"
            return "all \(rows) rows are \(kind): a model needs both won and lost leads; check outcome.positive in the spec and the outcome column"
        case let .firthRankDeficient(detail):
            return
                "Firth's penalised likelihood needs a design of full rank, and this one is not: \(detail). Remove the named term (or merge the level), then fit again"
        case let .constantTerms(terms):
            let list = terms.map { "\($0.term) (always \(formatNumber($0.value)))" }.joined(separator: ", ")
            return
                "constant term\(terms.count == 1 ? "" : "s"): \(list); a term that never varies cannot be estimated next to the intercept: remove the feature or, for a level, merge it (min_count)"
        case let .collinearTerms(terms):
            let list = terms.map(\.explanation).joined(separator: "; ")
            return "collinear terms: \(list); remove one of each group from the spec (or merge levels) so every term adds information"
        case let .separation(terms):
            let list = terms.map(\.explanation).joined(separator: "; ")
            return
                "quasi-complete separation: \(list); the maximum-likelihood estimate does not exist. Fit with Firth's penalised likelihood (`method: firth` in the spec, or `--method firth`), add a ridge penalty (e.g. `penalty: 1`), or merge the level into Other (min_count)"
        case let .singularHessian(iteration):
            return
                "the Hessian became singular at iteration \(iteration); the data is nearly separable or nearly collinear: add a ridge penalty (e.g. `penalty: 1`) or remove redundant features"
        case let .invalidOption(name, value, requirement):
            return "option \(name) = \(value) is invalid: \(requirement)"
        }
    }
}

/// A term that takes the same value on every row.
package struct ConstantTerm: Sendable, Equatable {
    package var term: String
    package var value: Double
    package init(term: String, value: Double) {
        self.term = term
        self.value = value
    }
}

/// A term that is (numerically) a linear combination of other terms.
package struct CollinearTerm: Sendable, Equatable {
    /// The redundant term.
    package var term: String
    /// The terms it is made of, with their coefficients, largest first.
    package var combination: [(term: String, coefficient: Double)]

    package init(term: String, combination: [(term: String, coefficient: Double)]) {
        self.term = term
        self.combination = combination
    }

    package static func == (lhs: CollinearTerm, rhs: CollinearTerm) -> Bool {
        lhs.term == rhs.term && lhs.combination.map(\.term) == rhs.combination.map(\.term)
            && lhs.combination.map(\.coefficient) == rhs.combination.map(\.coefficient)
    }

    var explanation: String {
        if combination.count == 1, let only = combination.first, abs(only.coefficient - 1) < 1e-6 {
            // Two `missing: indicator` terms equal to each other: the columns are empty on exactly
            // the same rows (issue 21 item 15), which "duplicates" alone did not say.
            if term.hasPrefix("missing("), only.term.hasPrefix("missing(") {
                return
                    "\(term) duplicates \(only.term): the two columns are empty on exactly the same rows, so one indicator says it all; keep `missing: indicator` on one and use zero or drop_row on the other"
            }
            return "\(term) duplicates \(only.term)"
        }
        let parts = combination.prefix(6).map { "\(formatNumber($0.coefficient))·\($0.term)" }
        let more = combination.count > 6 ? " + …" : ""
        return "\(term) = \(parts.joined(separator: " + "))\(more)"
    }
}

/// A term whose estimate runs away because it (nearly) splits won from lost.
package struct SeparatedTerm: Sendable, Equatable {
    package var term: String
    /// The estimate when the iterations stopped (large in magnitude).
    package var estimate: Double
    /// For a 0/1 term: rows where it is 1, and how many of them are won.
    package var rowsWithTerm: Double?
    package var wonWithTerm: Double?

    package init(term: String, estimate: Double, rowsWithTerm: Double? = nil, wonWithTerm: Double? = nil) {
        self.term = term
        self.estimate = estimate
        self.rowsWithTerm = rowsWithTerm
        self.wonWithTerm = wonWithTerm
    }

    var explanation: String {
        if let rows = rowsWithTerm, let won = wonWithTerm {
            let what = won == 0 ? "none" : (won == rows ? "all" : formatNumber(won))
            return "\(term): \(what) of the \(formatNumber(rows)) leads with it closed-won (estimate runs to \(estimate > 0 ? "+" : "-")∞)"
        }
        return "\(term): estimate runs away (reached \(formatNumber(estimate)))"
    }
}

/// Something the caller should know about a fit that did complete.
package enum FitWarning: Sendable, Equatable, CustomStringConvertible {
    /// The iteration limit was reached before the convergence criteria held.
    case notConverged(iterations: Int, relativeDevianceChange: Double, gradientNorm: Double)
    /// The objective rose and the step was halved this many times in one iteration.
    case stepHalving(iteration: Int, halvings: Int)
    /// Fitted probabilities numerically 0 or 1 on this many rows.
    case fittedProbabilitiesAtBounds(rows: Int)

    package var description: String {
        switch self {
        case let .notConverged(iterations, change, gradient):
            return
                "not converged after \(iterations) iterations (relative deviance change \(formatNumber(change)), gradient norm \(formatNumber(gradient))); raise the iteration limit or add a ridge penalty"
        case let .stepHalving(iteration, halvings):
            return "iteration \(iteration): the deviance rose, the Newton step was halved \(halvings) time\(halvings == 1 ? "" : "s")"
        case let .fittedProbabilitiesAtBounds(rows):
            return
                "fitted probabilities are numerically 0 or 1 on \(rows) row\(rows == 1 ? "" : "s"): some leads are perfectly predicted; check for leakage (post-hand-off fields)"
        }
    }
}

/// Short, round-trip-free number formatting for messages (no Foundation here).
func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    let magnitude = abs(value)
    if magnitude >= 1e-3, magnitude < 1e6 {
        let scaled = (value * 1e4).rounded() / 1e4
        return scaled == scaled.rounded() ? String(Int64(scaled)) : "\(scaled)"
    }
    return "\(value)"
}
