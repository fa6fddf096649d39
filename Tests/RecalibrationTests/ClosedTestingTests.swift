import Foundation
import LabStatistics
import TestSupport
import Testing

@testable import Recalibration

/// Closed testing (Vergouwe et al. 2017) against statsmodels: the intercept update as an offset
/// GLM, logistic recalibration as a one-covariate logit, the revision as a full logit, and the
/// likelihood-ratio statistics and p-values (scipy's χ² survival) from their log-likelihoods.
@Suite struct ClosedTestingTests {
    /// n leads with three covariates; the original model's linear predictor uses the development
    /// coefficients, the outcomes come from `truth` (intercept, x1, x2, x3).
    static func fixture(n: Int, seed: UInt64, truth: [Double]) -> (x: [[Double]], lp: [Double], y: [Double]) {
        var random = SplitMix64(seed: seed)
        func u() -> Double { Double(random.next() >> 11) * 0x1.0p-53 }
        let original = [-1.0, 0.8, -0.5, 0.6]
        var x: [[Double]] = [], lp: [Double] = [], y: [Double] = []
        for _ in 0..<n {
            let row = [(u() + u() + u() - 1.5) * 2, u() * 3, u() < 0.4 ? 1.0 : 0.0]
            let eta = { (b: [Double]) in b[0] + b[1] * row[0] + b[2] * row[1] + b[3] * row[2] }
            x.append(row)
            lp.append(eta(original))
            y.append(u() < 1 / (1 + exp(-eta(truth))) ? 1 : 0)
        }
        return (x, lp, y)
    }

    static let script = """
        import json, sys
        import numpy as np
        import statsmodels.api as sm
        from scipy.stats import chi2
        d = json.loads(sys.argv[1])
        x, lp, y = np.array(d["x"]), np.array(d["lp"]), np.array(d["y"])
        ones = np.ones((len(y), 1))
        b = sm.GLM(y, ones, family=sm.families.Binomial(), offset=lp).fit(tol=1e-14)
        c = sm.Logit(y, sm.add_constant(lp)).fit(disp=0, tol=1e-14, maxiter=200)
        r = sm.Logit(y, sm.add_constant(x)).fit(disp=0, tol=1e-14, maxiter=200)
        la = float(np.sum(y * lp - np.logaddexp(0, lp)))
        k = r.params.size
        out = {"alpha_b": float(b.params[0]), "se_b": float(b.bse[0]), "ll_b": float(b.llf),
               "alpha_c": float(c.params[0]), "beta_c": float(c.params[1]), "se_alpha_c": float(c.bse[0]), "se_beta_c": float(c.bse[1]),
               "ll_c": float(c.llf), "ll_a": la, "ll_d": float(r.llf), "revised": list(map(float, r.fittedvalues)), "k": int(k)}
        for name, ll, p in (("a", la, 0), ("b", b.llf, 1), ("c", c.llf, 2)):
            lr = 2 * (r.llf - ll)
            out["lr_" + name] = float(lr)
            out["p_" + name] = float(chi2.sf(lr, k - p))
        print(json.dumps(out))
        """

    struct Reference: Decodable {
        let alpha_b, se_b, ll_b, alpha_c, beta_c, se_alpha_c, se_beta_c, ll_c, ll_a, ll_d: Double
        let lr_a, lr_b, lr_c, p_a, p_b, p_c: Double
        let revised: [Double]
        let k: Int
    }

