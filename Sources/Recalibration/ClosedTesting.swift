import LabStatistics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Model updating by closed testing: Vergouwe Y, Nieboer D, Oostenbrink R, Debray TPA, Murray GD,
/// Kattan MW, Koffijberg H, Moons KGM, Steyerberg EW. "A closed testing procedure to select an
/// appropriate method for updating prediction models." Stat Med 2017;36(28):4529–4539,
/// doi:10.1002/sim.7179 (and Steyerberg, *Clinical Prediction Models*, 2nd ed., ch. 20).
///
/// On the update data four models are fitted, from the least to the most extensive:
/// (a) the original model as is (0 parameters estimated), (b) recalibration in the large —
/// a new intercept α with the original linear predictor lp as offset, logit p = α + lp (1),
/// (c) logistic recalibration — logit p = α + β·lp (2), and (d) model revision, every
/// coefficient re-estimated (k, the revised model's terms with its intercept).
///
/// The procedure, as the paper's own code (its `ClosedTest` function) runs it: each simpler
/// model is compared with the revision by a likelihood-ratio test, LR = 2(ℓ_d − ℓ_x) against
/// χ² with the difference in estimated parameters as degrees of freedom — a vs d on k df, b vs d
/// on k − 1, c vs d on k − 2 — at the stated α (0.05). The original model is kept when a vs d
/// is not significant; otherwise the intercept update is chosen when b vs d is not
/// significant, otherwise recalibration when c vs d is not, otherwise the revision: the
/// simplest model the update data do not show to be worse. Each later test runs only once the
/// earlier ones rejected, which keeps the family-wise type I error near α (closed testing).
///
/// Pure computation: no I/O; typed errors.
package struct ClosedTesting: Sendable, Equatable {
    /// The four update methods, least extensive first.
    package enum Method: String, Sendable, CaseIterable, Comparable {
        case original, intercept, recalibration, revision

        /// The letter the issue and the report use: a, b, c, d.
        package var letter: String {
            switch self {
            case .original: "a"
            case .intercept: "b"
            case .recalibration: "c"
            case .revision: "d"
            }
        }

        package var title: String {
            switch self {
            case .original: "champion as is"
            case .intercept: "new intercept (recalibration in the large)"
            case .recalibration: "intercept + slope on the champion's linear predictor (logistic recalibration)"
            case .revision: "full refit (the challenger)"
            }
        }

        package static func < (a: Self, b: Self) -> Bool {
            allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
        }
    }

    /// One model on the update data.
    package struct Fit: Sendable, Equatable {
        package let method: Method
        /// Parameters estimated on the update data.
        package let parameters: Int
        /// ℓ on the update data, in nats.
        package let logLikelihood: Double
        /// 2·parameters − 2ℓ.
        package var aic: Double { 2 * Double(parameters) - 2 * logLikelihood }
        /// α of (b) and (c) (nil otherwise), with its standard error from the observed information.
        package let intercept: Double?
        package let interceptStandardError: Double?
        /// β of (c) (nil otherwise), with its standard error.
        package let slope: Double?
        package let slopeStandardError: Double?
    }

    /// One likelihood-ratio test of a simpler model against the revision.
    package struct Test: Sendable, Equatable {
        package let simpler: Method
        /// 2(ℓ_revision − ℓ_simpler), floored at 0.
        package let statistic: Double
        package let degreesOfFreedom: Int
        /// P(χ²_df > statistic).
        package let pValue: Double
        /// p < α: the simpler model fits the update data significantly worse.
        package let rejected: Bool
    }

    /// The significance level of every test.
    package let alpha: Double
    /// a, b, c, d in that order.
    package let fits: [Fit]
    /// a vs d, b vs d, c vs d, in that order (all three are computed; the procedure reads them in order).
    package let tests: [Test]
    /// The first adequate method (see the type's discussion).
    package let chosen: Method

    package static let defaultAlpha = 0.05

    /// Runs the procedure.
    /// - Parameters:
    ///   - original: the original model's linear predictor on each update lead.
    ///   - revised: the revised model's linear predictor on the same leads, and its parameter count k (terms with intercept).
    ///   - outcomes: 1 won, 0 lost.
    /// - Throws: ``ClosedTestingError`` for mismatched or empty input, a single outcome class,
    ///   non-finite predictors, k < 3 (c and d would not differ), or a fit that does not converge.
    package static func run(
        original: [Double], revised: [Double], revisedParameters k: Int, outcomes: [Double], alpha: Double = defaultAlpha
    ) throws(ClosedTestingError) -> ClosedTesting {
        guard !outcomes.isEmpty, original.count == outcomes.count, revised.count == outcomes.count else {
            throw .mismatched(original: original.count, revised: revised.count, outcomes: outcomes.count)
        }
        guard k >= 3 else { throw .tooFewTerms(parameters: k) }
        guard original.allSatisfy(\.isFinite), revised.allSatisfy(\.isFinite) else { throw .nonFinitePredictor }
        let won = outcomes.reduce(0, +)
        guard won > 0, won < Double(outcomes.count) else { throw .singleClass(count: outcomes.count) }
        let a = Fit(
            method: .original, parameters: 0, logLikelihood: logLikelihood(original, outcomes),
            intercept: nil, interceptStandardError: nil, slope: nil, slopeStandardError: nil)
        let b = try fitIntercept(offset: original, outcomes: outcomes)
        let c = try fitRecalibration(x: original, outcomes: outcomes)
        let d = Fit(
            method: .revision, parameters: k, logLikelihood: logLikelihood(revised, outcomes),
            intercept: nil, interceptStandardError: nil, slope: nil, slopeStandardError: nil)
        let tests = [a, b, c].map { simpler in
            let statistic = max(0, 2 * (d.logLikelihood - simpler.logLikelihood))
            let df = k - simpler.parameters
            let p = ChiSquareDistribution.survival(statistic, degreesOfFreedom: Double(df))
            return Test(simpler: simpler.method, statistic: statistic, degreesOfFreedom: df, pValue: p, rejected: p < alpha)
        }
        let chosen = tests.first { !$0.rejected }?.simpler ?? .revision
        return ClosedTesting(alpha: alpha, fits: [a, b, c, d], tests: tests, chosen: chosen)
    }

    /// The fit of `method`.
    package func fit(_ method: Method) -> Fit? { fits.first { $0.method == method } }

    /// ℓ = Σ y·η − log(1 + e^η), stable for large |η|.
    package static func logLikelihood(_ eta: [Double], _ y: [Double]) -> Double {
        var sum = 0.0
        for (e, yi) in zip(eta, y) { sum += yi * e - softplus(e) }
        return sum
    }

    static func softplus(_ x: Double) -> Double { x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) }
    static func logistic(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }

    /// (b): logit p = α + offset, by Newton's method on the concave 1-D log-likelihood.
    static func fitIntercept(offset: [Double], outcomes: [Double]) throws(ClosedTestingError) -> Fit {
        var alpha = 0.0
        for iteration in 1...maximumIterations {
            var gradient = 0.0, information = 0.0
            for (o, y) in zip(offset, outcomes) {
                let p = logistic(alpha + o)
                gradient += y - p
                information += p * (1 - p)
            }
            guard information > 0, information.isFinite else { throw .didNotConverge(method: .intercept, iterations: iteration) }
            let step = gradient / information
            alpha += step
            if abs(step) <= 1e-12 * (1 + abs(alpha)) {
                var information = 0.0
                for o in offset {
                    let p = logistic(alpha + o)
                    information += p * (1 - p)
                }
                let eta = offset.map { $0 + alpha }
                return Fit(
                    method: .intercept, parameters: 1, logLikelihood: logLikelihood(eta, outcomes), intercept: alpha,
                    interceptStandardError: 1 / information.squareRoot(), slope: nil, slopeStandardError: nil)
            }
        }
        throw .didNotConverge(method: .intercept, iterations: maximumIterations)
    }

    /// (c): logit p = α + β·x, by Newton's method on the 2 × 2 system with step-halving.
    static func fitRecalibration(x: [Double], outcomes: [Double]) throws(ClosedTestingError) -> Fit {
        func state(_ a: Double, _ b: Double) -> (ll: Double, ga: Double, gb: Double, haa: Double, hab: Double, hbb: Double) {
            var s = (ll: 0.0, ga: 0.0, gb: 0.0, haa: 0.0, hab: 0.0, hbb: 0.0)
            for (xi, y) in zip(x, outcomes) {
                let eta = a + b * xi
                let p = logistic(eta)
                let w = p * (1 - p)
                s.ll += y * eta - softplus(eta)
                s.ga += y - p
                s.gb += (y - p) * xi
                s.haa += w
                s.hab += w * xi
                s.hbb += w * xi * xi
            }
            return s
        }
        var (a, b) = (0.0, 1.0)
        var current = state(a, b)
        for iteration in 1...maximumIterations {
            let det = current.haa * current.hbb - current.hab * current.hab
            guard det > 0, det.isFinite else { throw .didNotConverge(method: .recalibration, iterations: iteration) }
            let da = (current.hbb * current.ga - current.hab * current.gb) / det
            let db = (current.haa * current.gb - current.hab * current.ga) / det
            var scale = 1.0
            var accepted = false
            for _ in 0..<60 {
                let trial = state(a + scale * da, b + scale * db)
                if trial.ll.isFinite, trial.ll >= current.ll - 1e-12 * abs(current.ll) {
                    a += scale * da
                    b += scale * db
                    current = trial
                    accepted = true
                    break
                }
                scale /= 2
            }
            guard accepted else { throw .didNotConverge(method: .recalibration, iterations: iteration) }
            if max(abs(scale * da), abs(scale * db)) <= 1e-12 * (1 + max(abs(a), abs(b))) {
                let det = current.haa * current.hbb - current.hab * current.hab
                guard det > 0 else { throw .didNotConverge(method: .recalibration, iterations: iteration) }
                return Fit(
                    method: .recalibration, parameters: 2, logLikelihood: current.ll, intercept: a,
                    interceptStandardError: (current.hbb / det).squareRoot(), slope: b,
                    slopeStandardError: (current.haa / det).squareRoot())
            }
        }
        throw .didNotConverge(method: .recalibration, iterations: maximumIterations)
    }

    static let maximumIterations = 100
}

/// Why closed testing could not run.
package enum ClosedTestingError: Error, Sendable, Equatable, CustomStringConvertible {
    case mismatched(original: Int, revised: Int, outcomes: Int)
    case tooFewTerms(parameters: Int)
    case nonFinitePredictor
    case singleClass(count: Int)
    case didNotConverge(method: ClosedTesting.Method, iterations: Int)

    package var description: String {
        switch self {
        case let .mismatched(original, revised, outcomes):
            "closed testing needs one linear predictor per update lead (original \(original), revised \(revised), outcomes \(outcomes))"
        case let .tooFewTerms(parameters):
            "closed testing needs a revised model with at least 2 terms besides the intercept (it has \(parameters - 1)): recalibration and revision would coincide"
        case .nonFinitePredictor: "a linear predictor is not a finite number"
        case let .singleClass(count):
            "the \(count) update leads are all won or all lost: no update can be estimated; widen the training window"
        case let .didNotConverge(method, iterations):
            "the \(method.letter) (\(method.title)) fit did not converge in \(iterations) Newton steps: the champion's score separates won from lost in the update window"
        }
    }
}
