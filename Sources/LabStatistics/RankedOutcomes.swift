/// Scores sorted once, ascending and stable (ties in row order), with their outcomes laid out
/// in the same order, so the rank-based metrics (AUC with DeLong, Hosmer–Lemeshow, score
/// bands) share one sort and then read memory in sequence instead of chasing row indices.
struct RankedOutcomes {
    /// The row at each ascending position.
    let order: [Int32]
    /// scores[order[k]]: the scores, ascending.
    let scores: [Double]
    /// outcomes[order[k]] == 1.
    let won: [Bool]
    /// Won leads.
    let positives: Int

    var count: Int { order.count }

    /// - Precondition: scores are finite and outcomes 0/1, one per score (checked by the
    ///   caller), with `positives` ones.
    init(scores: [Double], outcomes: [Double], positives: Int) {
        let order = ScoredOutcomes.stableOrder32(scores)
        let n = order.count
        var sorted = [Double](repeating: 0, count: n)
        var won = [Bool](repeating: false, count: n)
        order.withUnsafeBufferPointer { row in
            scores.withUnsafeBufferPointer { score in
                outcomes.withUnsafeBufferPointer { outcome in
                    sorted.withUnsafeMutableBufferPointer { sortedOut in
                        won.withUnsafeMutableBufferPointer { wonOut in
                            for k in 0..<n {
                                let r = Int(row[k])
                                sortedOut[k] = score[r]
                                wonOut[k] = outcome[r] == 1
                            }
                        }
                    }
                }
            }
        }
        self.order = order
        self.scores = sorted
        self.won = won
        self.positives = positives
    }

    /// Visits every position in descending stable order — highest score first, ties in row
    /// order — which is the ascending tie groups taken from the top, each walked forwards.
    func forEachDescending(_ body: (Int) -> Void) {
        var end = count
        while end > 0 {
            var start = end - 1
            while start > 0 && scores[start - 1] == scores[end - 1] { start -= 1 }
            for k in start..<end { body(k) }
            end = start
        }
    }
}
