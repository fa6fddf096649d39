import LabStatistics
import TestSupport
import Testing

/// Reference values from mpmath 1.3.0 at 40–60 digits (`mpmath.ncdf`, `findroot` on ncdf
/// for quantiles, `gammainc(a, x, inf, regularized=True)` for Q), printed to 17 digits;
/// they agree with scipy 1.x `stats.norm` / `stats.chi2` / `special.gammaincc` to ~1e−15.
@Suite("Distributions: normal, chi-square, incomplete gamma")
struct DistributionTests {
    @Test(arguments: [
        (-30.0, 4.9067139271481871e-198),
        (-10.0, 7.6198530241605261e-24),
        (-3.0, 0.0013498980316300945),
        (-0.5, 0.3085375387259869),
        (0.0, 0.5),
        (0.3, 0.61791142218895263),
        (1.0, 0.84134474606854295),
        (2.5, 0.99379033467422386),
        (8.0, 0.99999999999999938),
    ])
    func normalCDF(x: Double, expected: Double) {
        #expect(isClose(NormalDistribution.cdf(x), expected, relative: 1e-14), "Φ(\(x)) = \(NormalDistribution.cdf(x))")
        #expect(isClose(NormalDistribution.survival(-x), expected, relative: 1e-14))
    }

    @Test(arguments: [
        (1e-300, -37.047096299361199),
        (1e-20, -9.2623400897984076),
        (1e-10, -6.3613409024040562),
        (0.001, -3.0902323061678135),
        (0.02425, -1.9729610513118849),  // Acklam's region boundary
        (0.025, -1.9599639845400542),
        (0.1, -1.2815515655446005),
        (0.3, -0.52440051270804078),
        (0.7, 0.52440051270804078),
        (0.975, 1.9599639845400542),
        (0.999, 3.0902323061678135),
    ])
    func normalQuantile(p: Double, expected: Double) {
        let x = NormalDistribution.quantile(p)
        #expect(isClose(x, expected, relative: 2e-15), "Φ⁻¹(\(p)) = \(x)")
    }

    @Test func normalQuantileEdgesAndRoundTrip() {
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(0.5) == 0)
        #expect(isClose(NormalDistribution.quantile(0.975), NormalDistribution.z95, relative: 1e-15))
        var p = 1e-12
        while p < 1 {
            let x = NormalDistribution.quantile(p)
            #expect(isClose(NormalDistribution.cdf(x), p, relative: 1e-13), "round trip at p = \(p)")
            p *= 1.7
        }
    }

    @Test(arguments: [
        (5.669632110791321, 8.0, 0.684182382633707),
        (0.5, 1.0, 0.47950012218695346),
        (20.0, 8.0, 0.010336050675925718),
        (0.001, 2.0, 0.99950012497916927),
        (100.0, 50.0, 3.4549313829848639e-5),
        (150.0, 100.0, 0.00090393204235400909),
        (400.0, 300.0, 9.6786219949335771e-5),
        (60.0, 3.0, 5.8782307279069123e-13),
        (2.0, 30.0, 0.9999999999997),
        (0.01, 10.0, 0.99999999999997407),
    ])
    func chiSquareSurvival(x: Double, df: Double, expected: Double) {
        let value = ChiSquareDistribution.survival(x, degreesOfFreedom: df)
        #expect(isClose(value, expected, relative: 1e-12), "χ²(\(df)) sf(\(x)) = \(value)")
    }

    @Test func chiSquareLowerTailKeepsRelativePrecision() {
        // P(χ²₁₀ ≤ 0.01) and P(χ²₃₀ ≤ 2): 1 − sf would lose every digit here.
        #expect(isClose(ChiSquareDistribution.cdf(0.01, degreesOfFreedom: 10), 2.5933391898395397e-14, relative: 1e-12))
        #expect(isClose(ChiSquareDistribution.cdf(2.0, degreesOfFreedom: 30), 3.0000106665252021e-13, relative: 1e-12))
        #expect(ChiSquareDistribution.survival(0, degreesOfFreedom: 4) == 1)
        #expect(ChiSquareDistribution.survival(.infinity, degreesOfFreedom: 4) == 0)
        // χ²₂ has the closed form sf(x) = e^(−x/2).
        for x in stride(from: 0.1, through: 60, by: 0.7) {
            #expect(isClose(ChiSquareDistribution.survival(x, degreesOfFreedom: 2), exp(-x / 2), relative: 1e-13))
        }
    }

    @Test(arguments: [
        (0.5, 0.1, 0.65472084601857702),
        (10.0, 3.0, 0.99889751186988452),
        (2.5, 50.0, 5.2851483609432401e-20),
    ])
    func regularizedUpperGamma(a: Double, x: Double, expected: Double) {
        #expect(isClose(IncompleteGamma.regularizedUpper(a: a, x: x), expected, relative: 1e-13))
        #expect(
            isClose(
                IncompleteGamma.regularizedLower(a: a, x: x) + IncompleteGamma.regularizedUpper(a: a, x: x),
                1, absolute: 1e-15))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
