import BatonSupport
import Foundation
import ScoringModelFormat

/// The row loop of ``BatchScorer``: rows in blocks small enough to stay in cache, every feature of
/// a block one tight loop over contiguous memory, blocks spread over the cores.
///
/// Per block: (1) each feature in spec order writes its term values and signed impacts into
/// block-local columns and adds its points to the fit/engagement sums (spec order, as
/// ``LeadScorer`` adds them); (2) η is summed step by step in the weight file's term order, so
/// every η equals ``LeadScorer``'s bit for bit; (3) each row's three largest |impact| are picked
/// with the exact rule of ``TopReasons`` (larger |impact| first, the earlier feature on ties, 0
/// never a reason): features are visited in spec order, each one a pass over the block's rows
/// that inserts its impact into the row's three places without a branch (a strict `>` keeps the
/// earlier feature first on ties), so the compiler runs it on vector lanes.
final class BatchKernel: @unchecked Sendable {
    /// One feature's columns and constants.
    struct Feature {
        var isNumeric: Bool
        var isEngagement: Bool
        // Numeric.
        var values: ColumnStorage<Double> = []
        var missing: ColumnStorage<Bool> = []
        var transform: NumericTransform = .none
        var missingAllowed = false
        var missingTerm = 0.0
        /// `numericTermValue(k)` for whole k in 0 ..< count (bit-identical, no `log1p` per cell).
        var wholeTerms: [Double] = []
        var valuePoints = 0.0, indicatorPoints = 0.0
        // Categorical.
        var codes: ColumnStorage<Int32> = []
        var pointsOfCode: [Double] = []
        var impactOfCode: [Double] = []
    }

    /// One step of η: β times a value term, β times the missing indicator, or β of the row's level.
    enum Step {
        case value(feature: Int, beta: Double)
        case indicator(feature: Int, beta: Double)
        case levels(feature: Int, betaOfCode: [Double])
    }

    struct Outputs {
        var probability, logOdds, points, fit, engagement, topImpact: UnsafeMutablePointer<Double>
        var topFeature: UnsafeMutablePointer<Int32>
    }

    let features: [Feature]
    let steps: [Step]
    let intercept: Double
    let scale: PointsScale
    let rowCount: Int
    let rowsPerTask: Int
    let blockRows: Int
    private let out: Outputs
    /// One flag per task, set when a cell cannot be encoded (the caller then finds which).
    private let failed: UnsafeMutablePointer<Bool>

    var taskCount: Int { rowCount == 0 ? 0 : (rowCount + rowsPerTask - 1) / rowsPerTask }

    init(
        features: [Feature], steps: [Step], intercept: Double, scale: PointsScale, rowCount: Int,
        rowsPerTask: Int, blockRows: Int, outputs: Outputs
    ) {
        precondition(rowsPerTask > 0 && blockRows > 0)
        self.features = features
        self.steps = steps
        self.intercept = intercept
        self.scale = scale
        self.rowCount = rowCount
        self.rowsPerTask = rowsPerTask
        self.blockRows = blockRows
        self.out = outputs
        failed = .allocate(capacity: max(1, (rowCount + rowsPerTask - 1) / rowsPerTask))
    }

    deinit { failed.deallocate() }

    /// Scores every row; false when some cell could not be encoded (outputs then incomplete).
    func run() -> Bool {
        let tasks = taskCount
        failed.initialize(repeating: false, count: max(1, tasks))
        if tasks == 1 {
            runTask(0)
        } else if tasks > 1 {
            DispatchQueue.concurrentPerform(iterations: tasks) { self.runTask($0) }
        }
        return !(0..<tasks).contains { failed[$0] }
    }

    private func runTask(_ task: Int) {
        let start = task * rowsPerTask, end = min(rowCount, start + rowsPerTask)
        let featureCount = features.count, b = blockRows
        let terms = UnsafeMutablePointer<Double>.allocate(capacity: max(1, featureCount * b))
        let impacts = UnsafeMutablePointer<Double>.allocate(capacity: max(1, featureCount * b))
        let places = UnsafeMutablePointer<Double>.allocate(capacity: 9 * b)
        defer {
            terms.deallocate()
            impacts.deallocate()
            places.deallocate()
        }
        var ok = true
        var lo = start
        while lo < end {
            let m = min(b, end - lo)
            ok = featureBlock(lo: lo, count: m, terms: terms, impacts: impacts) && ok
            etaBlock(lo: lo, count: m, terms: terms)
            topThreeBlock(lo: lo, count: m, impacts: impacts, places: places)
            lo += m
        }
        if !ok { failed[task] = true }
    }

    /// Step 1: term values, impacts and the fit/engagement sums of rows lo ..< lo + m.
    private func featureBlock(
        lo: Int, count m: Int, terms: UnsafeMutablePointer<Double>,
        impacts: UnsafeMutablePointer<Double>
    ) -> Bool {
        let fit = out.fit + lo, engagement = out.engagement + lo
        fit.update(repeating: 0, count: m)
        engagement.update(repeating: 0, count: m)
        var ok = true
        for (f, feature) in features.enumerated() {
            let total = feature.isEngagement ? engagement : fit
            let impact = impacts + f * blockRows
            if feature.isNumeric {
                ok = Self.numericBlock(feature, lo: lo, count: m, terms: terms + f * blockRows, impacts: impact, total: total) && ok
            } else {
                feature.codes.withUnsafeBufferPointer { codes in
                    feature.pointsOfCode.withUnsafeBufferPointer { points in
                        feature.impactOfCode.withUnsafeBufferPointer { impactOfCode in
                            for r in 0..<m {
                                let code = Int(codes[lo + r])
                                impact[r] = impactOfCode[code]
                                total[r] += points[code]
                            }
                        }
                    }
                }
            }
        }
        return ok
    }

