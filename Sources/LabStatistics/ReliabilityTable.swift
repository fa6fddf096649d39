import BatonSupport

/// One bin of a reliability table: leads whose predicted probability falls in
/// [lowerBound, upperBound) (the last bin also holds p = 1).
package struct ReliabilityBin: Sendable, Equatable {
    /// Lower edge of the bin.
    package let lowerBound: Double
    /// Upper edge of the bin (exclusive except for the last bin).
    package let upperBound: Double
    /// Leads in the bin, n_b.
    package let count: Int
    /// Won leads in the bin.
    package let positives: Int
    /// Mean predicted probability in the bin; nil for an empty bin.
    package let meanPredicted: Double?
    /// Observed closed-won rate in the bin; nil for an empty bin.
    package let observedRate: Double?
}

/// The reliability diagram as a table (uniform probability bins: predicted vs observed)
/// and the expected calibration error.
package struct ReliabilityTable: Sendable, Equatable {
    /// The bins, from [0, 1/B) up to [(B−1)/B, 1].
    package let bins: [ReliabilityBin]
    /// ECE = Σ (n_b / n) |observed_b − predicted_b| over non-empty bins, in [0, 1].
    package let expectedCalibrationError: Double
    /// Total leads.
    package let count: Int

    /// Bins the probabilities into `binCount` uniform bins [k/B, (k+1)/B), p = 1 in the last.
    ///
    /// Bin membership is decided against the edges k/B themselves (p ≥ k/B), not by
    /// ⌊B·p⌋, which can round a p just below an edge into the bin above.
    /// - Throws: ``MetricsError`` for empty or mismatched input, outcomes other than 0/1,
    ///   or probabilities that are not finite numbers in [0, 1].
    /// - Precondition: `binCount >= 1`.
    package init(probabilities: [Double], outcomes: [Double], binCount: Int = 10) throws(MetricsError) {
        precondition(binCount >= 1, "ReliabilityTable: binCount \(binCount) must be ≥ 1")
        _ = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        self.init(checkedProbabilities: probabilities, outcomes: outcomes, binCount: binCount)
    }

    /// The table from input the caller has checked.
    init(checkedProbabilities probabilities: [Double], outcomes: [Double], binCount: Int = 10) {
        let edges = (0...binCount).map { Double($0) / Double(binCount) }
        var counts = [Int](repeating: 0, count: binCount)
        var positives = [Int](repeating: 0, count: binCount)
        var sums = [Double](repeating: 0, count: binCount)
        for (p, y) in zip(probabilities, outcomes) {
            let bin = Self.bin(of: p, edges: edges)
            counts[bin] += 1
            sums[bin] += p
            if y == 1 { positives[bin] += 1 }
        }
        let n = Double(probabilities.count)
        var ece = 0.0
        var bins: [ReliabilityBin] = []
        for k in 0..<binCount {
            var meanPredicted: Double?
            var observedRate: Double?
            if counts[k] > 0 {
                let mean = sums[k] / Double(counts[k])
                let rate = Double(positives[k]) / Double(counts[k])
                ece += Double(counts[k]) / n * abs(rate - mean)
                meanPredicted = mean
                observedRate = rate
            }
            bins.append(
                ReliabilityBin(
                    lowerBound: edges[k], upperBound: edges[k + 1], count: counts[k],
                    positives: positives[k], meanPredicted: meanPredicted,
                    observedRate: observedRate))
        }
        self.bins = bins
        self.expectedCalibrationError = ece
        self.count = probabilities.count
    }

    /// The bin index k with edges[k] ≤ p < edges[k+1], or the last bin for p = 1.
    private static func bin(of p: Double, edges: [Double]) -> Int {
        let last = edges.count - 2
        // `clampedInt(.towardZero, in: 0...last)` spelled out: with the rounding rule passed as a
        // value it was not inlined, and this runs once per row (1 % of `baton validate`'s CPU).
        let scaled = p * Double(last + 1)
        var k = scaled >= Double(last) ? last : scaled > 0 ? Int(scaled) : 0  // total: 0 < scaled < last; NaN gives 0
        while k > 0 && p < edges[k] { k -= 1 }
        while k < last && p >= edges[k + 1] { k += 1 }
        return k
    }
}
