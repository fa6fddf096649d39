extension ConfidenceInterval {
    /// The Wilson score interval for a proportion k/n: the default interval for band and
    /// stage conversion rates.
    ///
    /// With p̂ = k/n: centre = (p̂ + z²/2n) / (1 + z²/n), half-width =
    /// z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²). Unlike the Wald interval it stays inside
    /// [0, 1] and is not degenerate at k = 0 or k = n (the bound at the observed edge is
    /// then exactly 0 or 1). z defaults to 1.959963984540054 (95 %).
    /// - Precondition: `trials > 0`, `0 <= successes <= trials`, `z > 0`.
    package static func wilson(successes: Int, trials: Int, z: Double = NormalDistribution.z95) -> ConfidenceInterval {
        precondition(trials > 0, "Wilson interval: trials = \(trials) must be > 0")
        precondition(
            successes >= 0 && successes <= trials,
            "Wilson interval: successes = \(successes) outside 0...\(trials)")
        precondition(z > 0 && z.isFinite, "Wilson interval: z = \(z) must be finite and > 0")
        let n = Double(trials)
        let rate = Double(successes) / n
        let z2 = z * z
        let scale = 1 + z2 / n
        let centre = (rate + z2 / (2 * n)) / scale
        let halfWidth = z / scale * (rate * (1 - rate) / n + z2 / (4 * n * n)).squareRoot()
        // Rounding can push a bound a hair past the observed rate or out of [0, 1]; the
        // exact interval always contains k/n, so clamp to keep that guarantee.
        let lower = successes == 0 ? 0 : max(0, min(rate, centre - halfWidth))
        let upper = successes == trials ? 1 : min(1, max(rate, centre + halfWidth))
        return ConfidenceInterval(lower: lower, upper: upper)
    }
}
