/// One score band: a slice of leads by descending predicted probability.
package struct ScoreBand: Sendable, Equatable {
    /// 1-based band number; band 1 holds the highest scores.
    package let band: Int
    /// Leads in the band.
    package let count: Int
    /// Won leads in the band.
    package let positives: Int
    /// Mean predicted probability in the band.
    package let meanPredicted: Double
    /// Lowest predicted probability in the band.
    package let minimumPredicted: Double
    /// Highest predicted probability in the band.
    package let maximumPredicted: Double
    /// positives / count.
    package let observedRate: Double
    /// Wilson 95 % interval for ``observedRate``.
    package let observedRateInterval: ConfidenceInterval
    /// observedRate / overall won rate; 1 is no better than random.
    package let lift: Double
    /// Share of all won leads captured in bands 1…band, in [0, 1]; 1 for the last band.
    package let cumulativeGain: Double
    /// Share of all leads in bands 1…band, in [0, 1]; 1 for the last band.
    package let cumulativeShare: Double
}

/// The band table (decile table when `bandCount` is 10): conversion, lift and cumulative
/// gains by slices of predicted probability, best leads first.
///
/// Leads are sorted by descending p (stable: ties keep row order) and cut into bands sized
/// as `numpy.array_split` does (the first n mod B bands get one extra lead), so band counts
/// and positives add up to the totals exactly.
package struct ScoreBandTable: Sendable, Equatable {
    /// The bands, band 1 (top scores) first.
    package let bands: [ScoreBand]
    /// Total leads.
    package let count: Int
    /// Total won leads.
    package let positives: Int
    /// positives / count.
    package let overallRate: Double

    /// Builds the table with `bandCount` bands (10 by convention).
    /// - Throws: ``MetricsError`` for empty or mismatched input, outcomes other than 0/1,
    ///   probabilities that are not finite numbers in [0, 1], no won leads (lift would
    ///   divide by 0), or fewer leads than bands.
    /// - Precondition: `bandCount >= 1`.
    package init(probabilities: [Double], outcomes: [Double], bandCount: Int = 10) throws(MetricsError) {
        precondition(bandCount >= 1, "ScoreBandTable: bandCount \(bandCount) must be ≥ 1")
        let positives = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        if positives == 0 { throw .singleOutcomeClass(outcome: 0, count: outcomes.count) }
        guard probabilities.count >= bandCount else {
            throw .tooFewRows(count: probabilities.count, minimum: bandCount, purpose: "\(bandCount) score bands")
        }
        self.init(
            ranked: RankedOutcomes(scores: probabilities, outcomes: outcomes, positives: positives),
            bandCount: bandCount)
    }

    /// From probabilities ranked once for several metrics.
    /// - Precondition: `bandCount >= 1`, at least `bandCount` leads and one won lead.
    init(ranked: RankedOutcomes, bandCount: Int = 10) {
        let n = ranked.count
        let positives = ranked.positives
        let overallRate = Double(positives) / Double(n)
        let sizes = ScoredOutcomes.splitSizes(count: n, groups: bandCount)
        var bands: [ScoreBand] = []
        bands.reserveCapacity(bandCount)
        // Running state of the band being filled, in descending stable order.
        var taken = 0
        var capturedPositives = 0
        var bandPositives = 0
        var sum = 0.0
        var filled = 0
        var highest = 0.0
        ranked.forEachDescending { k in
            let p = ranked.scores[k]
            if filled == 0 { highest = p }
            sum += p
            if ranked.won[k] { bandPositives += 1 }
            filled += 1
            let size = sizes[bands.count]
            guard filled == size else { return }
            taken += size
            capturedPositives += bandPositives
            let rate = Double(bandPositives) / Double(size)
            bands.append(
                ScoreBand(
                    band: bands.count + 1, count: size, positives: bandPositives,
                    meanPredicted: sum / Double(size),
                    minimumPredicted: p,
                    maximumPredicted: highest,
                    observedRate: rate,
                    observedRateInterval: .wilson(successes: bandPositives, trials: size),
                    lift: rate / overallRate,
                    // From integer counts, so the last band is exactly 1.
                    cumulativeGain: Double(capturedPositives) / Double(positives),
                    cumulativeShare: Double(taken) / Double(n)))
            bandPositives = 0
            sum = 0
            filled = 0
        }
        self.bands = bands
        self.count = n
        self.positives = positives
        self.overallRate = overallRate
    }
}
