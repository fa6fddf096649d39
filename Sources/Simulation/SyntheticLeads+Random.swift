#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// xoshiro256** (Blackman & Vigna 2018), seeded by running SplitMix64 from a 64-bit seed as the
/// authors recommend. Pure integer arithmetic, so every platform produces the same stream.
struct Xoshiro256StarStar: RandomNumberGenerator {
    private var s0, s1, s2, s3: UInt64

    /// The stream for `seed`; `stream` selects an independent-looking sub-stream (one per block),
    /// mixed in through SplitMix64 so nearby seeds and blocks do not give correlated states.
    init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(state: seed)
        let base = mixer.next()
        var splitmix = SplitMix64(state: base ^ (stream &* 0xd1b5_4a32_d192_ed03))
        s0 = splitmix.next()
        s1 = splitmix.next()
        s2 = splitmix.next()
        s3 = splitmix.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is the one fixed point
    }

    /// A raw state, for checking against the reference implementation.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in (0, 1): safe to take the logarithm of.
    @inline(__always)
    mutating func uniformPositive() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }
}

/// SplitMix64 (Steele, Lea & Flood 2014): used only to expand seeds.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The samplers the generator needs, on top of one xoshiro stream.
struct SyntheticSampler {
    var generator: Xoshiro256StarStar
    private var spareNormal: Double?

    init(seed: UInt64, stream: UInt64) {
        generator = Xoshiro256StarStar(seed: seed, stream: stream)
    }

    mutating func uniform() -> Double { generator.uniform() }

    /// Standard normal by Marsaglia's polar method (two variates per accepted pair; the second is kept).
    mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * generator.uniform() - 1
            let v = 2 * generator.uniform() - 1
            let s = u * u + v * v
            if s > 0, s < 1 {
                let scale = (-2 * log(s) / s).squareRoot()
                spareNormal = v * scale
                return u * scale
            }
        }
    }

    /// Gamma(shape, scale) by Marsaglia & Tsang (2000); for shape < 1 the boost
    /// `Gamma(shape + 1) · U^(1/shape)`. Mean `shape · scale`.
    /// - Precondition: shape > 0, scale > 0.
    mutating func gamma(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0, "gamma needs a positive shape and scale")
        if shape < 1 {
            let boost = pow(generator.uniformPositive(), 1 / shape)
            return gamma(shape: shape + 1, scale: scale) * boost
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = generator.uniformPositive()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v * scale }
            if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v * scale }
        }
    }

    /// Poisson(λ): inversion by sequential search for λ < 10, else Hörmann's PTRS (1993),
    /// the transformed rejection method with squeeze.
    /// - Precondition: λ ≥ 0 and finite.
    mutating func poisson(_ lambda: Double) -> Int {
        precondition(lambda >= 0 && lambda.isFinite, "poisson needs a finite λ ≥ 0")
        if lambda == 0 { return 0 }
        if lambda < 10 {
            var probability = exp(-lambda)
            var cumulative = probability
            let u = generator.uniform()
            var k = 0
            // The cap only guards against rounding leaving u above the last partial sum.
            while u > cumulative, k < 1000 {
                k += 1
                probability *= lambda / Double(k)
                cumulative += probability
            }
            return k
        }
        let rootLambda = lambda.squareRoot()
        let logLambda = log(lambda)
        let b = 0.931 + 2.53 * rootLambda
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = generator.uniform() - 0.5
            let v = generator.uniformPositive()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
            if us >= 0.07, v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(inverseAlpha) - log(a / (us * us) + b) <= -lambda + k * logLambda - lgamma(k + 1) {
                return Int(k)
            }
        }
    }
}
