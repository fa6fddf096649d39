/// DeLong's structural components of one score vector, computed from a single sort
/// (the midrank formulation of Sun & Xu 2014, O(n log n)).
///
/// For a won lead i, V10ᵢ = (#lost scored below i + ½ #lost tied with i) / n₀ — which is
/// (overall midrank − midrank among the won) / n₀. For a lost lead j, V01ⱼ =
/// (#won scored above j + ½ #won tied with j) / n₁. The AUC is the mean of either set.
struct DeLongComponents {
    /// V10 for each won lead, in row order.
    var positive: [Double]
    /// V01 for each lost lead, in row order.
    var negative: [Double]
    /// The Mann–Whitney AUC, ties counting ½.
    var auc: Double

    /// - Precondition: outcomes are 0/1 with at least one of each; scores are finite.
    init(scores: [Double], outcomes: [Double]) {
        let positives = outcomes.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        self.init(RankedOutcomes(scores: scores, outcomes: outcomes, positives: positives), outcomes: outcomes)
    }

    /// From scores already ranked; `outcomes` in row order, as ranked.
    /// - Precondition: at least one lead of each class.
    init(_ ranked: RankedOutcomes, outcomes: [Double]) {
        let n = ranked.count
        let positives = ranked.positives
        let negatives = n - positives
        precondition(positives > 0 && negatives > 0, "DeLongComponents: needs both classes")

        // Per row: lost-below-plus-half-tied (won rows) or won-above-plus-half-tied (lost
        // rows), as exact integers-and-halves so the AUC sum carries no rounding.
        var counts = [Double](repeating: 0, count: n)
        let scores = ranked.scores, won = ranked.won, order = ranked.order
        var positivesBelow = 0
        var negativesBelow = 0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && scores[end] == scores[start] { end += 1 }
            var tiedPositives = 0
            for k in start..<end where won[k] { tiedPositives += 1 }
            let tiedNegatives = end - start - tiedPositives
            let positiveCount = Double(negativesBelow) + Double(tiedNegatives) / 2
            let positivesAbove = positives - positivesBelow - tiedPositives
            let negativeCount = Double(positivesAbove) + Double(tiedPositives) / 2
            for k in start..<end {
                counts[Int(order[k])] = won[k] ? positiveCount : negativeCount
            }
            positivesBelow += tiedPositives
            negativesBelow += tiedNegatives
            start = end
        }

        var positiveComponents: [Double] = []
        var negativeComponents: [Double] = []
        positiveComponents.reserveCapacity(positives)
        negativeComponents.reserveCapacity(negatives)
        var pairSum = 0.0
        for row in 0..<n {
            if outcomes[row] == 1 {
                pairSum += counts[row]
                positiveComponents.append(counts[row] / Double(negatives))
            } else {
                negativeComponents.append(counts[row] / Double(positives))
            }
        }
        self.positive = positiveComponents
        self.negative = negativeComponents
        self.auc = pairSum / (Double(positives) * Double(negatives))
    }

    /// Sample covariance (divisor m − 1) of two equally long component vectors.
    static func covariance(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count && a.count > 1, "DeLongComponents.covariance: needs two equal vectors of length ≥ 2")
        let m = Double(a.count)
        let meanA = a.reduce(0, +) / m
        let meanB = b.reduce(0, +) / m
        var sum = 0.0
        for k in a.indices { sum += (a[k] - meanA) * (b[k] - meanB) }
        return sum / (m - 1)
    }

    /// DeLong's covariance of two AUCs estimated on the same leads:
    /// S10(a, b)/n₁ + S01(a, b)/n₀.
    static func aucCovariance(_ a: DeLongComponents, _ b: DeLongComponents) -> Double {
        covariance(a.positive, b.positive) / Double(a.positive.count)
            + covariance(a.negative, b.negative) / Double(a.negative.count)
    }
}
