import TestSupport
import Testing

@testable import LabNumerics

/// One-hot features handed over by the encoder (``OneHotFeature``) instead of detected in X:
/// the codes, the pass and the fit must be those of the detected and of the dense path.
@Suite struct OneHotPassTests {
    /// The dummies of `IndicatorPassTests.design`'s features (columns 1–3, 4–5, 6–10), with
    /// each row's level read back from X.
    static func features(_ x: DesignMatrix, ranges: [ClosedRange<Int>] = [1...3, 4...5, 6...10]) -> [OneHotFeature] {
        ranges.map { range in
            let columns = Array(range)
            let levels = (0..<x.rows).map { i in
                UInt16(columns.firstIndex { x[i, $0] == 1 }.map { $0 + 1 } ?? 0)
            }
            return OneHotFeature(columns: columns, levels: levels)
        }
    }

    @Test func codesNameExactlyEachRowsDummies() throws {
        let (x, _, _) = IndicatorPassTests.design(rows: 700, seed: 11)
        let features = Self.features(x)
        let layout = try #require(
            LevelLayout.make(
                oneHot: features, columns: x.columns, rows: x.rows, workers: 2,
                maximumJoint: 64))
        // Levels 4 × 3 = 12 joined, then 6 alone (12 × 6 > 64); the rare and frequent flags stay dense.
        #expect(layout.levels == [12, 6])
        // The default bound (128) joins all three: 4 × 3 × 6 = 72.
        #expect(try #require(LevelLayout.make(oneHot: features, columns: x.columns, rows: x.rows, workers: 2)).levels == [72])
        #expect(layout.dense == [0, 11, 12, 13, 14, 15])
        let dummies = Set(features.flatMap(\.columns))
        for i in 0..<x.rows {
            var active: [Int] = []
            for g in 0..<layout.groups { active += layout.activeColumns[g][Int(layout.codes[i * layout.groups + g])] }
            #expect(active.sorted() == dummies.sorted().filter { x[i, $0] == 1 }, "row \(i)")
        }
        #expect(LevelLayout.make(oneHot: [], columns: x.columns, rows: x.rows, workers: 2) == nil)
        #expect(
            LevelLayout.make(
                oneHot: features, columns: x.columns, rows: x.rows, workers: 1, maximumJoint: 64,
                maximumCells: 10) == nil)
    }

    /// All three features (dense columns copied row-major once) and one feature only (13 dense
    /// columns, gathered per block) against the dense `dsyrk` pass and plain loops.
    @Test(arguments: [(1, 10_000, 3), (2, 64, 3), (3, 7, 3), (2, 64, 1), (1, 5_000, 1)])
    func passEqualsDensePass(threads: Int, blockRows: Int, features count: Int) {
        let (x, y, c) = IndicatorPassTests.design(rows: 2_000, seed: 12)
        let beta = IndicatorPassTests.coefficients(x.columns, seed: 13)
        let features = Array(Self.features(x).prefix(count))
        let options = LogisticRegression.Options(threads: threads, blockRows: blockRows)
        let given = LogisticRegression.withNewtonPass(x, outcomes: y, weights: c, options: options, oneHot: features) {
            #expect($0.workspace.levels != nil)
            #expect($0.workspace.layout == nil)  // X was not scanned
            return $0.evaluate(at: beta)
        }
        let dense = LogisticRegression.withNewtonPass(
            x, outcomes: y, weights: c, options: options,
            exploitIndicators: false
        ) { $0.evaluate(at: beta) }
        #expect(isClose(given.logLikelihood, dense.logLikelihood, relative: 1e-13))
        let scale = dense.information.map(abs).max() ?? 1
        for j in 0..<x.columns {
            #expect(isClose(given.gradient[j], dense.gradient[j], absolute: 1e-13 * scale), "gradient \(j)")
        }
        for k in dense.information.indices {
            #expect(isClose(given.information[k], dense.information[k], absolute: 1e-13 * scale), "entry \(k)")
        }
        let brute = IndicatorPassTests.bruteForce(x, y, c, beta)
        #expect(isClose(given.logLikelihood, brute.logLikelihood, relative: 1e-12))
        #expect(given.boundaryRows == dense.boundaryRows)
    }

    @Test func fitEqualsTheDetectedFit() throws {
        let (x, y, c) = IndicatorPassTests.design(rows: 3_000, seed: 14)
        let given = try LogisticRegression.fit(x, outcomes: y, weights: c, oneHot: Self.features(x))
        let detected = try LogisticRegression.fit(x, outcomes: y, weights: c)
        #expect(given.iterations == detected.iterations)
        #expect(isClose(given.logLikelihood, detected.logLikelihood, relative: 1e-13))
        for j in 0..<x.columns {
            #expect(
                isClose(
                    given.coefficients[j], detected.coefficients[j],
                    absolute: 1e-10 * max(1, abs(detected.coefficients[j]))), "β \(j)")
            #expect(isClose(given.standardErrors[j], detected.standardErrors[j], relative: 1e-9), "SE \(j)")
        }
    }
}
