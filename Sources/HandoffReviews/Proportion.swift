import BatonSupport
import LabStatistics
import ReportRendering

/// A count out of a total with its Wilson 95 % interval; no rate and no interval when the total is 0,
/// so an empty group reads "no data" instead of dividing by zero.
package struct Proportion: Sendable, Hashable {
    package let successes: Int
    package let trials: Int

    /// Precondition: `0 <= successes <= trials`.
    package init(_ successes: Int, of trials: Int) {
        precondition(successes >= 0 && successes <= trials, "a proportion needs 0 ≤ successes ≤ trials")
        self.successes = successes
        self.trials = trials
    }

    /// successes / trials, nil when trials = 0.
    package var rate: Double? { trials > 0 ? Double(successes) / Double(trials) : nil }

    /// Wilson 95 % interval, nil when trials = 0.
    package var interval: ConfidenceInterval? {
        trials > 0 ? ConfidenceInterval.wilson(successes: successes, trials: trials) : nil
    }

    /// Below this many trials a rate is marked (``smallSampleMark``): "0.0 % (0/1)" is an anecdote,
    /// and its Wilson interval (0–79 %) says so only to a reader who looks at it.
    package static let smallSampleTrials = 10
    /// The mark after a rate from fewer than ``smallSampleTrials`` trials; reports explain it once.
    package static let smallSampleMark = "†"
    /// The footnote reports add when a marked rate appears.
    package static let smallSampleNote =
        "† fewer than \(smallSampleTrials) leads behind the rate: read it as an anecdote, not as a rate; the 95 % interval shows how little it pins down."

    /// ``smallSampleNote`` when `text` shows a marked rate, else nil: every report explains the mark the same way.
    package static func smallSampleFootnote(for text: String) -> String? {
        text.contains(smallSampleMark) ? smallSampleNote : nil
    }

    /// "62.5 % (5/8; 95 % CI 30.6–86.3 %)†" (marked: under 10 trials), or "no data (0 of 0)".
    package var formatted: String {
        guard let rate, let ci = interval else { return "no data (0 of 0)" }
        let mark = trials < Self.smallSampleTrials ? Self.smallSampleMark : ""
        return
            "\(NumberFormat.percent(rate)) (\(successes)/\(trials); 95 % CI \(NumberFormat.percent(ci.lower, unit: false))–\(NumberFormat.percent(ci.upper)))\(mark)"
    }
}

/// Sample quantiles by linear interpolation between order statistics (Hyndman–Fan type 7,
/// numpy's default): q(p) = x₍ₕ₎ + (h − ⌊h⌋)(x₍ₕ₊₁₎ − x₍ₕ₎) with h = (n − 1)p over the sorted sample.
package enum Quantile {
    /// The `p`-quantile of `values`; nil for an empty sample. Precondition: p in [0, 1], values finite.
    package static func of(_ values: [Double], _ p: Double) -> Double? {
        precondition((0...1).contains(p), "quantile p must lie in [0, 1]")
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * p
        let low = h.clampedInt(.down, in: 0...(sorted.count - 1)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
