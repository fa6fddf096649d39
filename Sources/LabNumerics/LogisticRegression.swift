#if canImport(Glibc)
import BatonSupport
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic regression by Newton's method (IRLS) on LAPACK.
///
/// Minimises `−ℓ(β) + λ‖β₋₀‖²/2` (the intercept column is not penalised):
/// `H = XᵀWX + λP`, `g = Xᵀc(y − μ) − λPβ`, `β ← β + t H⁻¹g` with `W = diag(cᵢ μᵢ(1 − μᵢ))`,
/// the step t halved while the objective rises. XᵀWX is accumulated with `dsyrk` over row
/// blocks split across cores; H is factored with `dpotrf` and solved with `dpotrs`.
///
/// Converged means both: the relative change of the objective
/// `|f_k − f_{k−1}| / (|f_k| + 0.1)` is at most ``Options/devianceTolerance`` and the gradient,
/// measured in the metric of the Hessian diagonal (`max |gⱼ| / √Hⱼⱼ`, roughly the last step in
/// standard errors), is at most ``Options/gradientTolerance``.
///
/// Before iterating, the design is checked for constant and collinear terms (pivoted Cholesky,
/// `dpstrf`, of the scaled information matrix), and after it, for quasi-complete separation
/// (terms whose estimate runs away); both throw with the terms named.
package enum LogisticRegression {
    /// Fit settings.
    package struct Options: Sendable, Equatable {
        /// λ ≥ 0 of the ridge term `λ‖β₋₀‖²/2`. Default 0 (maximum likelihood).
        package var penalty: Double
        /// Newton steps allowed. Default 100.
        package var maxIterations: Int
        /// Relative objective change for convergence. Default 1e-12.
        package var devianceTolerance: Double
        /// Scaled gradient (`max |gⱼ|/√Hⱼⱼ`) for convergence. Default 1e-8.
        package var gradientTolerance: Double
        /// Halvings allowed in one step. Default 40.
        package var maxStepHalvings: Int
        /// Worker threads; nil = cores online.
        package var threads: Int?
        /// Rows per cache block; nil = chosen from the column count.
        package var blockRows: Int?
        /// Start a large fit at a subsample's estimates (``SubsampleStart``). Default true; the
        /// optimum does not depend on it, only the number of passes that reach it.
        package var subsampleStart: Bool

        package init(
            penalty: Double = 0, maxIterations: Int = 100, devianceTolerance: Double = 1e-12,
            gradientTolerance: Double = 1e-8, maxStepHalvings: Int = 40, threads: Int? = nil,
            blockRows: Int? = nil, subsampleStart: Bool = true
        ) {
            self.penalty = penalty
            self.maxIterations = maxIterations
            self.devianceTolerance = devianceTolerance
            self.gradientTolerance = gradientTolerance
            self.maxStepHalvings = maxStepHalvings
            self.threads = threads
            self.blockRows = blockRows
            self.subsampleStart = subsampleStart
        }
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - x: the design, column-major; its ``DesignMatrix/interceptColumn`` is not penalised.
    ///   - outcomes: 0 (closed-lost) or 1 (closed-won) per row.
    ///   - weights: optional non-negative case weights cᵢ (frequency weights).
    ///   - oneHot: the design's one-hot features as the encoder that built it knows them (dummy
    ///     columns and each row's level). Passes then take those dummies as level codes without
    ///     scanning X for indicators; with none given (a plain matrix), indicators are detected.
    ///     The caller vouches that they match X (see ``OneHotFeature``).
    /// - Throws: ``FitError`` for empty, non-binary, single-class, constant, collinear or
    ///   separated data.
    package static func fit(
        _ x: DesignMatrix, outcomes: [Double], weights: [Double]? = nil,
        oneHot: [OneHotFeature] = [], options: Options = .init()
    ) throws(FitError) -> LogisticFit {
        try validate(rows: x.rows, columns: x.columns, outcomes: outcomes, weights: weights, options: options)
        let result: Result<LogisticFit, FitError> = x.values.withUnsafeBufferPointer { values in
            Result { () throws(FitError) in
                try newton(
                    values: values, rows: x.rows, columns: x.columns, names: x.names, interceptColumn: x.interceptColumn,
                    outcomes: outcomes, weights: weights, options: options, workers: options.threads ?? onlineProcessorCount(),
                    oneHot: oneHot, coded: nil, matrix: { x }, sample: { SubsampleStart.sampled(x, stride: $0) },
                    withColumn: { j, body in
                        x.values.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(j * x.rows)..<((j + 1) * x.rows)])) }
                    })
            }
        }
        return try result.get()
    }

    /// ``fit(_:outcomes:weights:oneHot:options:)`` on a design whose dummies are level codes:
    /// the same passes (``LevelPartials``) read the dense block and the codes, and the plain
    /// matrix is spelled out only where a diagnosis must read every column (a non-finite value,
    /// separation) or when the features' code tables would be too large for level passes.
    /// Estimates, standard errors and warnings equal those of the plain matrix with `oneHot`.
    package static func fit(
        _ design: CodedDesign, outcomes: [Double], weights: [Double]? = nil, options: Options = .init()
    ) throws(FitError) -> LogisticFit {
        try validate(rows: design.rows, columns: design.columns, outcomes: outcomes, weights: weights, options: options)
        let workers = options.threads ?? onlineProcessorCount()
        guard !design.denseColumns.isEmpty,
            let layout = LevelLayout.make(oneHot: design.oneHot, columns: design.columns, rows: design.rows, workers: workers)
        else {
            return try fit(design.materialized(), outcomes: outcomes, weights: weights, oneHot: design.oneHot, options: options)
        }
        return try design.withDenseValues { (values) throws(FitError) in
            try newton(
                values: values, rows: design.rows, columns: design.columns, names: design.names,
                interceptColumn: design.interceptColumn, outcomes: outcomes, weights: weights, options: options,
                workers: workers, oneHot: [], coded: layout, matrix: { design.materialized() },
                sample: { design.materialized(everyRow: $0) },
                withColumn: { j, body in design.withColumn(j, body) }, isIndicator: { design.densePosition(of: $0) == nil })
        }
    }

    /// The Newton iterations over `values` (the whole design, or with `coded` only the dense
    /// columns of its level layout), with the diagnoses' access to the plain matrix.
    private static func newton(
        values xp: UnsafeBufferPointer<Double>, rows: Int, columns: Int, names: [String], interceptColumn: Int?, outcomes: [Double],
        weights: [Double]?, options: Options, workers: Int, oneHot: [OneHotFeature], coded: LevelLayout?,
        matrix: @escaping () -> DesignMatrix, sample: @escaping (_ stride: Int) -> DesignMatrix,
        withColumn: @escaping (Int, (UnsafeBufferPointer<Double>) -> Void) -> Void,
        isIndicator: @escaping (Int) -> Bool = { _ in false }
    ) throws(FitError) -> LogisticFit {
        // The buffer closures are untyped-rethrows, so the typed error travels in a Result.
        let result: Result<LogisticFit, FitError> =
            outcomes.withUnsafeBufferPointer { yp in
                withOptionalPointer(weights) { wp in
                    guard let xBase = xp.baseAddress, let yBase = yp.baseAddress else { return .failure(.emptyInput) }
                    let workspace = NewtonWorkspace(
                        x: xBase, y: yBase, weights: wp, rows: rows, columns: columns,
                        workers: workers, blockRows: options.blockRows, oneHot: oneHot, coded: coded)
                    return withSingleThreadedBLAS {
                        Result { () throws(FitError) -> LogisticFit in
                            try Newton(
                                names: names, interceptColumn: interceptColumn, rows: rows, matrix: matrix,
                                sample: sample, withColumn: withColumn, isIndicator: isIndicator, outcomes: outcomes, weights: weights,
                                options: options,
                                workspace: workspace
                            ).run()
                        }
                    }
                }
            }
        return try result.get()
    }

    private static func validate(
        rows: Int, columns: Int, outcomes: [Double], weights: [Double]?,
        options: Options
    ) throws(FitError) {
        guard options.penalty >= 0, options.penalty.isFinite else {
            throw .invalidOption(name: "penalty", value: options.penalty, requirement: "a finite λ ≥ 0")
        }
        guard options.maxIterations >= 1 else {
            throw .invalidOption(name: "maxIterations", value: Double(options.maxIterations), requirement: "at least 1")
        }
        guard columns > 0 else { throw .noColumns }
        guard rows > 0 else { throw .emptyInput }
        guard outcomes.count == rows, weights.map({ $0.count == rows }) ?? true else {
            throw .lengthMismatch(rows: rows, outcomes: outcomes.count, weights: weights?.count)
        }
        var won = 0.0, total = 0.0
        for i in 0..<rows {
            let y = outcomes[i]
            guard y == 0 || y == 1 else { throw .nonBinaryOutcome(row: i, value: y) }
            let c = weights?[i] ?? 1
            guard c >= 0, c.isFinite else { throw .invalidWeight(row: i, value: c) }
            won += c * y
            total += c
        }
        guard total > 0 else { throw .zeroTotalWeight }
        if won == 0 || won == total {
            throw .singleOutcomeClass(outcome: won == 0 ? 0 : 1, rows: rows)
        }
    }
}

