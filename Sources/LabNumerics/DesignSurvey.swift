/// What a streaming fit learns from one pass before iterating, none of it depending on β:
/// the row and outcome totals the start point and ℓ₀ need, the checks the in-memory fit makes
/// on its arrays (binary outcomes, valid weights, finite values, first offender in row
/// order), and per column the `Σ cᵢ xᵢⱼ²` and 0/1 counts the separation check needs.
struct DesignSurvey {
    let columns: Int
    var rows = 0
    /// Σ cᵢ yᵢ, Σ cᵢ, rows with cᵢ > 0.
    var won = 0.0
    var totalWeight = 0.0
    var effectiveRows = 0
    /// The first bad outcome, weight or design value, as the in-memory fit would name it.
    var firstRowError: FitError?
    var firstNonFinite: FitError?
    var sumSquares: [Double]
    var ones: [Double]
    var wonOnes: [Double]
    var binary: [Bool]

    init(columns: Int) {
        self.columns = columns
        sumSquares = [Double](repeating: 0, count: columns)
        ones = sumSquares
        wonOnes = sumSquares
        binary = [Bool](repeating: true, count: columns)
    }

    mutating func add(_ block: DesignBlockView, names: [String]) {
        let m = block.rows
        for i in 0..<m {
            let y = block.outcomes[i]
            let c = block.weights?[i] ?? 1
            if firstRowError == nil {
                if !(y == 0 || y == 1) {
                    firstRowError = .nonBinaryOutcome(row: rows + i, value: y)
                } else if !(c >= 0 && c.isFinite) {
                    firstRowError = .invalidWeight(row: rows + i, value: c)
                }
            }
            won += c * y
            totalWeight += c
            if c > 0 { effectiveRows += 1 }
        }
        for j in 0..<columns {
            let column = block.values + j * m
            var squares = 0.0, count = 0.0, countWon = 0.0
            var isBinary = binary[j]
            for i in 0..<m {
                let v = column[i]
                let c = block.weights?[i] ?? 1
                squares += c * v * v
                if v == 1 {
                    count += c
                    countWon += c * block.outcomes[i]
                } else if v != 0 {
                    isBinary = false
                    if firstNonFinite == nil, !v.isFinite {
                        firstNonFinite = .nonFiniteValue(row: rows + i, term: names[j], value: v)
                    }
                }
            }
            sumSquares[j] += squares
            ones[j] += count
            wonOnes[j] += countWon
            binary[j] = isBinary
        }
        rows += m
    }

    /// `√(Σ cᵢ xᵢⱼ² / Σ cᵢ)`.
    func rootMeanSquare(_ j: Int) -> Double { (sumSquares[j] / totalWeight).squareRoot() }

    /// Weighted rows with xᵢⱼ = 1 and won among them, when column j holds only 0 and 1.
    func indicatorCounts(_ j: Int) -> (ones: Double, won: Double)? { binary[j] ? (ones[j], wonOnes[j]) : nil }
}
