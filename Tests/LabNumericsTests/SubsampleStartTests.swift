import Foundation
import TestSupport
import Testing

@testable import LabNumerics

/// A large fit starts at a subsample's estimates (``SubsampleStart``): fewer passes, the same
/// optimum, the same start however the rows are held, and no start at all when the subsample's
/// fit is not clean.
@Suite struct SubsampleStartTests {
    /// n rows with signal: an intercept, two one-hot features (4 and 6 levels), three numbers;
    /// outcomes drawn from the logistic model, case weights 0…3.
    static func design(rows n: Int, seed: UInt64) -> (x: DesignMatrix, y: [Double], c: [Double], oneHot: [OneHotFeature]) {
        var random = SplitMix64(seed: seed)
        var columns: [[Double]] = [[Double](repeating: 1, count: n)]
        var names = ["(intercept)"]
        var oneHot: [OneHotFeature] = []
        var eta = [Double](repeating: -1.2, count: n)
        for (feature, levels) in [4, 6].enumerated() {
            var dummies = [[Double]](repeating: [Double](repeating: 0, count: n), count: levels - 1)
            var codes = [UInt16](repeating: 0, count: n)
            for i in 0..<n {
                let level = Int(random.next() % UInt64(levels))
                codes[i] = UInt16(level)
                if level > 0 {
                    dummies[level - 1][i] = 1
                    eta[i] += 0.35 * Double(level) - 0.2 * Double(feature + 1)
                }
            }
            oneHot.append(OneHotFeature(columns: Array(columns.count..<(columns.count + levels - 1)), levels: codes))
            columns += dummies
            names += (1..<levels).map { "f\(feature)=\($0)" }
        }
        for k in 0..<3 {
            let column = (0..<n).map { _ in log1p(Double(random.next() % 40)) }
            for i in 0..<n { eta[i] += column[i] * [0.4, -0.3, 0.15][k] }
            columns.append(column)
            names.append("number\(k)")
        }
        let y = eta.map { random.bernoulli(1 / (1 + exp(-$0))) }
        let c = (0..<n).map { _ in Double(random.next() % 4) }
        return (DesignMatrix(columns: columns, names: names), y, c, oneHot)
    }

    @Test func strideKeepsAtMostTheLimitWithThePowerOfTwoNearestIt() {
        for columns in [1, 3, 60, 300, 2_000] {
            let limit = SubsampleStart.limit(columns: columns)
            #expect(limit >= 4_096 && limit <= 16_384 && limit * columns <= max(1 << 22, 4_096 * columns))
            #expect(SubsampleStart.stride(rows: 4 * limit - 1, columns: columns) == nil)
            var random = SplitMix64(seed: UInt64(columns))
            for rows in [4 * limit, 4 * limit + 1, 8 * limit, 8 * limit + 1] + (0..<20).map({ _ in 4 * limit + Int(random.next() % 10_000_000) }) {
                guard let stride = SubsampleStart.stride(rows: rows, columns: columns) else {
                    Issue.record("no stride for \(rows) rows")
                    continue
                }
                #expect(stride > 1 && stride & (stride - 1) == 0, "\(rows) rows: stride \(stride)")
                #expect(SubsampleStart.sampleRows(rows: rows, stride: stride) <= limit)
                #expect(SubsampleStart.sampleRows(rows: rows, stride: stride / 2) > limit, "\(rows) rows: stride \(stride) not the least")
            }
        }
    }