/// Calls `body` with a pointer to the array's storage, or nil.
func withOptionalPointer<R>(_ array: [Double]?, _ body: (UnsafePointer<Double>?) throws -> R) rethrows -> R {
    guard let array else { return try body(nil) }
    return try array.withUnsafeBufferPointer { try body($0.baseAddress) }
}

/// The in-memory side of the Newton iteration: row totals from the arrays, passes over the
/// workspace, diagnoses that read X (`matrix`, spelled out only when a diagnosis runs).
private struct Newton {
    let names: [String]
    let interceptColumn: Int?
    let rows: Int
    /// The plain matrix (for the non-finite diagnosis, which runs only when a pass fails).
    let matrix: () -> DesignMatrix
    /// Every `stride`-th row of the plain matrix (``SubsampleStart``).
    let sample: (_ stride: Int) -> DesignMatrix
    /// Lends one column (the separation check reads the few columns it suspects).
    let withColumn: (Int, (UnsafeBufferPointer<Double>) -> Void) -> Void
    /// Columns known to hold only 0 and 1 (``SeparationDiagnosis`` reads them only when needed).
    let isIndicator: (Int) -> Bool
    let outcomes: [Double]
    let weights: [Double]?
    let options: LogisticRegression.Options
    let workspace: NewtonWorkspace

