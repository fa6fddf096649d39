import LabNumerics
import LabStatistics

/// Whether a group of leads converts as its predicted probabilities say.
package enum ConversionVerdict: String, Sendable, Equatable, Codable {
    /// Observed conversion significantly below predicted: "scores highly but rarely converts".
    case belowPredicted = "below_predicted"
    /// Observed conversion significantly above predicted.
    case abovePredicted = "above_predicted"
    /// The predicted mean lies inside the observed rate's interval.
    case consistent
    /// Fewer leads than the minimum count: not judged.
    case tooFew = "too_few"
}

/// Observed vs predicted conversion of one group of leads (a score band, or a segment such as
/// `lead_source=content_syndication`), judged by the Wilson interval of the observed rate.
///
/// Verdict: with n ≥ `minimumCount`, ``ConversionVerdict/belowPredicted`` when the interval's
/// upper bound is below the mean predicted probability, ``ConversionVerdict/abovePredicted``
/// when its lower bound is above it, else ``ConversionVerdict/consistent``.
package struct ConversionCheck: Sendable, Equatable {
    /// `band 1`, `lead_source=content_syndication`, ….
    package let group: String
    package let count: Int
    package let positives: Int
    /// Mean predicted probability of the group's leads.
    package let meanPredicted: Double
    /// positives / count.
    package var observedRate: Double { Double(positives) / Double(count) }
    /// Wilson interval of ``observedRate`` at the chosen confidence.
    package let interval: ConfidenceInterval
    package let verdict: ConversionVerdict

    /// Leads below which a group is not judged (its interval is too wide to mean much).
    package static let defaultMinimumCount = 50

    /// - Precondition: `count ≥ 1`, `0 ≤ positives ≤ count`.
    package init(
        group: String, count: Int, positives: Int, meanPredicted: Double,
        minimumCount: Int = defaultMinimumCount, z: Double = NormalDistribution.z95
    ) {
        self.group = group
        self.count = count
        self.positives = positives
        self.meanPredicted = meanPredicted
        interval = .wilson(successes: positives, trials: count, z: z)
        if count < minimumCount {
            verdict = .tooFew
        } else if interval.upper < meanPredicted {
            verdict = .belowPredicted
        } else if interval.lower > meanPredicted {
            verdict = .abovePredicted
        } else {
            verdict = .consistent
        }
    }

    /// One check per group label, over the rows carrying it, in byte order of the labels.
    package static func byGroup(
        labels: [String], probabilities: [Double], outcomes: [Double],
        minimumCount: Int = defaultMinimumCount
    ) -> [ConversionCheck] {
        precondition(labels.count == probabilities.count && labels.count == outcomes.count, "one label per lead")
        var sums: [String: (n: Int, k: Int, p: Double)] = [:]
        for i in labels.indices {
            var s = sums[labels[i], default: (0, 0, 0)]
            s.n += 1
            s.k += outcomes[i] == 1 ? 1 : 0
            s.p += probabilities[i]
            sums[labels[i]] = s
        }
        return sums.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { key in
            let s = sums[key] ?? (1, 0, 0)
            return ConversionCheck(
                group: key, count: s.n, positives: s.k, meanPredicted: s.p / Double(s.n),
                minimumCount: minimumCount)
        }
    }
}
