import BatonSupport
import LabStatistics

/// Pearson's chi-square test of independence on an r × c table of counts, with per-cell
/// adjusted (standardised) residuals and a Bonferroni cut-off.
///
/// - Expected count Eᵢⱼ = rowᵢ · colⱼ / N; X² = Σ (Oᵢⱼ − Eᵢⱼ)² / Eᵢⱼ on (r − 1)(c − 1) degrees of freedom.
/// - Adjusted residual rᵢⱼ = (Oᵢⱼ − Eᵢⱼ) / √(Eᵢⱼ (1 − rowᵢ/N)(1 − colⱼ/N)), ~ N(0, 1) under independence.
/// - Validity (Cochran): every Eᵢⱼ ≥ 1 and at most 20 % of cells with Eᵢⱼ < 5; otherwise the test
///   is not run, ``skipReason`` says why (the caller pools small categories first) and
///   ``minimumTotal`` says how large N must grow, at the same row and column shares, to pass.
/// - A cell is flagged when |rᵢⱼ| > z₁₋α/(2m), m = r·c cells (two-sided Bonferroni).
package struct ContingencyTest: Sendable, Hashable {
    package let counts: [[Int]]
    package let expected: [[Double]]
    package let statistic: Double?
    package let degreesOfFreedom: Int
    /// P(X² ≥ statistic) under independence; nil when the test was not run.
    package let pValue: Double?
    package let adjustedResiduals: [[Double]]
    /// |residual| above which a cell is flagged.
    package let residualCutoff: Double
    /// Why the test was not run, nil when it was.
    package let skipReason: String?
    /// When Cochran's rule failed: the smallest N for which a table with the same row and column
    /// shares passes it (expected counts grow in proportion to N), N · max(1 / E₍₁₎, 5 / E₍ₖ₊₁₎)
    /// rounded up, with E₍ᵢ₎ the expected counts in increasing order and k = ⌊cells / 5⌋ the cells
    /// allowed below 5. Nil when the test ran, or when the table lacks two non-empty rows or columns
    /// (no N fixes that).
    package let minimumTotal: Int?

    /// Precondition: a rectangular table of non-negative counts; alpha in (0, 1).
    package init(counts: [[Int]], alpha: Double = 0.05) {
        precondition(alpha > 0 && alpha < 1, "alpha must lie in (0, 1)")
        precondition(counts.allSatisfy { $0.count == counts.first?.count && $0.allSatisfy { $0 >= 0 } }, "a rectangular table of counts ≥ 0")
        self.counts = counts
        let r = counts.count, c = counts.first?.count ?? 0
        let rows = counts.map { Double($0.reduce(0, +)) }
        let cols = (0..<c).map { j in Double(counts.reduce(0) { $0 + $1[j] }) }
        let n = rows.reduce(0, +)
        let expected = counts.indices.map { i in (0..<c).map { j in n > 0 ? rows[i] * cols[j] / n : 0 } }
        self.expected = expected
        self.degreesOfFreedom = max(0, r - 1) * max(0, c - 1)
        let cells = max(1, r * c)
        self.residualCutoff = NormalDistribution.quantile(1 - alpha / (2 * Double(cells)))
        self.adjustedResiduals = counts.indices.map { i in
            (0..<c).map { j in
                let variance = expected[i][j] * (1 - rows[i] / n) * (1 - cols[j] / n)
                return variance > 0 ? (Double(counts[i][j]) - expected[i][j]) / variance.squareRoot() : 0
            }
        }
        let flat = expected.flatMap { $0 }
        let small = flat.filter { $0 < 5 }.count
        var reason: String?
        var minimumTotal: Int?
        let sorted = flat.sorted()
        if r < 2 || c < 2 || rows.contains(0) || cols.contains(0) {
            reason = "needs at least two non-empty categories on each side (table is \(r) × \(c))"
        } else if let least = sorted.first, least < 1 || small > flat.count / 5 {
            reason = String(
                format:
                    "needs every expected count ≥ 1 and at most 20 %% of them below 5 (Cochran's rule); here the smallest is %.2f and %d of %d are below 5",
                least, small, flat.count)
            let scale = max(1 / least, 5 / sorted[flat.count / 5])
            minimumTotal = (n * scale).rounded(.up).clampedInt(.up, in: 0...Int.max)
        }
        self.skipReason = reason
        self.minimumTotal = minimumTotal
        if reason == nil {
            let x2 = counts.indices.reduce(0.0) { sum, i in
                sum + (0..<c).reduce(0.0) { $0 + pow2(Double(counts[i][$1]) - expected[i][$1]) / expected[i][$1] }
            }
            self.statistic = x2
            self.pValue = ChiSquareDistribution.survival(x2, degreesOfFreedom: Double(degreesOfFreedom))
        } else {
            self.statistic = nil
            self.pValue = nil
        }
    }
}

private func pow2(_ x: Double) -> Double { x * x }
