import TestSupport
import Testing

@testable import LabNumerics

/// A design whose dummies are level codes (``CodedDesign``) must be the plain matrix in every
/// respect a consumer sees: its values, its η, and a fit on it.
@Suite struct CodedDesignTests {
    /// `IndicatorPassTests.design` with its columns shuffled (the intercept kept first), so that
    /// one-hot features are interleaved with dense columns and listed out of order; and the
    /// same design coded.
    static func designs(rows: Int, seed: UInt64) -> (x: DesignMatrix, coded: CodedDesign, y: [Double], c: [Double]) {
        let (original, y, c) = IndicatorPassTests.design(rows: rows, seed: seed)
        var random = SplitMix64(seed: seed &+ 1)
        var order = Array(1..<original.columns)
        for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, Int(random.next() % UInt64(k + 1))) }
        order.insert(0, at: 0)
        let x = DesignMatrix(columns: order.map { original.column($0) }, names: order.map { original.names[$0] })
        let newColumn = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let features = OneHotPassTests.features(original).map { feature in
            OneHotFeature(columns: feature.columns.map { newColumn[$0]! }, levels: feature.levels)
        }
        let dummies = Set(features.flatMap(\.columns))
        let dense = (0..<x.columns).filter { !dummies.contains($0) }.flatMap { x.column($0) }
        let coded = CodedDesign(rows: x.rows, columns: x.columns, names: x.names, interceptColumn: 0, dense: dense, oneHot: features)
        return (x, coded, y, c)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func valuesColumnsAndLinearPredictorAreThePlainMatrixs(seed: UInt64) throws {
        let (x, coded, y, _) = Self.designs(rows: 300_000 / Int(seed), seed: seed)
        #expect(coded.materialized() == x)
        #expect(CodedDesign(x).materialized() == x)
        for j in 0..<x.columns {
            coded.withColumn(j) { values in #expect(Array(values) == x.column(j), "column \(j)") }
        }
        var beta = IndicatorPassTests.coefficients(x.columns, seed: seed)
        beta[x.columns - 1] = 0  // a zero coefficient is skipped by both
        var fit = try LogisticRegression.fit(x, outcomes: y)
        fit.coefficients = beta
        #expect(coded.linearPredictor(beta) == fit.linearPredictor(x))
        #expect(fit.probabilities(coded) == fit.probabilities(x))
    }

    @Test(arguments: [false, true]) func fitEqualsThePlainMatrixsFitWithTheSameCodes(weighted: Bool) throws {
        let (x, coded, y, c) = Self.designs(rows: 20_000, seed: 7)
        let weights = weighted ? c : nil
        let onCodes = try LogisticRegression.fit(coded, outcomes: y, weights: weights)
        let onMatrix = try LogisticRegression.fit(x, outcomes: y, weights: weights, oneHot: coded.oneHot)
        // The same passes over the same numbers in the same order (LAPACK's factorisations may
        // round differently in the last place with the buffers' alignment: 1e-13).
        #expect(onCodes.logLikelihood == onMatrix.logLikelihood)
        for j in 0..<x.columns {
            #expect(isClose(onCodes.coefficients[j], onMatrix.coefficients[j], relative: 1e-13), "\(x.names[j])")
            #expect(isClose(onCodes.standardErrors[j], onMatrix.standardErrors[j], relative: 1e-13), "\(x.names[j])")
        }
        #expect(onCodes.iterations == onMatrix.iterations)
    }

    /// Without a dense column the level passes do not apply: the matrix is spelled out and fitted.
    @Test func designWithoutDenseColumnsFallsBackToTheMatrix() throws {
        let n = 3000
        var random = SplitMix64(seed: 5)
        let levels = (0..<n).map { _ in UInt16(random.next() % 3) }
        let y = levels.map { level in random.bernoulli(level == 0 ? 0.2 : level == 1 ? 0.5 : 0.7) }
        let feature = OneHotFeature(columns: [0, 1, 2], levels: levels.map { $0 + 1 })
        let coded = CodedDesign(rows: n, columns: 3, names: ["a", "b", "c"], interceptColumn: nil, dense: [], oneHot: [feature])
        #expect(coded.denseColumns.isEmpty)
        let onCodes = try LogisticRegression.fit(coded, outcomes: y)
        let onMatrix = try LogisticRegression.fit(coded.materialized(), outcomes: y)
        #expect(onCodes.coefficients == onMatrix.coefficients)  // the same call
        #expect(onCodes.probabilities(coded) == onMatrix.probabilities(coded.materialized()))
    }

    /// A dummy that only won leads have: the separation diagnosis reads the dummy's column
    /// (spelled out for it) and names it as it does on the matrix.
    @Test func separationIsDiagnosedOnTheCodes() throws {
        let (x, coded, y, _) = Self.designs(rows: 4000, seed: 3)
        let feature = coded.oneHot[0]
        let separating = feature.columns[0]
        var outcomes = y
        for i in 0..<x.rows where feature.levels[i] == 1 { outcomes[i] = 1 }
        let onCodes = #expect(throws: FitError.self) { try LogisticRegression.fit(coded, outcomes: outcomes) }
        let onMatrix = #expect(throws: FitError.self) { try LogisticRegression.fit(x, outcomes: outcomes, oneHot: coded.oneHot) }
        // The coded passes read the dense block in place (column-major BLAS), the matrix fit a
        // row-major copy: the same sums in another order. The message, the terms and their counts
        // agree exactly; the diverging estimates where the iterations stopped to rounding.
        #expect(onCodes.map(String.init(describing:)) == onMatrix.map(String.init(describing:)))
        guard case let .separation(terms)? = onCodes, case let .separation(matrixTerms)? = onMatrix else {
            Issue.record("expected separation, got \(String(describing: onCodes)) and \(String(describing: onMatrix))")
            return
        }
        #expect(terms.map(\.term).contains(x.names[separating]))
        #expect(terms.map(\.term) == matrixTerms.map(\.term))
        #expect(terms.map(\.rowsWithTerm) == matrixTerms.map(\.rowsWithTerm))
        #expect(terms.map(\.wonWithTerm) == matrixTerms.map(\.wonWithTerm))
        for (a, b) in zip(terms, matrixTerms) { #expect(isClose(a.estimate, b.estimate, relative: 1e-8), "\(a.term)") }
    }
}
