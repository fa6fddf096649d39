import BatonSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far a distribution has moved, by the usual PSI bands (GLOSSARY): < 0.1 stable,
/// 0.1–0.25 watch, > 0.25 shifted.
package enum StabilityBand: String, Sendable, Equatable, Codable {
    case stable, watch, shifted

    /// The band of a PSI value: `psi < 0.1` stable, `0.1 ≤ psi ≤ 0.25` watch, `psi > 0.25` shifted.
    package init(psi: Double) {
        self = psi < 0.1 ? .stable : (psi <= 0.25 ? .watch : .shifted)
    }
}

/// One bin of a PSI table.
package struct StabilityBin: Sendable, Equatable {
    /// `≤ 3`, `(3, 7]`, `> 12`, a level name, or `missing`.
    package let label: String
    /// Leads in the bin in the expected (training) window.
    package let expectedCount: Int
    /// Leads in the bin in the actual (test) window.
    package let actualCount: Int
    /// eᵢ: the expected share used in the sum (see ``PopulationStability/emptyBinRule``).
    package let expectedShare: Double
    /// aᵢ: the actual share used in the sum.
    package let actualShare: Double
    /// (aᵢ − eᵢ) ln(aᵢ / eᵢ), ≥ 0.
    package var contribution: Double { (actualShare - expectedShare) * log(actualShare / expectedShare) }
}

/// The population stability index of one variable between a training (expected) window and a
/// test (actual) window (GLOSSARY): `PSI = Σ (aᵢ − eᵢ) ln(aᵢ / eᵢ)` over bins of the expected
/// distribution.
///
/// Bins: for numbers, up to 10 bins cut at the expected window's deciles (see
/// ``numeric(expected:actual:binCount:)``); for categories, one bin per level seen in either window.
/// An empty bin would make the log infinite; the glossary does not say what to do, so this
/// type uses ``emptyBinRule``.
package struct PopulationStability: Sendable, Equatable {
    /// A bin with no leads in a window counts as half a lead there: share = 0.5 / n of that
    /// window (a continuity correction that keeps PSI finite and shrinks as the window grows).
    package static let emptyBinRule = "a bin with no leads in a window counts as half a lead there (share 0.5/n)"

    package let bins: [StabilityBin]
    /// The PSI, ≥ 0.
    package let index: Double
    /// Leads in the expected / actual window.
    package let expectedTotal: Int
    package let actualTotal: Int

    package var band: StabilityBand { StabilityBand(psi: index) }

    /// PSI from bin counts.
    /// - Precondition: equal lengths, at least one bin, non-negative counts, each window non-empty.
    package init(labels: [String], expected: [Int], actual: [Int]) {
        precondition(
            labels.count == expected.count && expected.count == actual.count && !labels.isEmpty,
            "PopulationStability: one label and two counts per bin")
        let n = expected.reduce(0, +), m = actual.reduce(0, +)
        precondition(
            n > 0 && m > 0 && !expected.contains { $0 < 0 } && !actual.contains { $0 < 0 },
            "PopulationStability: both windows need leads")
        func share(_ count: Int, _ total: Int) -> Double { Double(count == 0 ? 0.5 : Double(count)) / Double(total) }
        bins = labels.indices.map {
            StabilityBin(
                label: labels[$0], expectedCount: expected[$0], actualCount: actual[$0],
                expectedShare: share(expected[$0], n), actualShare: share(actual[$0], m))
        }
        index = bins.reduce(0) { $0 + $1.contribution }
        expectedTotal = n
        actualTotal = m
    }

    /// PSI of a numeric variable; nil values (empty cells) form a `missing` bin when either window has one.
    ///
    /// Cut points are the expected window's deciles `q_k = x_(⌈k·n/10⌉)` (k = 1…9, the
    /// inverted-CDF quantile of the sorted values), duplicates removed; bins are
    /// `(−∞, q₁], (q₁, q₂], …, (q_last, ∞)`. Count data with many ties therefore get fewer bins.
    /// - Precondition: both windows have at least one lead; `binCount ≥ 2`.
    package static func numeric(expected: [Double?], actual: [Double?], binCount: Int = 10) -> PopulationStability {
        precondition(binCount >= 2, "PopulationStability: binCount \(binCount) must be ≥ 2")
        let sorted = expected.compactMap { $0 }.sorted()
        var edges: [Double] = []
        if !sorted.isEmpty {
            for k in 1..<binCount {
                let rank = (k * sorted.count + binCount - 1) / binCount  // ⌈k·n/B⌉, 1-based
                let q = sorted[max(0, rank - 1)]
                if edges.last != q { edges.append(q) }
            }
            if edges.last == sorted.last { edges.removeLast() }  // no empty top bin by construction
        }
        func counts(_ values: [Double?]) -> (bins: [Int], missing: Int) {
            var bins = [Int](repeating: 0, count: edges.count + 1)
            var missing = 0
            for value in values {
                guard let v = value else {
                    missing += 1
                    continue
                }
                var lo = 0, hi = edges.count  // first edge ≥ v
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if edges[mid] < v { lo = mid + 1 } else { hi = mid }
                }
                bins[lo] += 1
            }
            return (bins, missing)
        }
        let e = counts(expected), a = counts(actual)
        var labels: [String] = []
        for k in 0...edges.count {
            if edges.isEmpty {
                labels.append("all")
                break
            }
            if k == 0 {
                labels.append("≤ \(format(edges[0]))")
            } else if k == edges.count {
                labels.append("> \(format(edges[k - 1]))")
            } else {
                labels.append("(\(format(edges[k - 1])), \(format(edges[k]))]")
            }
        }
        var expectedCounts = e.bins, actualCounts = a.bins
        if e.missing + a.missing > 0 {
            labels.append("missing")
            expectedCounts.append(e.missing)
            actualCounts.append(a.missing)
        }
        return PopulationStability(labels: labels, expected: expectedCounts, actual: actualCounts)
    }

    /// PSI of a categorical variable: one bin per level seen in either window, in byte order.
    package static func categorical(expected: [String], actual: [String]) -> PopulationStability {
        var e: [String: Int] = [:], a: [String: Int] = [:]
        for level in expected { e[level, default: 0] += 1 }
        for level in actual { a[level, default: 0] += 1 }
        let labels = Set(e.keys).union(a.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return PopulationStability(labels: labels, expected: labels.map { e[$0] ?? 0 }, actual: labels.map { a[$0] ?? 0 })
    }

    static func format(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < largestLeadNumber { return x.plainText }
        guard abs(x) < largestLeadNumber else { return x.description }
        return String((x * 1000).rounded() / 1000)
    }
}
