import Foundation

/// The simulator's seeded random stream: SplitMix64 (Steele, Lea & Flood 2014), so a seed gives
/// the same draws on every platform and the log is byte-identical for the same inputs.
struct SimulationRandom {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1) with 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Exponential with the given mean.
    mutating func exponential(mean: Double) -> Double { -log(1 - uniform()) * mean }

    /// Uniform on 0..<n (n ≥ 1).
    mutating func index(below n: Int) -> Int {
        precondition(n >= 1, "an index below a positive count")
        return min(n - 1, Int(uniform() * Double(n)))  // total: uniform() ∈ [0, 1), n ≥ 1
    }

    /// One of `items`, uniformly.
    mutating func pick<T>(_ items: [T]) -> T {
        precondition(!items.isEmpty, "pick from a non-empty list")
        return items[min(items.count - 1, Int(uniform() * Double(items.count)))]  // total: uniform() ∈ [0, 1)
    }

    /// An index drawn with probability proportional to `weights` (all ≥ 0, sum > 0).
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "weights must have a positive sum")
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }
}
