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
        stableOrder32(scores, descending: descending).map { Int($0) }
    }

    /// ``stableOrder(_:descending:)`` as 32-bit row indices (half the memory traffic of `Int`).
    /// - Precondition: fewer than 2³¹ scores.
    static func stableOrder32(_ scores: [Double], descending: Bool = false) -> [Int32] {
        precondition(scores.count < Int(Int32.max), "ScoredOutcomes: \(scores.count) scores exceed 32-bit row indices")
        if scores.count < 2_048 {
            // Swift's sort is not guaranteed stable, so break ties by index explicitly.
            return (0..<Int32(scores.count)).sorted { i, j in
                let a = scores[Int(i)], b = scores[Int(j)]
                if a != b { return descending ? a > b : a < b }
                return i < j
            }
        }
        return radixOrder32(scores, descending: descending)
    }

    /// The same order by a least-significant-digit radix sort.
    static func radixOrder(_ scores: [Double], descending: Bool) -> [Int] {
        radixOrder32(scores, descending: descending).map { Int($0) }
    }

    /// The radix sort behind ``stableOrder32(_:descending:)``: 5 passes of 13 bits over keys
    /// whose unsigned order is the numeric order of finite Doubles: sign bit flipped for
    /// non-negative values, all bits flipped for negative ones, −0 taken as +0 (they compare
    /// equal), complemented for descending. Each pass is stable, so ties keep row order.
    /// 13-bit digits keep each pass's 8,192 counters in L1 and its scatter targets few enough
    /// to stay cached (16-bit digits made every scatter a cache miss: a third slower at 10⁶
    /// rows). All five histograms come from one read of the keys, and a pass whose digit is
    /// the same for every key is skipped.
    static func radixOrder32(_ scores: [Double], descending: Bool) -> [Int32] {
        let n = scores.count
        guard n > 0 else { return [] }
        let digitBits = 13, passes = 5  // 65 ≥ 64 bits
        let digitCount = 1 << digitBits
        let mask = UInt64(digitCount - 1)
        let flip: UInt64 = descending ? ~0 : 0
        var keys = [UInt64](repeating: 0, count: n)
        var keysOut = [UInt64](repeating: 0, count: n)
        var order = [Int32](repeating: 0, count: n)
        var orderOut = [Int32](repeating: 0, count: n)
        var counts = [Int32](repeating: 0, count: passes * digitCount)
        counts.withUnsafeMutableBufferPointer { count in
            keys.withUnsafeMutableBufferPointer { key in
                order.withUnsafeMutableBufferPointer { row in
                    scores.withUnsafeBufferPointer { score in
                        for i in 0..<n {
                            let value = score[i] == 0 ? 0.0 : score[i]
                            let bits = value.bitPattern
                            let k = (bits >> 63 == 0 ? bits | (1 << 63) : ~bits) ^ flip
                            key[i] = k
                            row[i] = Int32(truncatingIfNeeded: i)
                            for pass in 0..<passes {
                                let digit = Int(truncatingIfNeeded: (k >> UInt64(pass * digitBits)) & mask)  // total: an integer shift count
                                count[pass * digitCount + digit] += 1
                            }
                        }
                    }
                }
            }
        }
        for pass in 0..<passes {
            let shift = UInt64(digitBits * pass)  // total: an integer shift count
            let skip = counts.withUnsafeMutableBufferPointer { all -> Bool in
                let count = UnsafeMutableBufferPointer(rebasing: all[(pass * digitCount)..<((pass + 1) * digitCount)])
                if Int(count[Int(truncatingIfNeeded: (keys[0] >> shift) & mask)]) == n { return true }
                var total: Int32 = 0
                for digit in 0..<digitCount {
                    let c = count[digit]
                    count[digit] = total
                    total += c
                }
                keys.withUnsafeBufferPointer { keyIn in
                    order.withUnsafeBufferPointer { rowIn in
                        keysOut.withUnsafeMutableBufferPointer { keyOut in
                            orderOut.withUnsafeMutableBufferPointer { rowOut in
                                for i in 0..<n {
                                    let k = keyIn[i]
                                    let digit = Int(truncatingIfNeeded: (k >> shift) & mask)
                                    let target = Int(count[digit])
                                    count[digit] = Int32(truncatingIfNeeded: target + 1)
                                    keyOut[target] = k
                                    rowOut[target] = rowIn[i]
                                }
                            }
                        }
                    }
                }
                return false
            }
            if !skip {
                swap(&keys, &keysOut)
                swap(&order, &orderOut)
            }
        }
        return order
    }
}
