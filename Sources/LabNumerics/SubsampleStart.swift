/// Where a large fit's Newton iteration starts: at the estimates of a systematic subsample of
/// its rows instead of the intercept-only optimum.
///
/// From logit(ȳ) Newton takes about six steps on the benchmark's 1e6 × 60 design, each a pass
/// over every row. The subsample's estimates (every `stride`-th row, at most ``limit(columns:)``
/// rows: under 2 % of a pass per step there) lie a few of the full data's standard errors from
/// its optimum, and Newton, quadratic from there, needs four. The optimum and the
/// convergence test do not change: the full iteration still runs until its own criteria hold,
/// with step-halving, so the start only decides how many passes that takes.
///
/// The start is taken only when it is clean: the subsample's own fit (the same Newton, with the
/// penalty scaled to the subsample's share of the weight) converged without an error, without
/// fitted probabilities at the bounds and without a term running away; and on the full data its
/// objective is below that of logit(ȳ) and its information passes the rank check (otherwise the
/// iteration starts at logit(ȳ) and checks there, as before). Fits of fewer than
/// 4 × ``limit(columns:)`` rows start at logit(ȳ) as they always did.
///
/// The rows are the same however the design is held (rows `i` with `i % stride == 0`, the
/// stride a power of two), so the in-memory and the streaming fit start at the same β bit for
/// bit: the streaming survey keeps every row of stride 1 and, each time it holds more than the
/// limit, every second one of them (doubling the stride), which ends on the stride computed
/// from n.
enum SubsampleStart {
    /// The most rows the subsample holds: 16,384, fewer for designs wider than 256 columns so
    /// that it stays within 2²² values (32 MiB), but never fewer than 4,096.
    static func limit(columns: Int) -> Int {
        min(16_384, max(4_096, (1 << 22) / max(1, columns)))
    }

    /// The sampling stride for `rows` rows of `columns` columns, or nil when the fit is too
    /// small to gain from a start (fewer than four times the limit).
    static func stride(rows: Int, columns: Int) -> Int? {
        let limit = limit(columns: columns)
        guard rows >= 4 * limit else { return nil }
        var stride = 1
        while (rows + stride - 1) / stride > limit { stride *= 2 }
        return stride
    }

    /// The rows a stride keeps of `rows` rows.
    static func sampleRows(rows: Int, stride: Int) -> Int { (rows + stride - 1) / stride }

    /// The subsample's estimates, or nil when its fit is not clean (see the type's discussion).
    /// - Parameters:
    ///   - fraction: the subsample's share of the total case weight (scales the penalty).
    static func coefficients(
        sample: DesignMatrix, outcomes: [Double], weights: [Double]?, options: LogisticRegression.Options,
        fraction: Double
    ) -> [Double]? {
        guard fraction > 0, fraction.isFinite else { return nil }
        var loose = options
        loose.penalty = options.penalty * fraction
        // The full iteration refines it: a thousandth of a standard error is more than enough.
        loose.gradientTolerance = max(options.gradientTolerance, 1e-3)
        loose.devianceTolerance = max(options.devianceTolerance, 1e-9)
        loose.maxIterations = min(options.maxIterations, 25)
        loose.subsampleStart = false
        guard let fit = try? LogisticRegression.fit(sample, outcomes: outcomes, weights: weights, options: loose),
            fit.converged,
            !fit.warnings.contains(where: { if case .fittedProbabilitiesAtBounds = $0 { true } else { false } }),
            fit.coefficients.allSatisfy(\.isFinite)
        else { return nil }
        return fit.coefficients
    }
}

extension SubsampleStart {
    /// Every `stride`-th entry of `values`, from the first.
    static func sampled(_ values: [Double], stride: Int) -> [Double] {
        Swift.stride(from: 0, to: values.count, by: stride).map { values[$0] }
    }

    /// Every `stride`-th row of `x`, from the first.
    static func sampled(_ x: DesignMatrix, stride: Int) -> DesignMatrix {
        let m = sampleRows(rows: x.rows, stride: stride)
        var values = [Double](repeating: 0, count: m * x.columns)
        x.values.withUnsafeBufferPointer { source in
            for j in 0..<x.columns {
                let column = j * x.rows
                for r in 0..<m { values[r + j * m] = source[column + r * stride] }
            }
        }
        return DesignMatrix(rows: m, columns: x.columns, values: values, names: x.names, interceptColumn: x.interceptColumn)
    }

