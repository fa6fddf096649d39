import Foundation
import LabNumerics
import TestSupport
import Testing

/// A design held in memory but lent in row blocks of a fixed size, copied into one reused
/// block buffer as a file-backed source would.
struct ArrayBlockSource: DesignBlockSource {
    struct Broken: Error, Equatable { let block: Int }
    let x: DesignMatrix
    let outcomes: [Double]
    let weights: [Double]?
    let blockRows: Int
    /// Fail when this block (0-based) is reached.
    var failAtBlock: Int?
    private(set) var passes = 0

    init(_ x: DesignMatrix, outcomes: [Double], weights: [Double]? = nil, blockRows: Int, failAtBlock: Int? = nil) {
        self.x = x
        self.outcomes = outcomes
        self.weights = weights
        self.blockRows = blockRows
        self.failAtBlock = failAtBlock
    }

    var names: [String] { x.names }
    var interceptColumn: Int? { x.interceptColumn }

    mutating func forEachBlock(_ body: (DesignBlockView) -> Void) throws(Broken) {
        passes += 1
        var values = [Double](repeating: .nan, count: blockRows * x.columns)
        var y = [Double](repeating: .nan, count: blockRows)
        var c = [Double](repeating: .nan, count: blockRows)
        var start = 0, block = 0
        while start < x.rows {
            if block == failAtBlock { throw Broken(block: block) }
            let m = min(blockRows, x.rows - start)
            for j in 0..<x.columns {
                for i in 0..<m { values[i + j * m] = x[start + i, j] }
            }
            for i in 0..<m {
                y[i] = outcomes[start + i]
                c[i] = weights?[start + i] ?? .nan
            }
            values.withUnsafeBufferPointer { v in
                y.withUnsafeBufferPointer { yp in
                    c.withUnsafeBufferPointer { cp in
                        body(
                            DesignBlockView(
                                rows: m, values: v.baseAddress!, outcomes: yp.baseAddress!,
                                weights: weights == nil ? nil : cp.baseAddress!))
                    }
                }
            }
            start += m
            block += 1
        }
    }
}

/// The streaming fit must be the in-memory fit: same estimates, standard errors and
/// log-likelihood to rounding, the same iterations, and the same errors.
@Suite struct StreamingFitTests {
    static let design: SyntheticReferenceDesign? = try? SyntheticReferenceDesign.load()

    func load() throws -> (DesignMatrix, [Double]) {
        let d = try #require(Self.design, "synthetic reference CSV (needs python3 + numpy)")
        let names = d.names.map { $0 == "intercept" ? "(intercept)" : $0 }
        return (DesignMatrix(rows: d.rows, columns: names.count, values: d.values, names: names), d.outcomes)
    }

    func streamed(
        _ x: DesignMatrix, _ y: [Double], weights: [Double]? = nil, blockRows: Int,
        options: LogisticRegression.Options = .init()
    ) throws -> (LogisticFit, passes: Int) {
        var source = ArrayBlockSource(x, outcomes: y, weights: weights, blockRows: blockRows)
        do {
            let fit = try LogisticRegression.fit(streaming: &source, options: options)
            return (fit, source.passes)
        } catch {
            switch error {
            case let .fit(fitError): throw fitError
            case let .source(broken): throw broken
            }
        }
    }

    /// Sums in another order: each value within `tolerance` relative (absolute near 0).
    func expectSameFit(
        _ a: LogisticFit, _ b: LogisticFit, tolerance: Double = 1e-10,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(a.names == b.names, sourceLocation: sourceLocation)
        #expect(a.iterations == b.iterations && a.converged == b.converged, sourceLocation: sourceLocation)
        for j in a.coefficients.indices {
            #expect(isClose(a.coefficients[j], b.coefficients[j], mixed: tolerance), "\(a.names[j])", sourceLocation: sourceLocation)
            #expect(isClose(a.standardErrors[j], b.standardErrors[j], relative: tolerance), "\(a.names[j])", sourceLocation: sourceLocation)
        }
        #expect(isClose(a.logLikelihood, b.logLikelihood, relative: tolerance), sourceLocation: sourceLocation)
        #expect(a.nullLogLikelihood == b.nullLogLikelihood, sourceLocation: sourceLocation)
        #expect(a.rows == b.rows && a.effectiveRows == b.effectiveRows && a.positives == b.positives, sourceLocation: sourceLocation)
        #expect(isClose(a.aic, b.aic, relative: tolerance) && isClose(a.bic, b.bic, relative: tolerance), sourceLocation: sourceLocation)
    }

