import Foundation
import TestSupport
import Testing

@testable import LabNumerics

/// Firth's penalised likelihood against an independent implementation, `firthmodels` 0.8.2
/// (PyPI; Newton–Raphson on the same penalised likelihood, profile intervals by Venzon &
/// Moolgavkar), run in the tests' venv at tight tolerances: estimates and profile
/// penalised-likelihood bounds to 1e-6, on overlapping data and on separated data (where
/// maximum likelihood has no estimate).
@Suite struct FirthRegressionTests {
    /// n rows: intercept, a 0/1 term, a continuous term; `separated` makes every row with the
    /// 0/1 term won (quasi-complete separation).
    static func data(seed: UInt64, rows: Int, separated: Bool) -> (DesignMatrix, [Double]) {
        var rng = SplitMix64(seed: seed)
        var a: [Double] = [], b: [Double] = [], y: [Double] = []
        for _ in 0..<rows {
            let flag = rng.uniform() < 0.3 ? 1.0 : 0.0
            let z = rng.uniform() * 4 - 2
            let p = 1 / (1 + exp(-(-0.5 + 1.2 * flag + 0.8 * z)))
            a.append(flag)
            b.append(z)
            y.append(separated && flag == 1 ? 1 : (rng.uniform() < p ? 1 : 0))
        }
        let ones = [Double](repeating: 1, count: rows)
        return (DesignMatrix(columns: [ones, a, b], names: ["(intercept)", "a", "b"]), y)
    }

    func reference(_ x: DesignMatrix, _ y: [Double]) async throws -> (beta: [Double], low: [Double], high: [Double]) {
        let columns = (0..<x.columns).map { x.column($0) }
        let rows = (0..<x.rows).map { i in columns.map { $0[i] } }
        let payload = try JSONSerialization.data(withJSONObject: ["X": rows, "y": y.map { Int($0) }])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("firth-\(UUID().uuidString).json")
        try payload.write(to: file)
        let script = """
            import json, sys
            import numpy as np
            from firthmodels import FirthLogisticRegression
            p = json.load(open(sys.argv[1]))
            X, y = np.array(p["X"], dtype=float), np.array(p["y"])
            m = FirthLogisticRegression(backend="numpy", fit_intercept=False, max_iter=500, gtol=1e-9, xtol=1e-9).fit(X, y)
            ci = m.conf_int(method="pl", tol=1e-11, max_iter=500)
            print(json.dumps({"beta": [float(v) for v in m.coef_], "low": [float(v) for v in ci[:, 0]],
                              "high": [float(v) for v in ci[:, 1]], "converged": bool(m.converged_)}))
            """
        let output = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["firthmodels"])
            return try PythonTooling.run(python.path, ["-c", script, file.path])
        }
        try #require(output.status == 0, "firthmodels: \(output.output)")
        let line = try #require(output.output.split(separator: "\n").last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["converged"] as? Bool == true)
        return (object["beta"] as? [Double] ?? [], object["low"] as? [Double] ?? [], object["high"] as? [Double] ?? [])
    }

    @Test(arguments: [false, true])
    func matchesFirthmodels(separated: Bool) async throws {
        let (x, y) = Self.data(seed: separated ? 9 : 4, rows: 80, separated: separated)
        if separated {
            // Maximum likelihood has no estimate here: the plain fit names the separated term.
            #expect(throws: FitError.self) { try LogisticRegression.fit(x, outcomes: y) }
        }
        let fit = try FirthRegression.fit(x, outcomes: y)
        #expect(fit.converged)
        let expected = try await reference(x, y)
        try #require(expected.beta.count == 3 && expected.low.count == 3 && expected.high.count == 3)
        for j in 0..<3 {
            #expect(isClose(fit.coefficients[j], expected.beta[j], mixed: 1e-6), "\(x.names[j]): \(fit.coefficients[j]) vs \(expected.beta[j])")
            #expect(isClose(fit.profileLow[j], expected.low[j], mixed: 1e-6), "\(x.names[j]) low: \(fit.profileLow[j]) vs \(expected.low[j])")
            #expect(isClose(fit.profileHigh[j], expected.high[j], mixed: 1e-6), "\(x.names[j]) high: \(fit.profileHigh[j]) vs \(expected.high[j])")
            #expect(fit.profileLow[j] < fit.coefficients[j] && fit.coefficients[j] < fit.profileHigh[j])
        }
        let finite = fit.coefficients.allSatisfy { $0.isFinite }
        #expect(finite)
    }

    /// firthmodels' documented example (its docstring prints 3.89181893 at its default 1e-4
    /// tolerances): x = 1 predicts y = 1 perfectly in a 2×2 table of 3/0/0/3. For one binary
    /// term Firth's estimate is the log odds ratio with ½ added to every cell, ln(3.5²/0.5²) = ln 49,
    /// and the intercept ln(0.5/3.5).
    @Test func documentedSeparatedExample() throws {
        let x = DesignMatrix(columns: [[1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1]], names: ["(intercept)", "x"])
        let fit = try FirthRegression.fit(x, outcomes: [0, 0, 0, 1, 1, 1], profile: false)
        #expect(isClose(fit.coefficients[1], log(49), mixed: 1e-10), "\(fit.coefficients)")
        #expect(isClose(fit.coefficients[0], log(0.5 / 3.5), mixed: 1e-10), "\(fit.coefficients)")
        #expect(isClose(fit.coefficients[1], 3.89181893, mixed: 1e-5))
    }

    @Test func rankDeficientDesignSaysWhatToRemove() throws {
        let (x, y) = Self.data(seed: 4, rows: 40, separated: false)
        let duplicate = DesignMatrix(columns: [x.column(0), x.column(1), x.column(2), x.column(1)], names: ["(intercept)", "a", "b", "a2"])
        let error = try #require(throws: FitError.self) { try FirthRegression.fit(duplicate, outcomes: y) }
        guard case .firthRankDeficient = error else {
            Issue.record("got \(error)")
            return
        }
        #expect(error.description.contains("a2 duplicates a") && error.description.contains("Remove the named term"), "\(error)")
    }
}
