/// One Hosmer–Lemeshow group: a slice of leads by ascending predicted probability.
package struct HosmerLemeshowGroup: Sendable, Equatable {
    /// Leads in the group, n_g.
    package let count: Int
    /// Observed won leads, O_g.
    package let observedPositives: Int
    /// Expected won leads, E_g = Σ p over the group.
    package let expectedPositives: Double
    /// Lowest predicted probability in the group.
    package let minimumPredicted: Double
    /// Highest predicted probability in the group.
    package let maximumPredicted: Double

    /// E_g / n_g.
    package var meanPredicted: Double { expectedPositives / Double(count) }
    /// O_g / n_g.
    package var observedRate: Double { Double(observedPositives) / Double(count) }
}

/// The Hosmer–Lemeshow goodness-of-fit test.
///
/// Leads are sorted by predicted p (a stable sort: ties keep row order) and cut into g
/// groups sized as `numpy.array_split` does (the first n mod g groups get one extra lead).
/// Statistic = Σ over groups and both classes (O − E)²/E = Σ_g (O_g − E_g)² / (E_g (1 − E_g/n_g)),
/// referred to χ² with g − 2 degrees of freedom. Probabilities are clipped to
/// [1e−15, 1 − 1e−15] (``ProbabilityScores/logLossClip``) when summing E, so a group the
/// model calls certain but that holds the other outcome gives a huge finite statistic
/// rather than a division by zero; inside that range nothing changes.
package struct HosmerLemeshowTest: Sendable, Equatable {
    /// The χ² statistic, ≥ 0.
    package let statistic: Double
    /// g − 2.
    package let degreesOfFreedom: Int
    /// P(χ²_df > statistic); small values reject calibration.
    package let pValue: Double
    /// The groups, from the lowest predicted probabilities to the highest.
    package let groups: [HosmerLemeshowGroup]

    /// Runs the test with `groupCount` groups (10 by convention).
    /// - Throws: ``MetricsError`` for empty or mismatched input, outcomes other than 0/1,
    ///   probabilities that are not finite numbers in [0, 1], or fewer leads than groups.
    /// - Precondition: `groupCount >= 3` (so that df ≥ 1).
    package init(probabilities: [Double], outcomes: [Double], groupCount: Int = 10) throws(MetricsError) {
        precondition(groupCount >= 3, "HosmerLemeshowTest: groupCount \(groupCount) must be ≥ 3")
        _ = try ScoredOutcomes.checkProbabilities(probabilities, outcomes: outcomes)
        guard probabilities.count >= groupCount else {
            throw .tooFewRows(
                count: probabilities.count, minimum: groupCount,
                purpose: "\(groupCount) Hosmer–Lemeshow groups")
        }
        let positives = outcomes.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        self.init(
            ranked: RankedOutcomes(scores: probabilities, outcomes: outcomes, positives: positives),
            groupCount: groupCount)
    }

    /// From probabilities ranked once for several metrics.
    /// - Precondition: `groupCount >= 3` and at least `groupCount` leads.
    init(ranked: RankedOutcomes, groupCount: Int = 10) {
        var groups: [HosmerLemeshowGroup] = []
        var statistic = 0.0
        var start = 0
        for size in ScoredOutcomes.splitSizes(count: ranked.count, groups: groupCount) {
            let positions = start..<(start + size)
            start += size
            var observed = 0
            var expected = 0.0
            for k in positions {
                expected += ProbabilityScores.clip(ranked.scores[k])
                if ranked.won[k] { observed += 1 }
            }
            let n = Double(size)
            let o = Double(observed)
            // Won and lost terms; (O₀ − E₀)² = (O₁ − E₁)² since both pairs sum to n_g.
            // The floors only matter if rounding in the sum eats the clip's margin.
            let floor = n * ProbabilityScores.logLossClip
            statistic += (o - expected) * (o - expected) / max(expected, floor)
            statistic += (o - expected) * (o - expected) / max(n - expected, floor)
            groups.append(
                HosmerLemeshowGroup(
                    count: size, observedPositives: observed, expectedPositives: expected,
                    minimumPredicted: ranked.scores[positions.first ?? 0],
                    maximumPredicted: ranked.scores[positions.last ?? 0]))
        }
        self.statistic = statistic
        self.degreesOfFreedom = groupCount - 2
        self.pValue = ChiSquareDistribution.survival(statistic, degreesOfFreedom: Double(groupCount - 2))
        self.groups = groups
    }
}