    // 1 row per block; 997 does not divide 10 000; 4096 spans several kernel blocks; n is one block.
    @Test(arguments: [1, 997, 4096, 10_000])
    func equalsTheInMemoryFit(blockRows: Int) throws {
        var (x, y) = try load()
        if blockRows == 1 {
            // One block per row costs a kernel call per row: a 2 000-row slice keeps it quick.
            let n = 2000
            x = DesignMatrix(columns: (0..<x.columns).map { Array(x.column($0).prefix(n)) }, names: x.names)
            y = Array(y.prefix(n))
        }
        let memory = try LogisticRegression.fit(x, outcomes: y)
        let (stream, passes) = try streamed(x, y, blockRows: blockRows)
        expectSameFit(memory, stream)
        // The survey, the start point, and one pass per step (no halving on this data).
        #expect(passes == 2 + stream.iterations)
    }

    @Test func weightedRidgeEqualsTheInMemoryFit() throws {
        let (x, y) = try load()
        var rng = SplitMix64(seed: 11)
        let w = (0..<x.rows).map { _ in Double(rng.next() % 4) }  // 0…3, some rows weightless
        let options = LogisticRegression.Options(penalty: 0.5)
        let memory = try LogisticRegression.fit(x, outcomes: y, weights: w, options: options)
        let (stream, _) = try streamed(x, y, weights: w, blockRows: 333, options: options)
        expectSameFit(memory, stream)
        #expect(isClose(memory.objective, stream.objective, relative: 1e-12))
    }

    // MARK: Errors, as in memory

    let ones = [Double](repeating: 1, count: 8)
    let y: [Double] = [0, 1, 0, 1, 1, 0, 0, 1]
    let a: [Double] = [1, 2, 3, 4, 5, 6, 7, 9]
    let b: [Double] = [0, 1, 1, 0, 1, 0, 0, 0]

    func design(_ columns: [[Double]], _ names: [String]) -> DesignMatrix {
        DesignMatrix(columns: columns, names: names)
    }

    func expectSameError(
        _ x: DesignMatrix, _ y: [Double], weights: [Double]? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let memory = try #require(throws: FitError.self, sourceLocation: sourceLocation) {
            try LogisticRegression.fit(x, outcomes: y, weights: weights)
        }
        for blockRows in [1, 3, x.rows] {
            let stream = try #require(throws: FitError.self, sourceLocation: sourceLocation) {
                try streamed(x, y, weights: weights, blockRows: blockRows)
            }
            if case let .separation(a) = stream, case let .separation(b) = memory {
                // Runaway estimates stop where the iterations stop, on a likelihood that is flat along
                // them: the two paths (block sums in another order) agree to ~1e-7 with one OpenBLAS
                // kernel and to ~2e-5 with another (no OPENBLAS_CORETYPE set), not to the 1e-10 of a
                // proper optimum. What the error reports (term, rows, wins) must agree exactly.
                #expect(
                    a.map(\.term) == b.map(\.term) && a.map(\.rowsWithTerm) == b.map(\.rowsWithTerm)
                        && a.map(\.wonWithTerm) == b.map(\.wonWithTerm), sourceLocation: sourceLocation)
                for (x, y) in zip(a, b) {
                    #expect(isClose(x.estimate, y.estimate, relative: 1e-4), "\(x.term)", sourceLocation: sourceLocation)
                }
            } else {
                #expect(stream == memory, "blockRows \(blockRows): \(stream) vs \(memory)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func constantAndCollinearTermsAreNamed() throws {
        try expectSameError(design([ones, a, Array(repeating: 0, count: 8)], ["(intercept)", "a", "z"]), y)
        try expectSameError(design([ones, a, b, a], ["(intercept)", "a", "b", "a2"]), y)
    }

    @Test func separationIsNamedWithItsCounts() throws {
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
        try expectSameError(x, y)
        try expectSameError(design([ones, a], ["(intercept)", "a"]), [0, 0, 0, 0, 1, 1, 1, 1])
    }

    @Test func badRowsAreNamedByTheirRowAcrossBlocks() throws {
        var bad = y
        bad[6] = 2
        try expectSameError(design([ones, a], ["(intercept)", "a"]), bad)
        try expectSameError(design([ones, a], ["(intercept)", "a"]), y, weights: [1, 1, 1, 1, 1, -1, 1, 1])
        try expectSameError(design([ones, a], ["(intercept)", "a"]), Array(repeating: 1, count: 8))
        var infinite = a  // not NaN: a NaN in the error would make the errors unequal
        infinite[5] = .infinity
        try expectSameError(design([ones, infinite], ["(intercept)", "a"]), y)
    }

    @Test func aFailingSourceStopsTheFit() throws {
        let x = design([ones, a], ["(intercept)", "a"])
        var source = ArrayBlockSource(x, outcomes: y, blockRows: 2, failAtBlock: 3)
        #expect(throws: StreamingFitError<ArrayBlockSource.Broken>.self) {
            try LogisticRegression.fit(streaming: &source)
        }
        #expect(source.passes == 1, "stops in the first pass")
    }
}
