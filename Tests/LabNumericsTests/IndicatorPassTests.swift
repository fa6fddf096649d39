import Foundation
import TestSupport
import Testing

@testable import LabNumerics

/// The Newton pass that takes sparse 0/1 columns from compressed rows must give the same
/// log-likelihood, score and XᵀWX as the dense `dsyrk` pass and as plain loops over X.
@Suite struct IndicatorPassTests {
    /// n rows: intercept; one-hot dummies of three categorical features (4, 3, 6 levels, first
    /// level baseline); a lone rare flag; a frequent flag (≥ half ones, must stay dense); three
    /// numbers; weights 0…2.
    static func design(rows n: Int, seed: UInt64) -> (x: DesignMatrix, y: [Double], c: [Double]) {
        var random = SplitMix64(seed: seed)
        var columns: [[Double]] = [[Double](repeating: 1, count: n)]
        var names = ["(intercept)"]
        for (feature, levels) in [4, 3, 6].enumerated() {
            var dummies = [[Double]](repeating: [Double](repeating: 0, count: n), count: levels - 1)
            for i in 0..<n {
                let level = Int(random.next() % UInt64(levels))
                if level > 0 { dummies[level - 1][i] = 1 }
            }
            columns += dummies
            names += (1..<levels).map { "f\(feature)=\($0)" }
        }
        columns.append((0..<n).map { _ in random.bernoulli(0.05) })
        names.append("rare")
        columns.append((0..<n).map { _ in random.bernoulli(0.8) })
        names.append("frequent")
        for k in 0..<3 {
            columns.append((0..<n).map { _ in log1p(Double(random.next() % 40)) * (k == 1 ? -1 : 1) })
            names.append("number\(k)")
        }
        let y = (0..<n).map { _ in random.bernoulli(0.3) }
        let c = (0..<n).map { _ in Double(random.next() % 3) }
        return (DesignMatrix(columns: columns, names: names), y, c)
    }

    static func coefficients(_ p: Int, seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed)
        return (0..<p).map { _ in random.uniform() - 0.5 }
    }

    /// ℓ, g and XᵀWX by plain loops over rows, straight from the definitions.
    static func bruteForce(_ x: DesignMatrix, _ y: [Double], _ c: [Double], _ beta: [Double]) -> NewtonPassValues {
        let p = x.columns
        var ll = 0.0
        var g = [Double](repeating: 0, count: p)
        var h = [Double](repeating: 0, count: p * p)
        for i in 0..<x.rows {
            var eta = 0.0
            for j in 0..<p { eta += x[i, j] * beta[j] }
            let mu = 1 / (1 + exp(-eta))
            ll += c[i] * (y[i] * eta - log1p(exp(eta)))
            let w = c[i] * mu * (1 - mu)
            for j in 0..<p {
                g[j] += c[i] * (y[i] - mu) * x[i, j]
                for k in 0..<p { h[j + k * p] += w * x[i, j] * x[i, k] }
            }
        }
        return NewtonPassValues(logLikelihood: ll, gradient: g, information: h, boundaryRows: 0)
    }

    func expectClose(
        _ a: NewtonPassValues, _ b: NewtonPassValues, relative: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(isClose(a.logLikelihood, b.logLikelihood, relative: relative), sourceLocation: sourceLocation)
        let scale = b.information.map(abs).max() ?? 1
        for j in b.gradient.indices {
            #expect(isClose(a.gradient[j], b.gradient[j], absolute: relative * scale), sourceLocation: sourceLocation)
        }
        for k in b.information.indices {
            #expect(
                isClose(a.information[k], b.information[k], absolute: relative * scale),
                "information entry \(k)", sourceLocation: sourceLocation)
        }
    }

    @Test func layoutFindsTheSparseIndicatorsOnly() {
        let (x, y, _) = Self.design(rows: 500, seed: 1)
        x.values.withUnsafeBufferPointer { xp in
            let layout = IndicatorLayout.detect(x: xp.baseAddress!, rows: x.rows, columns: x.columns, workers: 2)
            #expect(layout?.sparse.map { x.names[$0] } == (1...11).map { x.names[$0] })  // 3+2+5 dummies, rare
            #expect(layout?.dense.map { x.names[$0] } == ["(intercept)", "frequent", "number0", "number1", "number2"])
            // Each row lists exactly its 1s among the sparse columns, ascending.
            if let layout {
                for i in 0..<x.rows {
                    let listed = (layout.rowStart[i]..<layout.rowStart[i + 1]).map { layout.sparse[Int(layout.entries[$0])] }
                    #expect(listed == layout.sparse.filter { x[i, $0] == 1 })
                }
            }
        }
        _ = y
    }

    @Test(arguments: [(1, 10_000), (2, 64), (3, 7)])
    func indicatorPassEqualsDensePassAndBruteForce(threads: Int, blockRows: Int) {
        let (x, y, c) = Self.design(rows: 2_000, seed: 2)
        let beta = Self.coefficients(x.columns, seed: 3)
        let options = LogisticRegression.Options(threads: threads, blockRows: blockRows)
        let sparse = LogisticRegression.withNewtonPass(x, outcomes: y, weights: c, options: options) { pass in
            #expect(pass.usesIndicators)
            return pass.evaluate(at: beta)
        }
        let dense = LogisticRegression.withNewtonPass(
            x, outcomes: y, weights: c, options: options,
            exploitIndicators: false
        ) { pass in
            #expect(!pass.usesIndicators)
            return pass.evaluate(at: beta)
        }
        expectClose(sparse, dense, relative: 1e-13)
        expectClose(sparse, Self.bruteForce(x, y, c, beta), relative: 1e-12)
        #expect(sparse.boundaryRows == dense.boundaryRows)
    }

    @Test func fitIsTheSameEitherWay() throws {
        let (x, y, c) = Self.design(rows: 3_000, seed: 4)
        let fit = try LogisticRegression.fit(x, outcomes: y, weights: c)
        // Newton from the fitted β with the dense pass: the score is already ~0 there.
        let dense = LogisticRegression.withNewtonPass(x, outcomes: y, weights: c, exploitIndicators: false) {
            $0.evaluate(at: fit.coefficients)
        }
        #expect(isClose(fit.logLikelihood, dense.logLikelihood, relative: 1e-13))
        let p = x.columns
        for j in 0..<p {
            #expect(abs(dense.gradient[j]) / dense.information[j + j * p].squareRoot() < 1e-7)
        }
    }

    @Test func designWithoutIndicatorsTakesTheDensePath() {
        var random = SplitMix64(seed: 5)
        let n = 300
        let x = DesignMatrix(
            columns: [[Double](repeating: 1, count: n), (0..<n).map { _ in random.uniform() }],
            names: ["(intercept)", "u"])
        let y = (0..<n).map { _ in random.bernoulli(0.5) }
        LogisticRegression.withNewtonPass(x, outcomes: y) { #expect(!$0.usesIndicators) }
    }
}

