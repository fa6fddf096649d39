import Foundation
import HandoffPersistence

/// Disposition codes and their patterns across sources, campaigns, score bands and fit attributes.
///
/// Each lead counts once, with its latest disposition. Rates are over dispositioned hand-offs.
/// Minimum-count rule: categories of the grouping with fewer than
/// ``AnalyticsConfiguration/minimumCategoryCount`` dispositioned leads, and codes used fewer
/// times than that, are pooled into "(other)" before the ``ContingencyTest``; a pattern is
/// reported only for cells flagged by the Bonferroni-adjusted residuals of a test that ran.
package struct DispositionPatterns: Sendable, Hashable {
    package struct CodeCount: Sendable, Hashable {
        package let code: String
        /// Leads with this code, out of all dispositioned leads.
        package let share: Proportion
    }

    /// A code over- or under-represented in one category.
    package struct Pattern: Sendable, Hashable {
        package let grouping: String
        package let category: String
        package let code: String
        /// Share of the category's dispositions with this code, and the share elsewhere.
        package let inCategory: Proportion
        package let elsewhere: Proportion
        package let adjustedResidual: Double
    }

    /// One grouping's table and test.
    package struct Grouping: Sendable, Hashable {
        package let name: String
        package let categories: [String]
        package let codes: [String]
        package let test: ContingencyTest
    }

    /// Hand-offs in the period, and those with a disposition.
    package let handoffs: Int
    package let dispositioned: Int
    package let codes: [CodeCount]
    package let groupings: [Grouping]
    package let patterns: [Pattern]

    package static func compute(
        _ journeys: [LeadJourney], period: ReportPeriod, asOf: Date,
        configuration: AnalyticsConfiguration = AnalyticsConfiguration()
    ) -> DispositionPatterns {
        let handed = journeys.filter { $0.handoffAt.map(period.contains) ?? false }
        let disposed = handed.filter { j in j.dispositionCode != nil && (j.dispositionAt.map { $0 <= asOf } ?? false) }
        let n = disposed.count
        let byCode = Dictionary(grouping: disposed) { $0.dispositionCode ?? "" }.mapValues(\.count)
        let codes = byCode.map { CodeCount(code: $0.key, share: Proportion($0.value, of: n)) }
            .sorted { $0.share.successes != $1.share.successes ? $0.share.successes > $1.share.successes : $0.code < $1.code }

        var keyers: [(String, (LeadJourney) -> String)] = [
            ("source", { VolumeDimension.source.key($0, configuration) }),
            ("campaign", { VolumeDimension.campaign.key($0, configuration) }),
            ("score band", { VolumeDimension.scoreBand.key($0, configuration) }),
        ]
        for attribute in configuration.fitAttributes {
            keyers.append((attribute, { $0.field(attribute) ?? "(none)" }))
        }
        let minimum = configuration.minimumCategoryCount
        let keptCodes = Set(byCode.filter { $0.value >= minimum }.keys)
        func code(_ j: LeadJourney) -> String {
            let c = j.dispositionCode ?? ""
            return keptCodes.contains(c) ? c : "(other)"
        }
        var groupings: [Grouping] = []
        var patterns: [Pattern] = []
        for (name, key) in keyers {
            let raw = Dictionary(grouping: disposed, by: key).mapValues(\.count)
            let kept = Set(raw.filter { $0.value >= minimum }.keys)
            func category(_ j: LeadJourney) -> String { kept.contains(key(j)) ? key(j) : "(other)" }
            let categories = Array(Set(disposed.map(category))).sorted()
            let columns = Array(Set(disposed.map(code))).sorted()
            let table = categories.map { cat in
                columns.map { c in disposed.filter { category($0) == cat && code($0) == c }.count }
            }
            let test = ContingencyTest(counts: table, alpha: configuration.alpha)
            groupings.append(Grouping(name: name, categories: categories, codes: columns, test: test))
            guard test.pValue != nil else { continue }
            for (i, cat) in categories.enumerated() {
                let rowTotal = table[i].reduce(0, +)
                for (j, c) in columns.enumerated() where abs(test.adjustedResiduals[i][j]) > test.residualCutoff {
                    let colTotal = table.reduce(0) { $0 + $1[j] }
                    patterns.append(
                        Pattern(
                            grouping: name, category: cat, code: c, inCategory: Proportion(table[i][j], of: rowTotal),
                            elsewhere: Proportion(colTotal - table[i][j], of: n - rowTotal),
                            adjustedResidual: test.adjustedResiduals[i][j]))
                }
            }
        }
        patterns.sort { abs($0.adjustedResidual) > abs($1.adjustedResidual) }
        return DispositionPatterns(handoffs: handed.count, dispositioned: n, codes: codes, groupings: groupings, patterns: patterns)
    }
}