    /// Three update data sets: the original model still right, a shifted intercept, and changed effects.
    @Test(arguments: [
        (UInt64(11), [-1.0, 0.8, -0.5, 0.6]),
        (UInt64(12), [-0.2, 0.8, -0.5, 0.6]),
        (UInt64(13), [-0.6, 0.2, -0.5, 1.5]),
    ])
    func agreesWithStatsmodels(seed: UInt64, truth: [Double]) async throws {
        let data = Self.fixture(n: 800, seed: seed, truth: truth)
        let text = String(
            decoding: try JSONSerialization.data(withJSONObject: ["x": data.x, "lp": data.lp, "y": data.y]), as: UTF8.self)
        let output = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["statsmodels"])
            return try PythonTooling.run(python.path, ["-c", Self.script, text])
        }
        try #require(output.status == 0, "statsmodels: \(output.output)")
        let line = try #require(output.output.split(separator: "\n").last)
        let r = try JSONDecoder().decode(Reference.self, from: Data(line.utf8))

        let t = try ClosedTesting.run(original: data.lp, revised: r.revised, revisedParameters: r.k, outcomes: data.y)
        let b = try #require(t.fit(.intercept)), c = try #require(t.fit(.recalibration))
        func close(_ mine: Double?, _ theirs: Double, _ name: String) {
            #expect(isClose(mine ?? .nan, theirs, absolute: 1e-6, relative: 1e-6), "\(name): \(mine ?? .nan) vs statsmodels \(theirs)")
        }
        close(b.intercept, r.alpha_b, "α (b)")
        close(b.interceptStandardError, r.se_b, "SE α (b)")
        close(b.logLikelihood, r.ll_b, "ℓ (b)")
        close(c.intercept, r.alpha_c, "α (c)")
        close(c.slope, r.beta_c, "β (c)")
        close(c.interceptStandardError, r.se_alpha_c, "SE α (c)")
        close(c.slopeStandardError, r.se_beta_c, "SE β (c)")
        close(c.logLikelihood, r.ll_c, "ℓ (c)")
        close(t.fit(.original)?.logLikelihood, r.ll_a, "ℓ (a)")
        close(t.fit(.revision)?.logLikelihood, r.ll_d, "ℓ (d)")
        let tests = Dictionary(uniqueKeysWithValues: t.tests.map { ($0.simpler, $0) })
        for (method, lr, p) in [(ClosedTesting.Method.original, r.lr_a, r.p_a), (.intercept, r.lr_b, r.p_b), (.recalibration, r.lr_c, r.p_c)] {
            let test = try #require(tests[method])
            close(test.statistic, lr, "LR \(method.letter) vs d")
            #expect(isClose(test.pValue, p, absolute: 1e-9, relative: 1e-6), "p \(method.letter) vs d: \(test.pValue) vs \(p)")
            #expect(test.degreesOfFreedom == r.k - [0, 1, 2][ClosedTesting.Method.allCases.firstIndex(of: method) ?? 0])
        }
        // The paper's choice, read from statsmodels' p-values.
        let expected: ClosedTesting.Method =
            r.p_a >= 0.05 ? .original : r.p_b >= 0.05 ? .intercept : r.p_c >= 0.05 ? .recalibration : .revision
        #expect(t.chosen == expected)
        #expect(t.fit(.recalibration)?.aic == 4 - 2 * c.logLikelihood)
    }

    /// The three data sets make the procedure choose three different updates (so the selection
    /// logic is exercised, not just the statistics).
    @Test func eachDataSetChoosesItsUpdate() throws {
        var chosen: [ClosedTesting.Method] = []
        for (seed, truth) in [(UInt64(11), [-1.0, 0.8, -0.5, 0.6]), (12, [0.2, 0.8, -0.5, 0.6]), (13, [-0.6, 0.1, -0.5, 1.8])] {
            let data = Self.fixture(n: 3000, seed: seed, truth: truth)
            // The revision by Newton on the full design, as the lab would fit it (a small 4 × 4 solve here).
            let revised = try Self.refit(x: data.x, y: data.y)
            chosen.append(try ClosedTesting.run(original: data.lp, revised: revised, revisedParameters: 4, outcomes: data.y).chosen)
        }
        #expect(chosen == [.original, .intercept, .revision])
    }

    @Test func badInputIsNamed() {
        #expect(throws: ClosedTestingError.singleClass(count: 3)) {
            try ClosedTesting.run(original: [0, 1, 2], revised: [0, 1, 2], revisedParameters: 4, outcomes: [1, 1, 1])
        }
        #expect(throws: ClosedTestingError.tooFewTerms(parameters: 2)) {
            try ClosedTesting.run(original: [0, 1], revised: [0, 1], revisedParameters: 2, outcomes: [1, 0])
        }
        #expect(throws: ClosedTestingError.mismatched(original: 2, revised: 1, outcomes: 2)) {
            try ClosedTesting.run(original: [0, 1], revised: [0], revisedParameters: 4, outcomes: [1, 0])
        }
        #expect(throws: ClosedTestingError.nonFinitePredictor) {
            try ClosedTesting.run(original: [0, .nan], revised: [0, 1], revisedParameters: 4, outcomes: [1, 0])
        }
    }

    /// Maximum-likelihood logit with an intercept by plain Newton (Gauss–Jordan on the 4 × 4 system).
    static func refit(x: [[Double]], y: [Double]) throws -> [Double] {
        let rows = x.map { [1] + $0 }
        let p = 4
        var beta = [Double](repeating: 0, count: p)
        for _ in 0..<50 {
            var g = [Double](repeating: 0, count: p), h = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            for (row, yi) in zip(rows, y) {
                let eta = zip(row, beta).map(*).reduce(0, +)
                let pi = 1 / (1 + exp(-eta))
                for j in 0..<p {
                    g[j] += (yi - pi) * row[j]
                    for k in 0..<p { h[j][k] += pi * (1 - pi) * row[j] * row[k] }
                }
            }
            var a = h.enumerated().map { $0.element + [g[$0.offset]] }
            for col in 0..<p {
                let pivot = try #require((col..<p).max { abs(a[$0][col]) < abs(a[$1][col]) })
                a.swapAt(col, pivot)
                for r in 0..<p where r != col {
                    let f = a[r][col] / a[col][col]
                    for c in col...p { a[r][c] -= f * a[col][c] }
                }
            }
            let step = (0..<p).map { a[$0][p] / a[$0][$0] }
            beta = zip(beta, step).map(+)
            if step.map(abs).max() ?? 0 < 1e-12 { break }
        }
        return rows.map { zip($0, beta).map(*).reduce(0, +) }
    }
}