/// The level-table pass (one-hot features as codes) against the compressed-row pass and the
/// grouping it finds.
@Suite struct LevelPassTests {
    @Test func levelLayoutGroupsTheOneHotFeatures() throws {
        let (x, _, _) = IndicatorPassTests.design(rows: 800, seed: 7)
        try x.values.withUnsafeBufferPointer { xp in
            let indicators = try #require(IndicatorLayout.detect(x: xp.baseAddress!, rows: x.rows, columns: x.columns, workers: 2))
            // Features of 3, 2 and 5 dummies and the rare flag (which co-occurs with f2's dummies),
            // joined while the level product stays ≤ 64: (4 × 3 = 12), then (6 × 2 = 12).
            let levels = try #require(LevelLayout.make(from: indicators, workers: 2, maximumJoint: 64))
            #expect(levels.levels == [12, 12])
            // With the default bound (128): 4 × 3 × 6 = 72 joined, then the flag's 2 alone (72 × 2 > 128).
            #expect(try #require(LevelLayout.make(from: indicators, workers: 2)).levels == [72, 2])
            // Every row's codes name exactly its 1s among the indicator columns.
            for i in 0..<x.rows {
                var active: [Int] = []
                for g in 0..<levels.groups { active += levels.activeColumns[g][Int(levels.codes[i * levels.groups + g])] }
                #expect(active.sorted() == indicators.sparse.filter { x[i, $0] == 1 })
            }
            // A smaller joint limit keeps each feature alone.
            let alone = try #require(LevelLayout.make(from: indicators, workers: 1, maximumJoint: 6))
            #expect(alone.levels == [4, 3, 6, 2])
            #expect(LevelLayout.make(from: indicators, workers: 1, maximumJoint: 6, maximumCells: 10) == nil)
        }
    }

    @Test(arguments: [(1, 10_000), (2, 64), (3, 7)])
    func levelPassEqualsCompressedRowPass(threads: Int, blockRows: Int) {
        let (x, y, c) = IndicatorPassTests.design(rows: 2_000, seed: 8)
        let beta = IndicatorPassTests.coefficients(x.columns, seed: 9)
        func pass(levelTables: Bool) -> PassTotals {
            x.values.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    c.withUnsafeBufferPointer { cp in
                        let workspace = NewtonWorkspace(
                            x: xp.baseAddress!, y: yp.baseAddress!, weights: cp.baseAddress,
                            rows: x.rows, columns: x.columns, workers: threads,
                            blockRows: blockRows, levelTables: levelTables)
                        #expect((workspace.levels != nil) == levelTables)
                        #expect(workspace.layout != nil)
                        return workspace.evaluate(at: beta)
                    }
                }
            }
        }
        let levels = pass(levelTables: true), rows = pass(levelTables: false)
        #expect(isClose(levels.logLikelihood, rows.logLikelihood, relative: 1e-13))
        let scale = rows.information.values.map(abs).max() ?? 1
        for j in 0..<x.columns {
            #expect(isClose(levels.gradient[j], rows.gradient[j], absolute: 1e-13 * scale))
        }
        for k in rows.information.values.indices {
            #expect(isClose(levels.information.values[k], rows.information.values[k], absolute: 1e-13 * scale), "entry \(k)")
        }
        #expect(levels.boundaryRows == rows.boundaryRows)
    }
}