    /// The start for a fit of `rows` rows whose subsample `sample(stride)` lends, or nil.
    /// - Parameter totalWeight: Σ cᵢ over all rows (n without weights), as the fit has it.
    static func coefficients(
        rows: Int, columns: Int, outcomes: [Double], weights: [Double]?, totalWeight: Double,
        options: LogisticRegression.Options, sample: (_ stride: Int) -> DesignMatrix
    ) -> [Double]? {
        guard options.subsampleStart, totalWeight > 0, let stride = stride(rows: rows, columns: columns) else { return nil }
        let x = sample(stride)
        let y = sampled(outcomes, stride: stride)
        let w = weights.map { sampled($0, stride: stride) }
        let share = (w?.reduce(0, +) ?? Double(x.rows)) / totalWeight
        return coefficients(sample: x, outcomes: y, weights: w, options: options, fraction: share)
    }
}

extension SubsampleStart {
    /// Gathers the subsample while a streaming fit surveys its source, without knowing n in
    /// advance: every row at stride 1, and each time more than the limit are held, every second
    /// one of those (the stride doubles). It ends holding rows `i % stride == 0` for the stride
    /// ``SubsampleStart/stride(rows:columns:)`` computes from n. Its memory is bounded whatever
    /// n: at most `limit + 1` rows (see ``SubsampleStart/limit(columns:)``; 7.5 MiB for 60 terms), row by row in
    /// one buffer reserved once and thinned in place.
    struct Collector {
        let columns: Int
        let limit: Int
        private(set) var stride = 1
        private(set) var seen = 0
        /// Held rows, row-major (`columns` values each).
        private var values: [Double] = []
        private var outcomes: [Double] = []
        private var weights: [Double] = []
        private var weighted = false

        init(columns: Int) {
            self.columns = columns
            limit = SubsampleStart.limit(columns: columns)
            values.reserveCapacity((limit + 1) * columns)
            outcomes.reserveCapacity(limit + 1)
        }

        mutating func add(_ block: DesignBlockView) {
            let m = block.rows
            if block.weights != nil && !weighted {
                weighted = true
                weights.reserveCapacity(limit + 1)
                weights.append(contentsOf: repeatElement(1, count: outcomes.count))
            }
            for i in 0..<m {
                defer { seen += 1 }
                guard seen % stride == 0 else { continue }
                for j in 0..<columns { values.append(block.values[i + j * m]) }
                outcomes.append(block.outcomes[i])
                if weighted { weights.append(block.weights?[i] ?? 1) }
                if outcomes.count > limit { halve() }
            }
        }

        /// Keeps every second held row (those at multiples of twice the stride), in place.
        private mutating func halve() {
            let kept = (outcomes.count + 1) / 2
            for k in 1..<kept {
                for j in 0..<columns { values[k * columns + j] = values[2 * k * columns + j] }
                outcomes[k] = outcomes[2 * k]
                if weighted { weights[k] = weights[2 * k] }
            }
            values.removeLast((outcomes.count - kept) * columns)
            if weighted { weights.removeLast(outcomes.count - kept) }
            outcomes.removeLast(outcomes.count - kept)
            stride *= 2
        }

        /// The start for the surveyed rows (see ``SubsampleStart/coefficients(rows:columns:outcomes:weights:options:sample:)``).
        func coefficients(
            names: [String], interceptColumn: Int?, totalWeight: Double, options: LogisticRegression.Options
        ) -> [Double]? {
            guard options.subsampleStart, SubsampleStart.stride(rows: seen, columns: columns) == stride, totalWeight > 0
            else { return nil }
            let (x, y, w) = held(names: names, interceptColumn: interceptColumn)
            let share = (w?.reduce(0, +) ?? Double(x.rows)) / (weighted ? totalWeight : Double(seen))
            return SubsampleStart.coefficients(sample: x, outcomes: y, weights: w, options: options, fraction: share)
        }

        /// The rows held: design (column-major), outcomes and (when a block had them) case weights.
        func held(names: [String], interceptColumn: Int?) -> (x: DesignMatrix, outcomes: [Double], weights: [Double]?) {
            let m = outcomes.count, p = columns
            let columnMajor = [Double](unsafeUninitializedCapacity: m * p) { buffer, initialized in
                for i in 0..<m {
                    for j in 0..<p { (buffer.baseAddress! + i + j * m).initialize(to: values[i * p + j]) }
                }
                initialized = m * p
            }
            let x = DesignMatrix(rows: m, columns: p, values: columnMajor, names: names, interceptColumn: interceptColumn)
            return (x, outcomes, weighted ? weights : nil)
        }
    }
}