    @inline(__always)
    private static func numericBlock(
        _ feature: Feature, lo: Int, count m: Int, terms: UnsafeMutablePointer<Double>,
        impacts: UnsafeMutablePointer<Double>, total: UnsafeMutablePointer<Double>
    ) -> Bool {
        var ok = true
        let missingTerm = feature.missingTerm, missingAllowed = feature.missingAllowed
        let valuePoints = feature.valuePoints, indicatorPoints = feature.indicatorPoints
        let log1p = feature.transform == .log1p
        feature.values.withUnsafeBufferPointer { values in
            feature.missing.withUnsafeBufferPointer { missing in
                feature.wholeTerms.withUnsafeBufferPointer { whole in
                    let wholeCount = Double(whole.count), magic = 0x1p52
                    for r in 0..<m {
                        let isMissing = missing[lo + r]
                        let x = values[lo + r]
                        let term: Double
                        if isMissing {
                            ok = ok && missingAllowed
                            term = missingTerm
                        } else if x >= 0, x < wholeCount, x + magic - magic == x {
                            // 0 ≤ x < 1024: adding 2⁵² rounds x to an integer held in the low
                            // mantissa bits; equal after subtracting means x is whole (no checked
                            // Double → Int conversion in the loop).
                            term = whole[Int(truncatingIfNeeded: (x + magic).bitPattern &- magic.bitPattern)]
                        } else if log1p {
                            // FeatureEncoding.numericTermValue's rule and function, inlined.
                            ok = ok && x > -1 && x <= largestLeadNumber  // false for NaN and ±inf
                            term = Foundation.log1p(x)
                        } else {
                            ok = ok && abs(x) <= largestLeadNumber  // false for NaN and ±inf
                            term = x
                        }
                        terms[r] = term
                        // The expression of ScoringPlan.numericPoints, with the feature's constants hoisted.
                        let points = valuePoints * term + (isMissing ? indicatorPoints : 0)
                        impacts[r] = points
                        total[r] += points
                    }
                }
            }
        }
        return ok
    }

    /// Step 2: η in term order, then probability and points.
    private func etaBlock(lo: Int, count m: Int, terms: UnsafeMutablePointer<Double>) {
        let eta = out.logOdds + lo
        eta.update(repeating: intercept, count: m)
        for step in steps {
            switch step {
            case .value(let f, let beta):
                let term = terms + f * blockRows
                for r in 0..<m { eta[r] += beta * term[r] }
            case .indicator(let f, let beta):
                features[f].missing.withUnsafeBufferPointer { missing in
                    for r in 0..<m { eta[r] += beta * (missing[lo + r] ? 1 : 0) }
                }
            case .levels(let f, let betaOfCode):
                features[f].codes.withUnsafeBufferPointer { codes in
                    betaOfCode.withUnsafeBufferPointer { betaOfCode in
                        for r in 0..<m { eta[r] += betaOfCode[Int(codes[lo + r])] }
                    }
                }
            }
        }
        let probability = out.probability + lo, points = out.points + lo
        for r in 0..<m {
            probability[r] = ScoringPlan.logistic(eta[r])
            points[r] = scale.points(logOdds: eta[r])
        }
    }

    /// Step 3: the three largest |impact| of each row (see the type's discussion for the rule).
    /// `places`: 9 × `blockRows` doubles of scratch (per row: the three places' |impact|,
    /// impact and feature).
    private func topThreeBlock(lo: Int, count m: Int, impacts: UnsafeMutablePointer<Double>, places: UnsafeMutablePointer<Double>) {
        let b = blockRows
        let (s0, s1, s2) = (places, places + b, places + 2 * b)
        let (v0, v1, v2) = (places + 3 * b, places + 4 * b, places + 5 * b)
        let (f0, f1, f2) = (places + 6 * b, places + 7 * b, places + 8 * b)
        // Empty places: |impact| 0, which no impact of 0 (never a reason) or NaN gets past.
        places.update(repeating: 0, count: 6 * b)
        f0.update(repeating: -1, count: 3 * b)
        for f in 0..<features.count {
            let column = impacts + f * b
            let feature = Double(f)
            for r in 0..<m {
                let v = column[r]
                let s = abs(v)
                let (a0, a1, a2) = (s0[r], s1[r], s2[r])
                // Strictly larger only: an earlier feature with the same |impact| keeps its place.
                let above0 = s > a0, above1 = s > a1, above2 = s > a2
                s2[r] = above1 ? a1 : (above2 ? s : a2)
                s1[r] = above0 ? a0 : (above1 ? s : a1)
                s0[r] = above0 ? s : a0
                let (w0, w1, w2) = (v0[r], v1[r], v2[r])
                v2[r] = above1 ? w1 : (above2 ? v : w2)
                v1[r] = above0 ? w0 : (above1 ? v : w1)
                v0[r] = above0 ? v : w0
                let (g0, g1, g2) = (f0[r], f1[r], f2[r])
                f2[r] = above1 ? g1 : (above2 ? feature : g2)
                f1[r] = above0 ? g0 : (above1 ? feature : g1)
                f0[r] = above0 ? feature : g0
            }
        }
        let topFeature = out.topFeature + 3 * lo, topImpact = out.topImpact + 3 * lo
        for r in 0..<m {
            // Feature indices (and −1) are exact in a Double.
            topFeature[3 * r] = Int32(f0[r])
            topFeature[3 * r + 1] = Int32(f1[r])
            topFeature[3 * r + 2] = Int32(f2[r])
            topImpact[3 * r] = v0[r]
            topImpact[3 * r + 1] = v1[r]
            topImpact[3 * r + 2] = v2[r]
        }
    }
}
