/// One score band: a slice of leads by descending predicted probability.
public struct ScoreBand: Sendable, Equatable {
    /// 1-based band number; band 1 holds the highest scores.
    public let band: Int
    /// Leads in the band.
    public let count: Int
    /// Won leads in the band.
    public let positives: Int
    /// Mean predicted probability in the band.
    public let meanPredicted: Double
    /// Lowest predicted probability in the band.
    public let minimumPredicted: Double
    /// Highest predicted probability in the band.
    public let maximumPredicted: Double
    /// positives / count.
    public let observedRate: Double
    /// Wilson 95 % interval for ``observedRate``.
    public let observedRateInterval: ConfidenceInterval
    /// observedRate / overall won rate; 1 is no better than random.
    public let lift: Double
    /// Share of all won leads captured in bands 1…band, in [0, 1]; 1 for the last band.
    public let cumulativeGain: Double
    /// Share of all leads in bands 1…band, in [0, 1]; 1 for the last band.
    public let cumulativeShare: Double
}

/// The band table (decile table when `bandCount` is 10): conversion, lift and cumulative
/// gains by slices of predicted probability, best leads first.
///
/// Leads are sorted by descending p (stable: ties keep row order) and cut into bands sized
/// as `numpy.array_split` does (the first n mod B bands get one extra lead), so band counts
/// and positives add up to the totals exactly.
public struct ScoreBandTable: Sendable, Equatable {
    /// The bands, band 1 (top scores) first.
    public let bands: [ScoreBand]
    /// Total leads.
    public let count: Int
    /// Total won leads.
    public let positives: Int
    /// positives / count.
    public let overallRate: Double

    /// Builds the table with `bandCount` bands (10 by convention).
    /// - Throws: ``MetricsError`` for empty or mismatched input, outcomes other than 0/1,
    ///   probabilities that are not finite numbers in [0, 1], no won leads (lift would
    ///   divide by 0), or fewer leads than bands.
    /// - Precondition: `bandCount >= 1`.
    public init(probabilities: [Double], outcomes: [Double], bandCount: Int = 10) throws(MetricsError) {
        precondition(bandCount >= 1, "ScoreBandTable: bandCount \(bandCount) must be ≥ 1")
        let positives = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        if positives == 0 { throw .singleOutcomeClass(outcome: 0, count: outcomes.count) }
        guard probabilities.count >= bandCount else {
            throw .tooFewRows(count: probabilities.count, minimum: bandCount, purpose: "\(bandCount) score bands")
        }
        let n = probabilities.count
        let overallRate = Double(positives) / Double(n)
        let order = ScoredOutcomes.stableOrder(probabilities, descending: true)
        var bands: [ScoreBand] = []
        var start = 0
        var capturedPositives = 0
        for (index, size) in ScoredOutcomes.splitSizes(count: n, groups: bandCount).enumerated() {
            let rows = order[start..<(start + size)]
            start += size
            var bandPositives = 0
            var sum = 0.0
            for row in rows {
                sum += probabilities[row]
                if outcomes[row] == 1 { bandPositives += 1 }
            }
            capturedPositives += bandPositives
            let rate = Double(bandPositives) / Double(size)
            bands.append(ScoreBand(
                band: index + 1, count: size, positives: bandPositives,
                meanPredicted: sum / Double(size),
                minimumPredicted: probabilities[rows.last ?? 0],
                maximumPredicted: probabilities[rows.first ?? 0],
                observedRate: rate,
                observedRateInterval: .wilson(successes: bandPositives, trials: size),
                lift: rate / overallRate,
                // From integer counts, so the last band is exactly 1.
                cumulativeGain: Double(capturedPositives) / Double(positives),
                cumulativeShare: Double(start) / Double(n)))
        }
        self.bands = bands
        self.count = n
        self.positives = positives
        self.overallRate = overallRate
    }
}
