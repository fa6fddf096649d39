import Foundation
import LabNumerics
import TestSupport
import Testing

/// The fit against statsmodels / scikit-learn figures in `../shared/reference/synthetic/`
/// (see its README: statsmodels 0.15 Newton and scikit-learn 1.9 newton-cholesky at tol 1e-12,
/// cross-checked to ~1e-13). Tolerances are the reference README's.
@Suite struct LogisticRegressionReferenceTests {
    static let design: SyntheticReferenceDesign? = try? SyntheticReferenceDesign.load()

    func load() throws -> (DesignMatrix, [Double], SyntheticReferenceDesign) {
        let d = try #require(Self.design, "synthetic reference CSV (needs python3 + numpy)")
        let names = d.names.map { $0 == "intercept" ? "(intercept)" : $0 }
        return (DesignMatrix(rows: d.rows, columns: names.count, values: d.values, names: names), d.outcomes, d)
    }

    @Test func unpenalisedMatchesStatsmodels() throws {
        let (x, y, d) = try load()
        let fit = try LogisticRegression.fit(x, outcomes: y)
        let expected = try d.coefficients("unpenalised")
        #expect(fit.converged)
        for j in 0..<expected.count {
            #expect(isClose(fit.coefficients[j], expected[j], mixed: ReferenceTolerance.coefficient), "\(x.names[j])")
        }
        #expect(isClose(fit.logLikelihood, try d.number("unpenalised", "loglik"), relative: ReferenceTolerance.logLikelihood))
        #expect(fit.gradientNorm < 1e-6)
        #expect(fit.iterations <= 12)
    }

    @Test(arguments: [("ridge_C1", 1.0), ("ridge_C1e6", 1e-6)])
    func ridgeMatchesScikitLearn(fitName: String, lambda: Double) throws {
        let (x, y, d) = try load()
        let fit = try LogisticRegression.fit(x, outcomes: y, options: .init(penalty: lambda))
        let expected = try d.coefficients(fitName)
        for j in 0..<expected.count {
            #expect(isClose(fit.coefficients[j], expected[j], mixed: ReferenceTolerance.coefficient), "\(x.names[j])")
        }
        #expect(isClose(fit.objective, try d.number(fitName, "objective_sum_scale"), relative: 1e-9))
        #expect(isClose(fit.logLikelihood, try d.number(fitName, "loglik"), relative: ReferenceTolerance.logLikelihood))
    }

    @Test func resultDoesNotDependOnThreadsOrBlocks() throws {
        let (x, y, _) = try load()
        let one = try LogisticRegression.fit(x, outcomes: y, options: .init(threads: 1, blockRows: 10_000))
        let many = try LogisticRegression.fit(x, outcomes: y, options: .init(threads: 3, blockRows: 97))
        for j in 0..<x.columns {
            #expect(isClose(one.coefficients[j], many.coefficients[j], mixed: 1e-12))
            #expect(isClose(one.standardErrors[j], many.standardErrors[j], relative: 1e-10))
        }
    }

    @Test func frequencyWeightsEqualDuplicatedRows() throws {
        // Weight 2 on a row is the same likelihood as the row written twice.
        let (x, y, _) = try load()
        let m = 3000
        var rng = SplitMix64(seed: 7)
        let w = (0..<m).map { _ in Double(rng.next() % 3) + 1 }  // 1…3
        var duplicated: [[Double]] = Array(repeating: [], count: x.columns)
        var yd: [Double] = []
        for i in 0..<m {
            for _ in 0..<Int(w[i]) {
                for j in 0..<x.columns { duplicated[j].append(x[i, j]) }
                yd.append(y[i])
            }
        }
        var sub: [[Double]] = Array(repeating: [], count: x.columns)
        for j in 0..<x.columns { sub[j] = (0..<m).map { x[$0, j] } }
        let weighted = try LogisticRegression.fit(
            DesignMatrix(columns: sub, names: x.names), outcomes: Array(y[0..<m]),
            weights: w, options: .init(penalty: 0.5))
        let expanded = try LogisticRegression.fit(
            DesignMatrix(columns: duplicated, names: x.names), outcomes: yd,
            options: .init(penalty: 0.5))
        for j in 0..<x.columns {
            #expect(isClose(weighted.coefficients[j], expanded.coefficients[j], mixed: 1e-9))
            #expect(isClose(weighted.standardErrors[j], expanded.standardErrors[j], relative: 1e-8))
        }
        #expect(isClose(weighted.logLikelihood, expanded.logLikelihood, relative: 1e-12))
        // Frequency weights: n is Σ weights (issue 21: BIC used the 3000 rows, not the expanded count).
        #expect(weighted.totalWeight == Double(yd.count))
        #expect(isClose(weighted.bic, expanded.bic, relative: 1e-12), "\(weighted.bic) against \(expanded.bic) on the expanded rows")
        #expect(isClose(weighted.aic, expanded.aic, relative: 1e-12))
    }
}

