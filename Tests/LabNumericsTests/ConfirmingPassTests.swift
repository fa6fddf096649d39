import Foundation
import TestSupport
import Testing

@testable import LabNumerics

/// The Newton iteration's last, confirming step is evaluated without the information XᵀWX
/// (``NewtonIteration``): what that pass returns must be a full pass's ℓ, gradient and boundary
/// count bit for bit, and a fit that ends on it must report the estimates, ℓ and gradient at its
/// β exactly and the standard errors of the Hessian one step before, within a step's change.
@Suite struct ConfirmingPassTests {
    static func pass(
        _ x: DesignMatrix, _ y: [Double], _ c: [Double]?, oneHot: [OneHotFeature], beta: [Double], information: Bool,
        workers: Int = 2
    ) -> PassTotals {
        x.values.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                withOptionalPointer(c) { cp in
                    let workspace = NewtonWorkspace(
                        x: xp.baseAddress!, y: yp.baseAddress!, weights: cp, rows: x.rows, columns: x.columns, workers: workers,
                        blockRows: nil, indicators: !oneHot.isEmpty, oneHot: oneHot)
                    return withSingleThreadedBLAS { workspace.evaluate(at: beta, information: information) }
                }
            }
        }
    }

    /// On the level-table path (one-hot features) and the dense `dsyrk` path, weighted or not,
    /// on one core or two: ℓ, g and the boundary rows without the information are the full pass's.
    @Test(arguments: [(true, false, 2), (true, true, 2), (false, false, 2), (false, true, 1), (true, true, 1)])
    func aPassWithoutTheInformationGivesTheSameTotals(levels: Bool, weighted: Bool, workers: Int) {
        let (x, y, c, oneHot) = SubsampleStartTests.design(rows: 30_011, seed: 23)
        var random = SplitMix64(seed: 29)
        for _ in 0..<3 {
            // Large coefficients put some rows at the boundary (μ within 1e-10 of 0 or 1).
            let beta = (0..<x.columns).map { _ in (random.uniform() - 0.5) * 9 }
            let full = Self.pass(x, y, weighted ? c : nil, oneHot: levels ? oneHot : [], beta: beta, information: true, workers: workers)
            let light = Self.pass(x, y, weighted ? c : nil, oneHot: levels ? oneHot : [], beta: beta, information: false, workers: workers)
            #expect(light.logLikelihood == full.logLikelihood)
            #expect(light.gradient == full.gradient)
            #expect(light.boundaryRows == full.boundaryRows)
            #expect(full.information.values.contains { $0 != 0 })
        }
    }

    /// The fit's ℓ and gradient norm are those of a full pass at its estimates; its standard
    /// errors, from the Hessian one step earlier, agree with that pass's inverse information to
    /// far below their own sampling error.
    @Test(arguments: [(false, 0.0), (true, 0.0), (false, 2.5)])
    func aFitEndingOnAConfirmingPassReportsItsOwnOptimum(weighted: Bool, penalty: Double) throws {
        let (x, y, c, oneHot) = SubsampleStartTests.design(rows: 120_000, seed: 31)
        let weights = weighted ? c : nil
        let fit = try LogisticRegression.fit(x, outcomes: y, weights: weights, oneHot: oneHot, options: .init(penalty: penalty))
        #expect(fit.converged)
        let atOptimum = Self.pass(x, y, weights, oneHot: oneHot, beta: fit.coefficients, information: true)
        #expect(fit.logLikelihood == atOptimum.logLikelihood)
        var gradientNorm = 0.0
        for j in 0..<x.columns {
            gradientNorm = max(gradientNorm, abs(atOptimum.gradient[j] - (j == 0 ? 0 : penalty * fit.coefficients[j])))
        }
        #expect(fit.gradientNorm == gradientNorm)
        var hessian = atOptimum.information
        for j in 1..<x.columns { hessian[j, j] += penalty }
        let factored = hessian.choleskyInPlace()
        #expect(factored)
        let covariance = try #require(hessian.inverseFromFactor())
        let exact = (0..<x.columns).map { covariance[$0, $0].squareRoot() }
        for j in 0..<x.columns {
            #expect(isClose(fit.standardErrors[j], exact[j], relative: 1e-7), "\(x.names[j]): \(fit.standardErrors[j]) against \(exact[j])")
        }
        // Bit-equal standard errors would mean the last step was evaluated in full: the shortcut was not taken.
        #expect(fit.standardErrors != exact)
    }
}
