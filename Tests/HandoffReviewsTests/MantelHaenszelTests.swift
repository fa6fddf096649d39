import Foundation
import HandoffReviews
import TestSupport
import Testing

/// The Cochran–Mantel–Haenszel analysis on tables worked by hand, its edge cases, and a
/// cross-check against statsmodels' `StratifiedTable` run in the test venv.
@Suite struct MantelHaenszelTests {
    static func stratum(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> MantelHaenszel.Stratum {
        MantelHaenszel.Stratum(exposedEvents: a, exposedNonEvents: b, unexposedEvents: c, unexposedNonEvents: d)
    }

    /// One stratum [[10, 5], [5, 10]], n = 30: ψ = (100/30)/(25/30) = 4. With one stratum the RBG
    /// variance is Woolf's 1/a + 1/b + 1/c + 1/d = 0.6. E a = 15·15/30 = 7.5, Var a = 15⁴/(30²·29),
    /// so X² = 2.5² / Var a = 29/9 and, corrected, 2² / Var a = 104400/50625; p = chi2.sf(X², 1)
    /// (scipy 1.17: 0.07264494768946277, 0.15098983600637417); interval 4·exp(∓1.959963984540054·√0.6).
    @Test func oneStratumByHand() throws {
        let plain = MantelHaenszel(strata: [Self.stratum(10, 5, 5, 10)])
        #expect(plain.strataUsed == 1 && plain.informativeStrata == 1 && plain.missingEstimate == nil && plain.missingTest == nil)
        #expect(isClose(try #require(plain.oddsRatio), 4, absolute: 0, relative: 1e-14))
        #expect(isClose(try #require(plain.logOddsRatioStandardError), 0.6.squareRoot(), absolute: 0, relative: 1e-14))
        let ci = try #require(plain.confidenceInterval)
        #expect(isClose(ci.lower, 0.8764398404042836, absolute: 0, relative: 1e-12))
        #expect(isClose(ci.upper, 18.255673991975915, absolute: 0, relative: 1e-12))
        #expect(isClose(try #require(plain.chiSquare), 29.0 / 9, absolute: 0, relative: 1e-14))
        #expect(isClose(try #require(plain.pValue), 0.07264494768946277, absolute: 0, relative: 1e-12))

        let corrected = MantelHaenszel(strata: [Self.stratum(10, 5, 5, 10)], continuityCorrection: true)
        #expect(isClose(try #require(corrected.chiSquare), 104_400.0 / 50_625, absolute: 0, relative: 1e-14))
        #expect(isClose(try #require(corrected.pValue), 0.15098983600637417, absolute: 0, relative: 1e-12))
        #expect(corrected.oddsRatio == plain.oddsRatio && corrected.confidenceInterval == plain.confidenceInterval)
    }

    /// Two copies of the stratum: the same ψ = 4, Σ(a − E a) = 5 over twice the variance, X² = 58/9;
    /// the RBG variance halves (each sum doubles): SE = √0.3.
    @Test func twoEqualStrataByHand() throws {
        let t = MantelHaenszel(strata: [Self.stratum(10, 5, 5, 10), Self.stratum(10, 5, 5, 10)])
        #expect(isClose(try #require(t.oddsRatio), 4, absolute: 0, relative: 1e-14))
        #expect(isClose(try #require(t.logOddsRatioStandardError), 0.3.squareRoot(), absolute: 0, relative: 1e-14))
        #expect(isClose(try #require(t.chiSquare), 58.0 / 9, absolute: 0, relative: 1e-14))
    }

    /// A confounder the pooled table hides: within each stratum the odds ratio is 1, though the
    /// exposed sit mostly in the high-rate stratum. ψ_MH = 1 exactly, X² = 0, p = 1.
    @Test func stratificationRemovesConfounding() throws {
        let t = MantelHaenszel(strata: [Self.stratum(40, 10, 4, 1), Self.stratum(1, 4, 10, 40)])
        #expect(isClose(try #require(t.oddsRatio), 1, absolute: 0, relative: 1e-14))
        #expect(isClose(try #require(t.chiSquare), 0, absolute: 1e-12, relative: 0))
        #expect(isClose(try #require(t.pValue), 1, absolute: 1e-12, relative: 0))
        // Pooled naively the exposed convert at 41/55 against 14/55.
        let pooled = MantelHaenszel(strata: [Self.stratum(41, 14, 14, 41)])
        #expect(try #require(pooled.oddsRatio) > 8)
    }

    /// Swapping exposed and unexposed inverts ψ and its interval and leaves the test unchanged.
    @Test(arguments: [
        [(10, 5, 5, 10)], [(3, 7, 1, 9), (12, 4, 6, 8), (0, 2, 5, 5)], [(20, 30, 10, 40), (5, 5, 2, 8), (1, 0, 0, 1)],
    ])
    func swappingRowsInvertsTheOddsRatio(tables: [(Int, Int, Int, Int)]) throws {
        let t = MantelHaenszel(strata: tables.map { Self.stratum($0.0, $0.1, $0.2, $0.3) }, continuityCorrection: true)
        let s = MantelHaenszel(strata: tables.map { Self.stratum($0.2, $0.3, $0.0, $0.1) }, continuityCorrection: true)
        let (tci, sci) = (try #require(t.confidenceInterval), try #require(s.confidenceInterval))
        #expect(isClose(try #require(t.oddsRatio) * (try #require(s.oddsRatio)), 1, absolute: 0, relative: 1e-13))
        #expect(isClose(tci.lower * sci.upper, 1, absolute: 0, relative: 1e-13) && isClose(tci.upper * sci.lower, 1, absolute: 0, relative: 1e-13))
        #expect(isClose(try #require(t.chiSquare), try #require(s.chiSquare), absolute: 0, relative: 1e-13))
    }

    /// Strata under 2 units are left out; zero cells give nil with a reason, never NaN or infinity.
    @Test func emptyAndDegenerateStrataAreSaidNotNaN() throws {
        let none = MantelHaenszel(strata: [])
        #expect(none.oddsRatio == nil && none.chiSquare == nil && none.missingEstimate != nil && none.missingTest != nil)
        let tiny = MantelHaenszel(strata: [Self.stratum(1, 0, 0, 0), Self.stratum(0, 0, 0, 0)])
        #expect(tiny.strataUsed == 0 && tiny.oddsRatio == nil && tiny.pValue == nil && tiny.missingTest == "no stratum holds 2 or more units")
        // A stratum of one unit next to a real one changes nothing.
        let withSingle = MantelHaenszel(strata: [Self.stratum(10, 5, 5, 10), Self.stratum(0, 0, 1, 0)])
        #expect(withSingle.strataUsed == 1 && withSingle.oddsRatio == MantelHaenszel(strata: [Self.stratum(10, 5, 5, 10)]).oddsRatio)
        // No exposed event: ψ would be 0; the test still has variance and runs.
        let zero = MantelHaenszel(strata: [Self.stratum(0, 10, 5, 5)])
        #expect(zero.oddsRatio == nil && zero.confidenceInterval == nil && zero.missingEstimate?.contains("would be 0") == true)
        #expect(zero.chiSquare.map { $0.isFinite && $0 > 0 } == true)
        // No unexposed event: ψ would be infinite.
        let infinite = MantelHaenszel(strata: [Self.stratum(5, 5, 0, 10)])
        #expect(infinite.oddsRatio == nil && infinite.missingEstimate?.contains("infinite") == true)
        // Only the exposed row: no comparison at all.
        let oneRow = MantelHaenszel(strata: [Self.stratum(5, 5, 0, 0), Self.stratum(3, 2, 0, 0)])
        #expect(oneRow.strataUsed == 2 && oneRow.informativeStrata == 0 && oneRow.oddsRatio == nil && oneRow.chiSquare == nil)
        #expect(oneRow.missingTest?.contains("no variance") == true)
    }

    /// statsmodels 0.15 `StratifiedTable` on the same strata (those of 2 or more units, as passed
    /// here): `oddsratio_pooled`, `oddsratio_pooled_confint()` and `test_null_odds(correction=…)`,
    /// to 1e-9 relative. statsmodels' p-value is `1 − chi2.cdf`, which loses relative precision
    /// in the far tail (the last case's p ≈ 1.3e−9 is off by 2.5e−8 relative), so p is checked
    /// to 1e-9 relative against scipy's `chi2.sf` of statsmodels' statistic and to 1e-14 absolute
    /// against statsmodels' own. Every case keeps |Σ(a − E a)| ≥ ½, where the two corrections agree.
    @Test(arguments: [
        [(10, 5, 5, 10)],
        [(12, 30, 8, 50), (20, 25, 9, 31), (4, 10, 3, 14), (30, 12, 15, 11), (2, 3, 0, 6)],
        [(0, 4, 2, 9), (7, 0, 3, 3), (5, 5, 5, 5), (3, 0, 0, 0), (9, 21, 4, 30)],
        [(1, 19, 2, 18), (3, 17, 1, 19), (2, 28, 6, 24)],
        [(41, 120, 77, 402), (58, 95, 102, 310), (73, 60, 120, 198), (95, 31, 118, 72), (60, 9, 66, 21)],
    ])
    func agreesWithStatsmodels(tables: [(Int, Int, Int, Int)]) async throws {
        let strata = tables.map { Self.stratum($0.0, $0.1, $0.2, $0.3) }
        let plain = MantelHaenszel(strata: strata)
        let corrected = MantelHaenszel(strata: strata, continuityCorrection: true)
        let payload = tables.map { [[$0.0, $0.1], [$0.2, $0.3]] }
        let text = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        let script = """
            import json, sys
            import numpy as np
            from scipy.stats import chi2
            from statsmodels.stats.contingency_tables import StratifiedTable
            t = StratifiedTable([np.array(x) for x in json.loads(sys.argv[1])])
            lo, hi = t.oddsratio_pooled_confint()
            a, b = t.test_null_odds(correction=False), t.test_null_odds(correction=True)
            print(json.dumps([float(t.oddsratio_pooled), float(lo), float(hi), float(a.statistic), float(chi2.sf(a.statistic, 1)),
                              float(b.statistic), float(chi2.sf(b.statistic, 1)), float(a.pvalue), float(b.pvalue)]))
            """
        let output = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["statsmodels"])
            return try PythonTooling.run(python.path, ["-c", script, text])
        }
        try #require(output.status == 0, "statsmodels: \(output.output)")
        let line = try #require(output.output.split(separator: "\n").last)
        let reference = try JSONDecoder().decode([Double].self, from: Data(line.utf8))
        let ci = try #require(plain.confidenceInterval)
        let mine = [
            try #require(plain.oddsRatio), ci.lower, ci.upper, try #require(plain.chiSquare), try #require(plain.pValue),
            try #require(corrected.chiSquare), try #require(corrected.pValue),
        ]
        let names = ["odds ratio", "CI lower", "CI upper", "X²", "p (scipy chi2.sf)", "X² corrected", "p corrected (scipy chi2.sf)"]
        try #require(reference.count == names.count + 2)
        for (i, name) in names.enumerated() {
            #expect(isClose(mine[i], reference[i], absolute: 0, relative: 1e-9), "\(name): \(mine[i]) vs statsmodels \(reference[i])")
        }
        #expect(isClose(mine[4], reference[7], absolute: 1e-14, relative: 0) && isClose(mine[6], reference[8], absolute: 1e-14, relative: 0))
    }
}