/// Inference identities on a small problem solved by hand-independent means.
@Suite struct LogisticInferenceTests {
    @Test func interceptOnlyModelIsTheLogOdds() throws {
        // With only an intercept, β₀ = logit(k/n), SE = 1/sqrt(n p (1 − p)), ℓ = ℓ₀.
        let y: [Double] = Array(repeating: 1, count: 30) + Array(repeating: 0, count: 70)
        let x = DesignMatrix(columns: [Array(repeating: 1, count: 100)], names: ["(intercept)"])
        let fit = try LogisticRegression.fit(x, outcomes: y)
        #expect(isClose(fit.coefficients[0], log(0.3 / 0.7), relative: 1e-13))
        #expect(isClose(fit.standardErrors[0], 1 / (100 * 0.3 * 0.7).squareRoot(), relative: 1e-12))
        #expect(isClose(fit.logLikelihood, fit.nullLogLikelihood, relative: 1e-14))
        #expect(isClose(fit.mcFaddenR2, 0, absolute: 1e-14))
        #expect(isClose(fit.aic, 2 - 2 * fit.logLikelihood, relative: 1e-15))
        #expect(isClose(fit.bic, log(100.0) - 2 * fit.logLikelihood, relative: 1e-15))
    }

    @Test func twoByTwoTableHasTheClosedFormOddsRatio() throws {
        // One 0/1 term: β₁ = log odds ratio, SE = sqrt(1/a + 1/b + 1/c + 1/d) (Woolf).
        let (a, b, c, d) = (40, 60, 15, 85)  // x=1: 40 won 60 lost; x=0: 15 won 85 lost
        var x1: [Double] = [], y: [Double] = []
        for _ in 0..<a {
            x1.append(1)
            y.append(1)
        }
        for _ in 0..<b {
            x1.append(1)
            y.append(0)
        }
        for _ in 0..<c {
            x1.append(0)
            y.append(1)
        }
        for _ in 0..<d {
            x1.append(0)
            y.append(0)
        }
        let x = DesignMatrix(columns: [Array(repeating: 1, count: y.count), x1], names: ["(intercept)", "t=1"])
        let fit = try LogisticRegression.fit(x, outcomes: y)
        let oddsRatio = (Double(a) / Double(b)) / (Double(c) / Double(d))
        #expect(isClose(fit.coefficients[1], log(oddsRatio), relative: 1e-12))
        let woolf = (1 / Double(a) + 1 / Double(b) + 1 / Double(c) + 1 / Double(d)).squareRoot()
        #expect(isClose(fit.standardErrors[1], woolf, relative: 1e-10))
        #expect(isClose(fit.pValues[1], erfc(abs(fit.zScores[1]) / 2.0.squareRoot()), relative: 1e-15))
        #expect(isClose(fit.confidenceHigh[1] - fit.confidenceLow[1], 2 * 1.959963984540054 * woolf, relative: 1e-10))
    }
}

/// Bad data is named, never a NaN.
@Suite struct LogisticBadDataTests {
    func design(_ columns: [[Double]], _ names: [String]) -> DesignMatrix { DesignMatrix(columns: columns, names: names) }

    var ones: [Double] { Array(repeating: 1, count: 8) }
    let y: [Double] = [0, 1, 0, 1, 1, 0, 0, 1]
    let a: [Double] = [1, 2, 3, 4, 5, 6, 7, 9]
    let b: [Double] = [0, 1, 1, 0, 1, 0, 0, 0]