    func run() throws(FitError) -> LogisticFit {
        let (matrix, outcomes, weights, workspace) = (self.matrix, self.outcomes, self.weights, self.workspace)
        let totalWeight = weights?.reduce(0, +) ?? Double(rows)
        let won = weights.map { w in zip(outcomes, w).reduce(0) { $0 + $1.0 * $1.1 } } ?? outcomes.reduce(0, +)
        let effectiveRows = weights?.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } ?? rows
        let problem = NewtonProblem(
            names: names, interceptColumn: interceptColumn, rows: rows,
            effectiveRows: effectiveRows, won: won, totalWeight: totalWeight)
        let start = SubsampleStart.coefficients(
            rows: rows, columns: names.count, outcomes: outcomes, weights: weights, totalWeight: totalWeight,
            options: options, sample: sample)
        return try NewtonIteration.run(
            problem, options: options,
            evaluate: { (beta: [Double], information: Bool) throws(FitError) -> PassTotals in
                workspace.evaluate(at: beta, information: information)
            },
            nonFinite: { nonFiniteDiagnosis(matrix()) },
            separated: { beta, information, force in
                SeparationDiagnosis.runaway(
                    beta: beta, information: information, names: names, interceptColumn: interceptColumn,
                    outcomes: outcomes, weights: weights, force: force, withColumn: withColumn, isIndicator: isIndicator)
            },
            wrap: { $0 }, start: start)
    }

    /// Finds the first non-finite design value to name it.
    func nonFiniteDiagnosis(_ x: DesignMatrix) -> FitError {
        for j in 0..<x.columns {
            let offset = j * x.rows
            for i in 0..<x.rows where !x.values[offset + i].isFinite {
                return .nonFiniteValue(row: i, term: x.names[j], value: x.values[offset + i])
            }
        }
        return .singularHessian(iteration: 0)
    }
}
