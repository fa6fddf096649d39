#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What happens at one MQL threshold on the test window: leads at or above it become MQLs.
package struct ThresholdPoint: Sendable, Equatable {
    /// Score in points; a lead with score ≥ threshold is an MQL.
    package let threshold: Double
    /// MQLs in the window.
    package let leads: Int
    /// leads / weeks in the window.
    package let leadsPerWeek: Double
    /// Σ p over the MQLs (what the model expects to convert).
    package let expectedConversions: Double
    /// Won MQLs observed.
    package let observedConversions: Int
    /// observedConversions / leads (0 when no MQL).
    package var precision: Double { leads == 0 ? 0 : Double(observedConversions) / Double(leads) }
    /// observedConversions / all won leads in the window.
    package let recall: Double
    /// observedConversions / weeks.
    package var conversionsPerWeek: Double { Double(observedConversions) / weeks }
    let weeks: Double
}

/// The MQL threshold curve on the test window and the choice of a threshold from sales capacity
/// and/or a target conversion rate.
///
/// Thresholds run over whole points from ⌊min score⌋ to ⌊max score⌋ + 1 (the first that makes no MQL).
package struct ThresholdCurve: Sendable, Equatable {
    /// One point per whole-point threshold, ascending.
    package let points: [ThresholdPoint]
    /// Weeks in the window: days / 7.
    package let weeks: Double
    package let totalLeads: Int
    package let totalPositives: Int

    /// - Parameters:
    ///   - scores: points per lead; `probabilities` and `outcomes` (0/1) per lead likewise.
    ///   - days: length of the window the leads came in, in days.
    /// - Precondition: equal non-zero lengths, finite scores, `days > 0`.
    package init(scores: [Double], probabilities: [Double], outcomes: [Double], days: Double) {
        precondition(
            !scores.isEmpty && scores.count == probabilities.count && scores.count == outcomes.count,
            "ThresholdCurve: one score, probability and outcome per lead")
        precondition(days > 0 && scores.allSatisfy(\.isFinite), "ThresholdCurve: finite scores and days > 0")
        weeks = days / 7
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = outcomes.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        totalLeads = scores.count
        totalPositives = positives
        let low = Int(floor(scores.min() ?? 0)), high = Int(floor(scores.max() ?? 0)) + 1
        var result: [ThresholdPoint] = []
        var cursor = 0, won = 0, expected = 0.0
        // Sweep thresholds downwards, admitting leads as the bar drops.
        for t in stride(from: high, through: low, by: -1) {
            let threshold = Double(t)
            while cursor < order.count && scores[order[cursor]] >= threshold {
                let i = order[cursor]
                won += outcomes[i] == 1 ? 1 : 0
                expected += probabilities[i]
                cursor += 1
            }
            result.append(
                ThresholdPoint(
                    threshold: threshold, leads: cursor, leadsPerWeek: Double(cursor) / weeks,
                    expectedConversions: expected, observedConversions: won,
                    recall: positives == 0 ? 0 : Double(won) / Double(positives), weeks: weeks))
        }
        points = result.reversed()
    }

    /// The threshold that respects the given constraints, or why none does.
    ///
    /// - capacity N leads/week: the lowest threshold whose MQL volume per week is ≤ N (as many
    ///   MQLs as the team can call, no more);
    /// - target conversion R: the lowest threshold whose observed precision is ≥ R (with at
    ///   least one MQL);
    /// - both: the higher of the two thresholds, so both hold.
    /// - Precondition: at least one constraint.
    package func choose(capacityPerWeek: Double?, targetConversion: Double?) -> Result<ThresholdPoint, ThresholdChoiceError> {
        precondition(capacityPerWeek != nil || targetConversion != nil, "ThresholdCurve: give a capacity or a target")
        var candidates: [ThresholdPoint] = []
        if let capacity = capacityPerWeek {
            guard let point = points.first(where: { $0.leadsPerWeek <= capacity }) else {
                return .failure(.capacityUnreachable(capacity: capacity))
            }
            candidates.append(point)
        }
        if let target = targetConversion {
            guard let point = points.first(where: { $0.leads > 0 && $0.precision >= target }) else {
                let best = points.filter { $0.leads > 0 }.map(\.precision).max() ?? 0
                return .failure(.targetUnreachable(target: target, bestPrecision: best))
            }
            candidates.append(point)
        }
        return .success(candidates.max { $0.threshold < $1.threshold } ?? candidates[0])
    }

    /// The points within `radius` points of `threshold`, every `step` points.
    package func around(_ threshold: Double, radius: Double = 25, step: Int = 5) -> [ThresholdPoint] {
        points.filter { abs($0.threshold - threshold) <= radius && Int($0.threshold - threshold) % step == 0 }
    }
}

/// Why no threshold satisfies the requested capacity or conversion target.
package enum ThresholdChoiceError: Error, Sendable, Equatable, CustomStringConvertible {
    case capacityUnreachable(capacity: Double)
    case targetUnreachable(target: Double, bestPrecision: Double)

    package var description: String {
        switch self {
        case let .capacityUnreachable(capacity):
            return "no threshold keeps MQL volume at or below \(capacity) leads per week; give a capacity above 0"
        case let .targetUnreachable(target, best):
            return
                "no threshold reaches a conversion rate of \(target) among MQLs on the test quarter (the best is \(best)); lower --target-conversion"
        }
    }
}
