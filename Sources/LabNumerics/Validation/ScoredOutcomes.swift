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
        if scores.count < 2_048 {
            // Swift's sort is not guaranteed stable, so break ties by index explicitly.
            return (0..<scores.count).sorted { i, j in
                let a = scores[i], b = scores[j]
                if a != b { return descending ? a > b : a < b }
                return i < j
            }
        }
        return radixOrder(scores, descending: descending)
    }

    /// The same order by a least-significant-digit radix sort (4 passes of 16 bits) of keys
    /// whose unsigned order is the numeric order of finite Doubles: sign bit flipped for
    /// non-negative values, all bits flipped for negative ones, −0 taken as +0 (they compare
    /// equal), complemented for descending. Each pass is stable, so ties keep row order.
    static func radixOrder(_ scores: [Double], descending: Bool) -> [Int] {
        let n = scores.count
        var keys = [UInt64](repeating: 0, count: n)
        var order = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let value = scores[i] == 0 ? 0.0 : scores[i]
            let bits = value.bitPattern
            let key = bits >> 63 == 0 ? bits | (1 << 63) : ~bits
            keys[i] = descending ? ~key : key
            order[i] = Int32(i)
        }
        var keysOut = keys
        var orderOut = order
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(16 * pass)
            counts.withUnsafeMutableBufferPointer { count in
                count.update(repeating: 0)
                for key in keys { count[Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)] += 1 }
                if count[Int(truncatingIfNeeded: (keys[0] >> shift) & 0xFFFF)] == n { return }  // one digit value: skip
                var total = 0
                for digit in 0..<(1 << 16) {
                    let c = count[digit]
                    count[digit] = total
                    total += c
                }
                for i in 0..<n {
                    let digit = Int(truncatingIfNeeded: (keys[i] >> shift) & 0xFFFF)
                    let target = count[digit]
                    count[digit] = target + 1
                    keysOut[target] = keys[i]
                    orderOut[target] = order[i]
                }
                swap(&keys, &keysOut)
                swap(&order, &orderOut)
            }
        }
        return order.map { Int($0) }
    }
}