    @Test func emptyInput() {
        #expect(throws: FitError.emptyInput) {
            try LogisticRegression.fit(DesignMatrix(rows: 0, columns: 1, values: [], names: ["(intercept)"]), outcomes: [])
        }
    }

    @Test func singleOutcomeClass() {
        #expect(throws: FitError.singleOutcomeClass(outcome: 0, rows: 8)) {
            try LogisticRegression.fit(design([ones, a], ["(intercept)", "a"]), outcomes: Array(repeating: 0, count: 8))
        }
    }

    @Test func nonBinaryOutcome() {
        var bad = y
        bad[3] = 2
        #expect(throws: FitError.nonBinaryOutcome(row: 3, value: 2)) {
            try LogisticRegression.fit(design([ones, a], ["(intercept)", "a"]), outcomes: bad)
        }
    }

    @Test func constantColumnIsNamed() throws {
        let error = try #require(throws: FitError.self) {
            try LogisticRegression.fit(design([ones, a, Array(repeating: 3, count: 8)], ["(intercept)", "a", "c"]), outcomes: y)
        }
        guard case let .constantTerms(terms) = error else {
            Issue.record("got \(error)")
            return
        }
        #expect(terms.map(\.term) == ["c"])
        #expect(isClose(terms[0].value, 3, relative: 1e-9))
        #expect(error.description.contains("constant term: c (always 3)"))
    }

    @Test func zeroColumnIsConstant() throws {
        let error = try #require(throws: FitError.self) {
            try LogisticRegression.fit(design([ones, a, Array(repeating: 0, count: 8)], ["(intercept)", "a", "z"]), outcomes: y)
        }
        #expect(error == .constantTerms([ConstantTerm(term: "z", value: 0)]))
    }

    /// Issue 15: under a ridge penalty a constant column is estimable (λ makes its estimate 0 and
    /// the Hessian positive definite): the fit runs, the column's estimate is 0, and the other
    /// estimates are those of the fit without the column (the penalised objective is the same).
    @Test(arguments: [3.0, 0.0])
    func constantColumnUnderRidgeIsEstimatedAsZero(value: Double) throws {
        let constant = Array(repeating: value, count: 8)
        let options = LogisticRegression.Options(penalty: 0.5)
        let with = try LogisticRegression.fit(design([ones, a, b, constant], ["(intercept)", "a", "b", "c"]), outcomes: y, options: options)
        let without = try LogisticRegression.fit(design([ones, a, b], ["(intercept)", "a", "b"]), outcomes: y, options: options)
        #expect(with.converged)
        #expect(abs(with.coefficients[3]) < 1e-10, "\(with.coefficients)")
        for j in 0..<3 { #expect(isClose(with.coefficients[j], without.coefficients[j], mixed: 1e-9), "\(j)") }
        #expect(isClose(with.logLikelihood, without.logLikelihood, relative: 1e-12))
        // A duplicate column is still refused under ridge: it is a spec mistake, not a constant.
        #expect(throws: FitError.self) {
            try LogisticRegression.fit(design([ones, a, b, a], ["(intercept)", "a", "b", "a2"]), outcomes: y, options: options)
        }
    }

    @Test func duplicateColumnIsNamed() throws {
        let error = try #require(throws: FitError.self) {
            try LogisticRegression.fit(design([ones, a, b, a], ["(intercept)", "a", "b", "a2"]), outcomes: y)
        }
        guard case let .collinearTerms(terms) = error else {
            Issue.record("got \(error)")
            return
        }
        #expect(terms.count == 1)
        #expect(terms[0].term == "a2")
        #expect(error.description.contains("a2 duplicates a"))
    }

    @Test func linearCombinationIsExplained() throws {
        let c = zip(a, b).map { 2 * $0 - $1 + 1 }
        let error = try #require(throws: FitError.self) {
            try LogisticRegression.fit(design([ones, a, b, c], ["(intercept)", "a", "b", "c"]), outcomes: y)
        }
        guard case let .collinearTerms(terms) = error, let term = terms.first else {
            Issue.record("got \(error)")
            return
        }
        // Whichever term the pivoting calls redundant, the combination must reproduce it exactly.
        let columns = ["(intercept)": ones, "a": a, "b": b, "c": c]
        let target = try #require(columns[term.term])
        for i in 0..<8 {
            let rebuilt = term.combination.reduce(0.0) { $0 + $1.coefficient * (columns[$1.term]?[i] ?? .nan) }
            #expect(isClose(rebuilt, target[i], absolute: 1e-8))
        }
    }

    @Test func quasiCompleteSeparationNamesTheTermAndSuggestsAPenalty() throws {
        // Every lead with `industry=government` is lost; the rest overlap.
        var rng = SplitMix64(seed: 3)
        let n = 400
        var gov: [Double] = [], other: [Double] = [], y: [Double] = []
        for i in 0..<n {
            let g: Double = i < 25 ? 1 : 0
            let o = Double(rng.next() % 100) / 100
            gov.append(g)
            other.append(o)
            y.append(g == 1 ? 0 : (Double(rng.next() % 1000) / 1000 < 0.3 + 0.4 * o ? 1 : 0))
        }
        let x = design([Array(repeating: 1, count: n), gov, other], ["(intercept)", "industry=government", "score"])
        let error = try #require(throws: FitError.self) { try LogisticRegression.fit(x, outcomes: y) }
        guard case let .separation(terms) = error else {
            Issue.record("got \(error)")
            return
        }
        #expect(terms.map(\.term) == ["industry=government"])
        #expect(terms[0].rowsWithTerm == 25 && terms[0].wonWithTerm == 0)
        #expect(error.description.contains("none of the 25 leads with it closed-won"))
        #expect(error.description.contains("penalty: 1"))
        // The suggested remedy works: a ridge fit exists and is finite.
        let ridge = try LogisticRegression.fit(x, outcomes: y, options: .init(penalty: 1))
        #expect(ridge.converged && ridge.coefficients.allSatisfy(\.isFinite) && ridge.standardErrors.allSatisfy(\.isFinite))
    }

    @Test func completeSeparationIsAnError() throws {
        let x = design([ones, a], ["(intercept)", "a"])
        let y: [Double] = [0, 0, 0, 0, 1, 1, 1, 1]
        let error = try #require(throws: FitError.self) { try LogisticRegression.fit(x, outcomes: y) }
        guard case let .separation(terms) = error else {
            Issue.record("got \(error)")
            return
        }
        #expect(terms.map(\.term) == ["a"])
    }

    @Test func nonFiniteValueIsNamed() {
        var bad = a
        bad[5] = .nan
        let error = #expect(throws: FitError.self) {
            try LogisticRegression.fit(design([ones, bad], ["(intercept)", "a"]), outcomes: y)
        }
        guard case let .nonFiniteValue(row, term, value)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(row == 5 && term == "a" && value.isNaN)
    }
}
