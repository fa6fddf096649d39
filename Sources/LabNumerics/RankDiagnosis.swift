/// Finds constant and collinear terms before any Newton step, from the information matrix
/// at the intercept-only start (`ȳ(1 − ȳ) XᵀCX`, the same column space as X).
///
/// The matrix is scaled to unit diagonal and factored with pivoted Cholesky (`dpstrf`); a
/// pivot whose remaining variance falls below ``tolerance`` marks a term that the earlier
/// terms already explain. Each such term is then written as the combination that explains
/// it, so the message can say "b duplicates a" or "c = 1·a + 1·b".
///
/// Under a ridge penalty a constant term is not refused: `λ‖β₋₀‖²/2` makes the penalised
/// Hessian positive definite and the term's estimate 0 (a constant `c` is absorbed by the
/// unpenalised intercept), so the fit is well defined.
enum RankDiagnosis {
    /// Relative variance left over (1 − R² of a term on the others) below which a term counts
    /// as collinear. Genuine near-collinearity such as R² = 0.999999 is well above it.
    static let tolerance = 1e-9

    /// - Parameter constantsEstimable: true under a ridge penalty, where a constant term is
    ///   estimable (the penalty makes its estimate 0 and the Hessian positive definite), so
    ///   only collinear terms are refused.
    static func check(
        information: SymmetricMatrix, names: [String], interceptColumn: Int?, constantsEstimable: Bool = false
    ) throws(FitError) {
        let p = information.order
        var constant: [ConstantTerm] = []
        var live: [Int] = []
        for j in 0..<p {
            if information[j, j] > 0 { live.append(j) } else { constant.append(ConstantTerm(term: names[j], value: 0)) }
        }
        let q = live.count
        var scaled = SymmetricMatrix(order: q)
        let diagonal = live.map { information[$0, $0].squareRoot() }
        for a in 0..<q {
            for b in a..<q {
                scaled[a, b] = information[live[a], live[b]] / (diagonal[a] * diagonal[b])
            }
        }
        scaled.symmetrize()
        let (factor, pivot, rank) = scaled.pivotedCholesky(tolerance: tolerance)
        guard rank < q || !constant.isEmpty else { return }

        // Rows/columns of the factor are in pivot order: the first `rank` are independent.
        var collinear: [CollinearTerm] = []
        for d in rank..<q {
            // Solve R11 c = R12[:, d] (upper triangular back substitution).
            var c = [Double](repeating: 0, count: rank)
            for i in stride(from: rank - 1, through: 0, by: -1) {
                var s = factor[i + d * q]
                for k in (i + 1)..<max(i + 1, rank) { s -= factor[i + k * q] * c[k] }
                c[i] = s / factor[i + i * q]
            }
            let dependent = live[pivot[d]]
            var combination: [(term: String, coefficient: Double)] = []
            for i in 0..<rank {
                // Unscale: x_d = Σ c̃ᵢ (‖x_d‖/‖x_i‖) x_i.
                let coefficient = c[i] * diagonal[pivot[d]] / diagonal[pivot[i]]
                if abs(c[i]) > 1e-6 { combination.append((names[live[pivot[i]]], coefficient)) }
            }
            combination.sort { abs($0.coefficient) > abs($1.coefficient) }
            if let intercept = interceptColumn, combination.count == 1, combination[0].term == names[intercept] {
                constant.append(ConstantTerm(term: names[dependent], value: combination[0].coefficient))
            } else if let intercept = interceptColumn, dependent == intercept, combination.count == 1 {
                // Pivoting may name the intercept as the redundant one: the other term is the constant.
                constant.append(ConstantTerm(term: combination[0].term, value: 1 / combination[0].coefficient))
            } else {
                collinear.append(CollinearTerm(term: names[dependent], combination: combination))
            }
        }
        if !constant.isEmpty, !constantsEstimable { throw .constantTerms(constant) }
        if !collinear.isEmpty { throw .collinearTerms(collinear) }
    }
}