    /// The streaming survey's collector ends holding exactly the rows the in-memory fit samples,
    /// whatever the block sizes.
    @Test(arguments: [0, 1, 2, 3] as [UInt64]) func collectorHoldsTheStridedRows(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let columns = 3
        let limit = SubsampleStart.limit(columns: columns)
        let rows = [4 * limit, 4 * limit + 1, 8 * limit + 3, 4 * limit + Int(random.next() % UInt64(6 * limit))][Int(seed)]
        let x = DesignMatrix(
            rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in random.uniform() },
            names: ["(intercept)", "a", "b"])
        let y = (0..<rows).map { _ in random.bernoulli(0.4) }
        let c = (0..<rows).map { _ in Double(random.next() % 3) }
        for weighted in [false, true] {
            var collector = SubsampleStart.Collector(columns: columns)
            var start = 0
            while start < rows {
                let m = min(rows - start, 1 + Int(random.next() % 5_000))
                var values = [Double](repeating: 0, count: m * columns)
                for j in 0..<columns { for i in 0..<m { values[i + j * m] = x[start + i, j] } }
                let outcomes = Array(y[start..<(start + m)]), weights = Array(c[start..<(start + m)])
                values.withUnsafeBufferPointer { v in
                    outcomes.withUnsafeBufferPointer { o in
                        weights.withUnsafeBufferPointer { w in
                            collector.add(
                                DesignBlockView(rows: m, values: v.baseAddress!, outcomes: o.baseAddress!, weights: weighted ? w.baseAddress! : nil))
                        }
                    }
                }
                start += m
            }
            let stride = SubsampleStart.stride(rows: rows, columns: columns)
            #expect(collector.stride == stride && collector.seen == rows)
            let held = collector.held(names: x.names, interceptColumn: 0)
            #expect(held.x == SubsampleStart.sampled(x, stride: collector.stride))
            #expect(held.outcomes == SubsampleStart.sampled(y, stride: collector.stride))
            #expect(held.weights == (weighted ? SubsampleStart.sampled(c, stride: collector.stride) : nil))
        }
    }

    @Test func codedSampleIsThePlainMatrixsSample() {
        let (x, _, _, oneHot) = Self.design(rows: 70_001, seed: 5)
        let dummies = Set(oneHot.flatMap(\.columns))
        let dense = (0..<x.columns).filter { !dummies.contains($0) }.flatMap { x.column($0) }
        let coded = CodedDesign(rows: x.rows, columns: x.columns, names: x.names, interceptColumn: 0, dense: dense, oneHot: oneHot)
        for stride in [1, 2, 8, 64, 70_001, 100_000] {
            #expect(coded.materialized(everyRow: stride) == SubsampleStart.sampled(x, stride: stride), "stride \(stride)")
        }
    }

    /// With and without the start: the same optimum to rounding, in fewer Newton steps.
    @Test(arguments: [(false, 0.0), (true, 0.0), (false, 3.0)]) func startsNearerAndReachesTheSameOptimum(weighted: Bool, penalty: Double) throws {
        let (x, y, c, oneHot) = Self.design(rows: 120_000, seed: 11)
        let weights = weighted ? c : nil
        let options = LogisticRegression.Options(penalty: penalty)
        #expect(
            SubsampleStart.coefficients(
                rows: x.rows, columns: x.columns, outcomes: y, weights: weights, totalWeight: weights?.reduce(0, +) ?? Double(x.rows),
                options: options
            ) {
                SubsampleStart.sampled(x, stride: $0)
            } != nil)
        var plain = options
        plain.subsampleStart = false
        let started = try LogisticRegression.fit(x, outcomes: y, weights: weights, oneHot: oneHot, options: options)
        let fromLogit = try LogisticRegression.fit(x, outcomes: y, weights: weights, oneHot: oneHot, options: plain)
        #expect(started.converged && fromLogit.converged)
        #expect(started.iterations < fromLogit.iterations, "\(started.iterations) steps against \(fromLogit.iterations)")
        #expect(isClose(started.logLikelihood, fromLogit.logLikelihood, relative: 1e-13))
        for j in 0..<x.columns {
            #expect(isClose(started.coefficients[j], fromLogit.coefficients[j], mixed: 1e-9), "\(x.names[j])")
            // Each fit's standard errors come from the Hessian one step before its estimates (the
            // confirming pass, ``NewtonIteration``): fits whose last steps differ differ by 1e-8–3e-8.
            #expect(isClose(started.standardErrors[j], fromLogit.standardErrors[j], relative: 1e-7), "\(x.names[j])")
        }
    }

    /// The streaming fit samples the same rows and so starts at the same β: same steps, same fit.
    @Test func streamingStartsWhereTheInMemoryFitStarts() throws {
        let (x, y, c, _) = Self.design(rows: 80_000, seed: 13)
        let memory = try LogisticRegression.fit(x, outcomes: y, weights: c)
        var source = ArrayBlockSource(x, outcomes: y, weights: c, blockRows: 997)
        let stream = try LogisticRegression.fit(streaming: &source)
        var plain = LogisticRegression.Options()
        plain.subsampleStart = false
        let fromLogit = try LogisticRegression.fit(x, outcomes: y, weights: c, options: plain)
        #expect(memory.iterations == stream.iterations && memory.iterations < fromLogit.iterations)
        // The survey, the start, one pass per step.
        #expect(source.passes == 2 + stream.iterations)
        for j in 0..<x.columns {
            #expect(isClose(memory.coefficients[j], stream.coefficients[j], mixed: 1e-10), "\(x.names[j])")
            #expect(isClose(memory.standardErrors[j], stream.standardErrors[j], relative: 1e-10), "\(x.names[j])")
        }
    }

    /// A subsample that cannot be fitted (a dummy it never sees; a level it sees only won)
    /// gives no start, and the fit is the one from logit(ȳ), bit for bit.
    @Test(arguments: ["unseen", "separated"]) func anUncleanSubsampleGivesNoStart(kind: String) throws {
        var (x, y, _, oneHot) = Self.design(rows: 100_000, seed: 17)
        let stride = try #require(SubsampleStart.stride(rows: x.rows, columns: x.columns + 1))
        var random = SplitMix64(seed: 3)
        var extra = [Double](repeating: 0, count: x.rows)
        for i in 0..<x.rows where random.bernoulli(0.05) == 1 {
            if kind == "unseen", i % stride == 0 { continue }
            extra[i] = 1
            if kind == "separated", i % stride == 0 { y[i] = 1 }
        }
        x = DesignMatrix(columns: (0..<x.columns).map { x.column($0) } + [extra], names: x.names + ["extra"])
        let options = LogisticRegression.Options()
        #expect(
            SubsampleStart.coefficients(rows: x.rows, columns: x.columns, outcomes: y, weights: nil, totalWeight: Double(x.rows), options: options) {
                SubsampleStart.sampled(x, stride: $0)
            } == nil)
        var plain = options
        plain.subsampleStart = false
        let fit = try LogisticRegression.fit(x, outcomes: y, oneHot: oneHot, options: options)
        let fromLogit = try LogisticRegression.fit(x, outcomes: y, oneHot: oneHot, options: plain)
        #expect(fit.coefficients == fromLogit.coefficients && fit.iterations == fromLogit.iterations)
    }

    /// A start worse than logit(ȳ) on the full data, or not finite, is ignored: the iteration
    /// starts (and rank-checks) at logit(ȳ), as without one.
    @Test func aStartWorseThanTheInterceptOnlyOptimumIsIgnored() throws {
        let (x, y, _, _) = Self.design(rows: 20_000, seed: 19)
        let options = LogisticRegression.Options()
        func fit(start: [Double]?) throws -> LogisticFit {
            try x.values.withUnsafeBufferPointer { xp in
                try y.withUnsafeBufferPointer { yp in
                    let workspace = NewtonWorkspace(
                        x: xp.baseAddress!, y: yp.baseAddress!, weights: nil, rows: x.rows, columns: x.columns, workers: 2,
                        blockRows: nil)
                    let problem = NewtonProblem(
                        names: x.names, interceptColumn: 0, rows: x.rows, effectiveRows: x.rows, won: y.reduce(0, +),
                        totalWeight: Double(x.rows))
                    // One BLAS thread, as the fits run passes (other suites change the setting meanwhile).
                    return try withSingleThreadedBLAS { () throws(FitError) -> LogisticFit in
                        try NewtonIteration.run(
                            problem, options: options,
                            evaluate: { (beta: [Double], information: Bool) throws(FitError) -> PassTotals in
                                workspace.evaluate(at: beta, information: information)
                            },
                            nonFinite: { .singularHessian(iteration: 0) }, separated: { _, _, _ in nil }, wrap: { $0 }, start: start)
                    }
                }
            }
        }
        let reference = try fit(start: nil)
        for start in [[Double](repeating: 8, count: x.columns), [Double](repeating: .nan, count: x.columns), [1, 2]] {
            let fitted = try fit(start: start)
            #expect(
                fitted.coefficients == reference.coefficients && fitted.iterations == reference.iterations,
                "\(start.prefix(2)): \(fitted.iterations) vs \(reference.iterations), \(zip(fitted.coefficients, reference.coefficients).map { abs($0 - $1) }.max()!)"
            )
        }
        // A good start is taken: fewer steps to the same optimum.
        let near = try fit(start: reference.coefficients.map { $0 * 1.01 })
        #expect(near.iterations < reference.iterations)
        for j in 0..<x.columns { #expect(isClose(near.coefficients[j], reference.coefficients[j], mixed: 1e-9)) }
    }
}
