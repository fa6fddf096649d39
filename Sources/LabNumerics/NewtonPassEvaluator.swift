import BatonSupport

/// What one pass over the rows at β gives: ℓ(β), the score Xᵀc(y − μ) and the observed
/// information XᵀWX, W = diag(cᵢ μᵢ(1 − μᵢ)).
package struct NewtonPassValues: Sendable, Equatable {
    /// ℓ(β) = Σ cᵢ [yᵢ ηᵢ − log(1 + e^{ηᵢ})].
    package var logLikelihood: Double
    /// ∂ℓ/∂β, one per column.
    package var gradient: [Double]
    /// XᵀWX, p × p column-major, both triangles filled.
    package var information: [Double]
    /// Rows (with positive weight) whose fitted probability is within 1e-10 of 0 or 1.
    package var boundaryRows: Int
}

/// Evaluates Newton passes over one design, as ``LogisticRegression/fit(_:outcomes:weights:options:)``
/// does each iteration (row blocks per core, single-threaded BLAS, sparse 0/1 indicator
/// columns taken from their compressed rows). Obtain one with
/// ``LogisticRegression/withNewtonPass(_:outcomes:weights:options:exploitIndicators:_:)``.
package struct NewtonPassEvaluator {
    let workspace: NewtonWorkspace

    /// True when the design's sparse 0/1 columns are handled as indicators.
    package var usesIndicators: Bool { workspace.layout != nil || workspace.levels != nil }

    /// One pass at `coefficients` (one per column).
    package func evaluate(at coefficients: [Double]) -> NewtonPassValues {
        precondition(coefficients.count == workspace.columns, "evaluate: \(coefficients.count) coefficients for \(workspace.columns) columns")
        let totals = withSingleThreadedBLAS { workspace.evaluate(at: coefficients) }
        return NewtonPassValues(
            logLikelihood: totals.logLikelihood, gradient: totals.gradient,
            information: totals.information.values, boundaryRows: totals.boundaryRows)
    }
}

extension LogisticRegression {
    /// Calls `body` with an evaluator of Newton passes over `x` (benchmarks, diagnostics).
    ///
    /// - Parameters:
    ///   - options: `threads` and `blockRows` are used.
    ///   - exploitIndicators: false forces the dense `dsyrk` path for every column.
    ///   - oneHot: the design's one-hot features as its encoder knows them (see
    ///     ``LogisticRegression/fit(_:outcomes:weights:oneHot:options:)``).
    /// - Precondition: `outcomes` (and `weights`) have one entry per row.
    package static func withNewtonPass<R>(
        _ x: DesignMatrix, outcomes: [Double], weights: [Double]? = nil,
        options: Options = .init(), exploitIndicators: Bool = true,
        oneHot: [OneHotFeature] = [],
        _ body: (NewtonPassEvaluator) throws -> R
    ) rethrows -> R {
        precondition(outcomes.count == x.rows && (weights?.count ?? x.rows) == x.rows, "withNewtonPass: lengths differ")
        return try x.values.withUnsafeBufferPointer { xp in
            try outcomes.withUnsafeBufferPointer { yp in
                try withOptionalPointer(weights) { wp in
                    guard let xBase = xp.baseAddress, let yBase = yp.baseAddress else {
                        preconditionFailure("withNewtonPass: empty design")
                    }
                    let workspace = NewtonWorkspace(
                        x: xBase, y: yBase, weights: wp, rows: x.rows, columns: x.columns,
                        workers: options.threads ?? onlineProcessorCount(), blockRows: options.blockRows,
                        indicators: exploitIndicators, oneHot: oneHot)
                    return try body(NewtonPassEvaluator(workspace: workspace))
                }
            }
        }
    }
}
