/// Recognises quasi-complete separation after (or during) the iterations: the estimate of a
/// term runs away because the term, alone or with others, splits won from lost.
///
/// A term counts as running away when its standardised estimate `|βⱼ| · rms(xⱼ)` exceeds 8
/// (odds ratio beyond e⁸ ≈ 3000 per standard unit) while `|βⱼ|·√Hⱼⱼ` — an upper bound on its Wald
/// |z|, since `(H⁻¹)ⱼⱼ ≥ 1/Hⱼⱼ` — is below 0.5: the signature of a likelihood that keeps rising
/// towards infinity along that direction, where the curvature (and so 1/SE²) collapses. When the
/// iterations did not converge (`force`), the size criterion alone suffices. For 0/1 terms the rows with the term are counted so the message can
/// say "none of the 14 leads with industry=government closed-won".
///
/// A rare 0/1 level escapes the standardised size (its rms is small: 5 leads of 9,000 give
/// rms 0.024, so β = 41 standardises to 1), so a 0/1 term also runs away when its raw estimate
/// passes ``indicatorRunaway`` = 15 (an odds ratio beyond e¹⁵ ≈ 3.3 million between leads with and
/// without the level, which no lead attribute has) with the same collapsed curvature: X Education's
/// `Lead Origin=Other` (β 41.0, SE 1.4e8) "converged" that way before (issue 21).
enum SeparationDiagnosis {
    /// The largest |β| a 0/1 term may have with a collapsed curvature before it counts as separated.
    static let indicatorRunaway = 15.0

    static func runaway(
        beta: [Double], information: SymmetricMatrix, x: DesignMatrix, outcomes: [Double],
        weights: [Double]?, force: Bool
    ) -> [SeparatedTerm]? {
        x.values.withUnsafeBufferPointer { values in
            runaway(
                beta: beta, information: information, names: x.names, interceptColumn: x.interceptColumn,
                outcomes: outcomes, weights: weights, force: force,
                withColumn: { j, body in body(UnsafeBufferPointer(rebasing: values[(j * x.rows)..<((j + 1) * x.rows)])) })
        }
    }

    /// The diagnosis on a design whose columns `withColumn` lends one at a time (a
    /// ``CodedDesign`` spells out a dummy column only when it is asked for).
    /// - Parameter isIndicator: columns known to hold only 0 and 1 (a coded design's dummies),
    ///   which are read only when their estimate is large enough to run away.
    static func runaway(
        beta: [Double], information: SymmetricMatrix, names: [String], interceptColumn: Int?,
        outcomes: [Double], weights: [Double]?, force: Bool,
        withColumn: (Int, (UnsafeBufferPointer<Double>) -> Void) -> Void,
        isIndicator: (Int) -> Bool = { _ in false }
    ) -> [SeparatedTerm]? {
        let totalWeight = weights?.reduce(0, +) ?? Double(outcomes.count)
        return runaway(
            beta: beta, information: information, names: names, interceptColumn: interceptColumn,
            force: force, isIndicator: isIndicator,
            rootMeanSquare: { j in
                var sum = 0.0
                withColumn(j) { values in
                    for (i, v) in values.enumerated() { sum += (weights?[i] ?? 1) * v * v }
                }
                return (sum / totalWeight).squareRoot()
            },
            indicatorCounts: { j in
                var ones = 0.0, won = 0.0, binary = true
                withColumn(j) { values in
                    for (i, v) in values.enumerated() {
                        let c = weights?[i] ?? 1
                        if v == 1 {
                            ones += c
                            won += c * outcomes[i]
                        } else if v != 0 {
                            binary = false
                            return
                        }
                    }
                }
                return binary ? (ones, won) : nil
            })
    }

    /// The criteria on any design (`rootMeanSquare` is asked only for terms whose curvature
    /// criterion holds, so a fit that converged cleanly reads no column): `rootMeanSquare(j)` is `√(Σ cᵢ xᵢⱼ² / Σ cᵢ)`, and
    /// `indicatorCounts(j)` the weighted rows with xᵢⱼ = 1 and the won among them when column j
    /// holds only 0 and 1 (else nil).
    /// A column `isIndicator` names is skipped unread while |βⱼ| ≤ 8: its rms is at most 1, so
    /// neither criterion can hold (a coded design's dummy column costs a pass to spell out).
    static func runaway(
        beta: [Double], information: SymmetricMatrix, names: [String], interceptColumn: Int?,
        force: Bool, isIndicator: (Int) -> Bool = { _ in false }, rootMeanSquare: (Int) -> Double,
        indicatorCounts: (Int) -> (ones: Double, won: Double)?
    ) -> [SeparatedTerm]? {
        let p = names.count
        var found: [SeparatedTerm] = []
        var candidates: [(index: Int, size: Double, counts: (ones: Double, won: Double)?)] = []
        for j in 0..<p where j != interceptColumn {
            let curvature = information[j, j]
            let z = curvature > 0 ? abs(beta[j]) * curvature.squareRoot() : 0
            guard z < 0.5 || force else { continue }
            if abs(beta[j]) <= 8, isIndicator(j) { continue }
            let standardised = abs(beta[j]) * rootMeanSquare(j)
            if standardised > 8 {
                candidates.append((j, standardised, indicatorCounts(j)))
            } else if abs(beta[j]) > indicatorRunaway, let counts = indicatorCounts(j) {
                candidates.append((j, standardised, counts))
            }
        }
        guard !candidates.isEmpty else { return nil }
        candidates.sort { $0.size > $1.size }
        for (j, _, counts) in candidates {
            if let (ones, won) = counts {
                found.append(SeparatedTerm(term: names[j], estimate: beta[j], rowsWithTerm: ones, wonWithTerm: won))
            } else {
                found.append(SeparatedTerm(term: names[j], estimate: beta[j]))
            }
        }
        return found
    }
}
