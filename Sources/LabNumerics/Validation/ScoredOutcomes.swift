/// Input checks shared by every metric, so each reports the same typed errors.
enum ScoredOutcomes {
    /// Checks lengths, non-emptiness and that outcomes are 0/1; returns the number of
    /// positives (outcome 1).
    static func checkOutcomes(_ outcomes: [Double], scoreCount: Int) throws(MetricsError) -> Int {
        guard scoreCount == outcomes.count else {
            throw .lengthMismatch(scores: scoreCount, outcomes: outcomes.count)
        }
        guard !outcomes.isEmpty else { throw .emptyInput }
        var positives = 0
        for (index, value) in outcomes.enumerated() {
            if value == 1 {
                positives += 1
            } else if value != 0 {
                throw .invalidOutcome(index: index, value: value)
            }
        }
        return positives
    }

    /// Checks that every probability is finite and in [0, 1].
    static func checkProbabilities(_ probabilities: [Double]) throws(MetricsError) {
        for (index, p) in probabilities.enumerated() where !(p >= 0 && p <= 1) {
            throw .invalidProbability(index: index, value: p)
        }
    }

    /// Checks that every score is finite.
    static func checkScores(_ scores: [Double]) throws(MetricsError) {
        for (index, s) in scores.enumerated() where !s.isFinite {
            throw .nonFiniteScore(index: index, value: s)
        }
    }

    /// Throws when all outcomes are the same class.
    static func requireBothClasses(positives: Int, count: Int) throws(MetricsError) {
        if positives == 0 { throw .singleOutcomeClass(outcome: 0, count: count) }
        if positives == count { throw .singleOutcomeClass(outcome: 1, count: count) }
    }

    /// Checks probabilities against outcomes; returns the number of positives.
    static func checkProbabilities(_ probabilities: [Double], outcomes: [Double]) throws(MetricsError) -> Int {
        let positives = try checkOutcomes(outcomes, scoreCount: probabilities.count)
        try checkProbabilities(probabilities)
        return positives
    }

    /// Group sizes as `numpy.array_split(range(count), groups)` makes them: the first
    /// `count % groups` groups get one extra row.
    static func splitSizes(count: Int, groups: Int) -> [Int] {
        let base = count / groups
        let extra = count % groups
        return (0..<groups).map { base + ($0 < extra ? 1 : 0) }
    }

    /// Row indices ordered by score, ties kept in row order (a stable sort).
    static func stableOrder(_ scores: [Double], descending: Bool = false) -> [Int] {
        // Swift's sort is not guaranteed stable, so break ties by index explicitly.
        (0..<scores.count).sorted { i, j in
            let a = scores[i], b = scores[j]
            if a != b { return descending ? a > b : a < b }
            return i < j
        }
    }
}
