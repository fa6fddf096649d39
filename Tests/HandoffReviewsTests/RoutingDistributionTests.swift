import Foundation
import HandoffReviews
import HandoffRules
import ReportRendering
import TestSupport
import Testing

/// Issue 16's "why the distribution is uneven", on eight leads routed by hand-checkable smooth
/// weighted round-robin: ana (weight 2), bob (1, capacity 1) and cy (1). Credits turn by turn
/// (gain the weight, the winner pays the participants' total):
///
/// | turn | ana | bob | cy | winner |
/// | --- | --- | --- | --- | --- |
/// | 1 | 2 | 1 | 1 | ana (→ −2) |
/// | 2 | 0 | 2 | 2 | bob (tie, earlier on the roster; → −2; now at capacity) |
/// | 3 | 2 | — | 3 | cy (→ 0) |
/// | 4 | 4 | — | 1 | ana (→ 1) |
/// | 5 | 3 | — | 2 | ana (→ 0) |
/// | 6 | 2 | — | 3 | cy (→ 0) |
/// | 7 | 4 | — | 1 | ana (→ 1) |
/// | 8 | 3 | — | 2 | ana (→ 0) |
///
/// ana 5 of 8 (62.5 % against 50 %), bob 1 (12.5 % against 25 %: skipped for capacity 6 times),
/// cy 2 (25 %); lost turns: ana 3 (turns 2, 3, 6), bob 1, cy 6.
@Suite struct RoutingDistributionTests {
    static func decisions() -> [RoutingExplanation] {
        let calendar = BusinessCalendar(timeZone: TimeZone(identifier: "UTC") ?? .current, hours: .nineToFive, holidays: [])
        let roster = RepRoster([
            Rep(id: "ana", name: "Ana", weight: 2, calendar: calendar),
            Rep(id: "bob", name: "Bob", weight: 1, capacity: 1, calendar: calendar),
            Rep(id: "cy", name: "Cy", weight: 1, calendar: calendar),
        ])
        var router = Router(policy: RoutingPolicy(fallbackQueue: "triage", rules: []), roster: roster)
        var open: [String: Int] = [:]
        let monday = at("2025-10-06T10:00:00Z")
        return (1...8).map { n in
            let decision = router.route(leadID: "L\(n)", fields: [:], at: monday, openHandoffs: open)
            if let rep = decision.repID { open[rep, default: 0] += 1 }
            return RoutingExplanation(decision, assignmentRule: "round-robin", reassignedFrom: nil)
        }
    }

    @Test func sharesAgainstWeightsWithTheirReasons() {
        let d = RoutingDistribution.compute(Self.decisions())
        #expect(d.assigned == 8 && d.queued == 0)
        #expect(d.rows.map(\.repID) == ["ana", "bob", "cy"])
        #expect(d.rows.map(\.assigned) == [5, 1, 2])
        #expect(d.rows.map(\.weightShare) == [0.5, 0.25, 0.25])
        #expect(d.rows.map(\.passedOver) == [3, 1, 6])
        #expect(d.rows.map(\.skipped) == [[:], ["capacity": 6], [:]])
        var md = MarkdownWriter()
        ReviewReport.distributionSection(d, into: &md)
        let text = md.text
        #expect(text.contains("| bob | 1 (25.0 %) | 1 (12.5 %) | 0 | 1 | capacity 6 |"), "\(text)")
        #expect(text.contains("- ana: 62.5 % of the leads against a weight share of 50.0 % (+12.5 %): others were skipped more often."), "\(text)")
        #expect(text.contains("- bob: 12.5 % of the leads against a weight share of 25.0 % (−12.5 %): most often skipped for capacity (6 leads)."))
    }

    @Test func aPeriodWithoutRoutingSaysSo() {
        var md = MarkdownWriter()
        ReviewReport.distributionSection(RoutingDistribution.compute([]), into: &md)
        #expect(md.text.contains("No lead was placed with a rep by the router in this period."))
    }
}
