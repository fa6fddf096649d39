import Foundation
import HandoffPersistence
import HandoffReviews
import TestSupport
import Testing

/// Constructed journeys for dispositions, speed × band and the production score bands.
@Suite struct PatternTests {
    let handoff = at("2025-03-03T09:00:00Z")  // a Monday
    let asOf = at("2025-10-13T00:00:00Z")  // > 90 days later: every hand-off is matured

    func journey(
        _ id: String, source: String = "web", p: Double = 0.5, touchAfterMinutes: Double? = 30,
        code: String? = nil, won: Bool = false, sha: String = String(repeating: "a", count: 64)
    ) -> LeadJourney {
        let lead = LeadRecord(id: id, fields: json(#"{"size":"small"}"#), source: source, createdAt: handoff.addingTimeInterval(-3600))
        let score = ScoreRecord(
            leadID: id, model: ModelVersion(sha256: sha, format: "baton.weights/1"), probability: p, points: 0,
            fitPoints: 0, engagementPoints: 0, scoredAt: handoff.addingTimeInterval(-60))
        let assignment = AssignmentRecord(leadID: id, target: .rep("r1"), rule: "rr", assignedAt: handoff)
        let attempts =
            touchAfterMinutes.map {
                [ContactAttemptRecord(id: "\(id)/a", leadID: id, channel: "call", attemptedAt: handoff.addingTimeInterval($0 * 60))]
            } ?? []
        let dispositions = code.map { [DispositionRecord(id: "\(id)/d", leadID: id, code: $0, decidedAt: handoff.addingTimeInterval(86_400))] } ?? []
        let opp =
            won
            ? [
                OpportunityRecord(
                    id: "\(id)/o", leadID: id, amount: Money(minorUnits: 1, currency: "EUR"), stage: "x",
                    openedAt: handoff.addingTimeInterval(2 * 86_400))
            ] : []
        let out =
            won
            ? [
                OutcomeRecord(
                    id: "\(id)/w", opportunityID: "\(id)/o", leadID: id, result: .won, amount: Money(minorUnits: 1, currency: "EUR"),
                    closedAt: handoff.addingTimeInterval(3 * 86_400))
            ] : []
        return LeadJourney.build(
            lead: lead, scores: [score], assignments: [assignment], attempts: attempts,
            dispositions: dispositions, opportunities: opp, outcomes: out)
    }

    var march: ReportPeriod { ReportPeriod(start: at("2025-03-01T00:00:00Z"), end: at("2025-04-01T00:00:00Z")) }

    @Test func dispositionPatternBeyondChance() throws {
        // source A: 20 wrong-fit, 5 no-budget; B: 5 wrong-fit, 20 no-budget (the chi-square of StatisticsTests);
        // source C has 2 leads, below the minimum count of 5, pooled into (other) for the test.
        var js: [LeadJourney] = []
        for i in 0..<20 { js.append(journey("A\(i)", source: "A", code: "wrong-fit")) }
        for i in 0..<5 { js.append(journey("a\(i)", source: "A", code: "no-budget")) }
        for i in 0..<5 { js.append(journey("B\(i)", source: "B", code: "wrong-fit")) }
        for i in 0..<20 { js.append(journey("b\(i)", source: "B", code: "no-budget")) }
        var config = AnalyticsConfiguration()
        config.fitAttributes = ["size"]
        let d = DispositionPatterns.compute(js, period: march, asOf: asOf, configuration: config)
        #expect(d.dispositioned == 50 && d.codes.map(\.code) == ["no-budget", "wrong-fit"] && d.codes[0].share == Proportion(25, of: 50))
        let source = try #require(d.groupings.first { $0.name == "source" })
        #expect(source.categories == ["A", "B"] && isClose(source.test.statistic ?? -1, 18, absolute: 1e-12, relative: 0))
        let a = try #require(d.patterns.first { $0.grouping == "source" && $0.category == "A" && $0.code == "wrong-fit" })
        #expect(a.inCategory == Proportion(20, of: 25) && a.elsewhere == Proportion(5, of: 25))
        #expect(d.patterns.filter { $0.grouping == "source" }.count == 4)
        // Fit attribute "size" is the same for all: one category, not tested.
        #expect(d.groupings.first { $0.name == "size" }?.test.skipReason != nil)

        let pooled = js + [journey("C0", source: "C", code: "wrong-fit"), journey("C1", source: "C", code: "wrong-fit")]
        let withC = DispositionPatterns.compute(pooled, period: march, asOf: asOf, configuration: config)
        #expect(withC.groupings.first { $0.name == "source" }?.categories == ["(other)", "A", "B"])
    }

    @Test func speedPaysWithinBand() throws {
        // Band 0.80–1.00: 10 touched within 30 min (8 won), 10 touched after 6 business h (0 won).
        // Band 0.00–0.20: 4 never touched (1 won).
        var js: [LeadJourney] = []
        for i in 0..<10 { js.append(journey("F\(i)", p: 0.9, touchAfterMinutes: 30, won: i < 8)) }
        for i in 0..<10 { js.append(journey("S\(i)", p: 0.85, touchAfterMinutes: 6 * 60, won: false)) }
        for i in 0..<4 { js.append(journey("N\(i)", p: 0.1, touchAfterMinutes: nil, won: i == 0)) }
        let sp = SpeedPays.compute(js, reps: [:], asOf: asOf)
        #expect(sp.matured == 24)
        #expect(sp.cell(band: "0.80–1.00", bucket: "≤ 1 h")?.conversion == Proportion(8, of: 10))
        #expect(sp.cell(band: "0.80–1.00", bucket: "4–24 h")?.conversion == Proportion(0, of: 10))
        #expect(sp.cell(band: "0.00–0.20", bucket: "never touched")?.conversion == Proportion(1, of: 4))
        #expect(sp.cells.count == 5 * 5)
        // Four days after the hand-off only the 9 won leads (closed on day 3) are matured; the rest wait 90 days.
        #expect(SpeedPays.compute(js, reps: [:], asOf: handoff.addingTimeInterval(4 * 86_400)).matured == 9)
        #expect(SpeedPays.compute(js, reps: [:], asOf: handoff.addingTimeInterval(86_400)).matured == 0)
    }

    /// The verdict: the CMH analysis over score bands of "first touch within 1 h" against later or
    /// never, on the same strata as ``MantelHaenszel`` built by hand.
    @Test func speedPaysVerdictFromTheStratifiedTest() throws {
        // Band 0.80–1.00: 30 fast (20 won), 30 slow (6 won). Band 0.40–0.60: 20 fast (8 won), 20 never touched (2 won).
        var js: [LeadJourney] = []
        for i in 0..<30 { js.append(journey("HF\(i)", p: 0.9, touchAfterMinutes: 30, won: i < 20)) }
        for i in 0..<30 { js.append(journey("HS\(i)", p: 0.9, touchAfterMinutes: 6 * 60, won: i < 6)) }
        for i in 0..<20 { js.append(journey("MF\(i)", p: 0.5, touchAfterMinutes: 45, won: i < 8)) }
        for i in 0..<20 { js.append(journey("MN\(i)", p: 0.5, touchAfterMinutes: nil, won: i < 2)) }
        let sp = SpeedPays.compute(js, reps: [:], asOf: asOf)
        let expected = MantelHaenszel(
            strata: [
                .init(exposedEvents: 0, exposedNonEvents: 0, unexposedEvents: 0, unexposedNonEvents: 0),
                .init(exposedEvents: 0, exposedNonEvents: 0, unexposedEvents: 0, unexposedNonEvents: 0),
                .init(exposedEvents: 8, exposedNonEvents: 12, unexposedEvents: 2, unexposedNonEvents: 18),
                .init(exposedEvents: 0, exposedNonEvents: 0, unexposedEvents: 0, unexposedNonEvents: 0),
                .init(exposedEvents: 20, exposedNonEvents: 10, unexposedEvents: 6, unexposedNonEvents: 24),
            ], continuityCorrection: true)
        #expect(sp.test == expected && sp.fast == 50 && sp.later == 50 && sp.matured == 100 && sp.fastWithinHours == 1)
        // ψ = (8·18/40 + 20·24/60) / (12·2/40 + 10·6/60) = 11.6 / 1.6 = 7.25.
        #expect(isClose(try #require(sp.test.oddsRatio), 7.25, absolute: 0, relative: 1e-14))
        #expect(sp.verdict == .fasterConvertsMore && sp.test.informativeStrata == 2)
        let sentence = ReviewReport.speedPaysVerdict(sp, configuration: AnalyticsConfiguration())
        let ci = try #require(sp.test.confidenceInterval)
        #expect(
            sentence
                == "Leads contacted within 1 h converted more often: odds ratio 7.25 (95 % CI \(String(format: "%.2f", ci.lower))–\(String(format: "%.2f", ci.upper)), CMH p = \(String(format: "%.3g", sp.test.pValue ?? -1)), 2 score band(s) with both groups and both outcomes, 100 matured hand-offs: 50 contacted within 1 h, 50 later or never)."
        )

        // Nearly the same rates fast and slow: 8 of 30 won within 1 h, 7 of 30 later; ψ = 8·23 / (22·7).
        let even = (0..<60).map { journey("E\($0)", p: 0.9, touchAfterMinutes: $0 < 30 ? 30 : 6 * 60, won: $0 % 4 == 0) }
        let flat = SpeedPays.compute(even, reps: [:], asOf: asOf)
        #expect(isClose(flat.test.oddsRatio ?? -1, 184.0 / 154, absolute: 0, relative: 1e-14))
        #expect(flat.test.confidenceInterval.map { $0.lower < 1 && $0.upper > 1 } == true && flat.verdict == .noEvidence)
        #expect(
            ReviewReport.speedPaysVerdict(flat, configuration: AnalyticsConfiguration()).hasPrefix(
                "No evidence yet that speed pays: the interval includes 1, odds ratio"))

        // Slow leads converting more: the verdict says so rather than hiding it.
        let reversed = (0..<60).map { journey("R\($0)", p: 0.9, touchAfterMinutes: $0 < 30 ? 30 : 6 * 60, won: $0 < 30 ? $0 < 3 : $0 < 50) }
        #expect(SpeedPays.compute(reversed, reps: [:], asOf: asOf).verdict == .fasterConvertsLess)
    }

    @Test func speedPaysSaysWhenThereIsTooLittleToJudge() {
        // 24 matured hand-offs, under the minimum of 50.
        var few: [LeadJourney] = []
        for i in 0..<12 { few.append(journey("F\(i)", p: 0.9, touchAfterMinutes: 30, won: i < 8)) }
        for i in 0..<12 { few.append(journey("S\(i)", p: 0.9, touchAfterMinutes: 6 * 60, won: false)) }
        let sp = SpeedPays.compute(few, reps: [:], asOf: asOf)
        #expect(sp.verdict == .tooFewMatured(have: 24, need: 50))
        #expect(
            ReviewReport.speedPaysVerdict(sp, configuration: AnalyticsConfiguration())
                == "Not enough matured hand-offs to judge whether speed pays (need 50 matured and scored, have 24); review again when more outcomes are in."
        )
        // A source that records no touches: nobody is fast.
        let untouched = (0..<60).map { journey("U\($0)", p: 0.9, touchAfterMinutes: nil, won: $0 < 10) }
        let none = SpeedPays.compute(untouched, reps: [:], asOf: asOf)
        #expect(none.verdict == .tooFewInAGroup(fast: 0, later: 60, need: 10) && none.test.oddsRatio == nil)
        #expect(
            ReviewReport.speedPaysVerdict(none, configuration: AnalyticsConfiguration()).contains(
                "need 10 contacted within 1 h and 10 later or never; have 0 and 60"))
        // Enough in each group, but no fast lead won: the odds ratio would be 0.
        let zero = (0..<60).map { journey("Z\($0)", p: 0.9, touchAfterMinutes: $0 < 30 ? 30 : 6 * 60, won: $0 >= 50) }
        let z = SpeedPays.compute(zero, reps: [:], asOf: asOf)
        #expect(z.verdict == .noEstimate && z.test.missingEstimate?.contains("would be 0") == true)
        #expect(!ReviewReport.speedPaysVerdict(z, configuration: AnalyticsConfiguration()).contains("nan"))
    }

    @Test func productionScoreBandsFlagHighScoreLowConversion() throws {
        // p = 0.05·i for i = 1…19 and 0.98; leads 11…18 won → bands of 2, highest first: band 1
        // (0.98, 0.95) none won, bands 2–5 all won (band 1 is the top decile, as in validate).
        var js: [LeadJourney] = []
        for i in 1...20 {
            js.append(journey(String(format: "P%02d", i), p: i == 20 ? 0.98 : 0.05 * Double(i), won: (11...18).contains(i)))
        }
        js.append(journey("Z", p: 0.99, won: false, sha: String(repeating: "b", count: 64)))  // challenger, not production
        let deployment = ModelDeployment(
            rowID: 1, sha256: String(repeating: "a", count: 64), kind: .promotion,
            promotedAt: at("2025-01-01T00:00:00Z"), retiredAt: nil)
        let s = ScoreVsConversion.compute(js, deployments: [deployment], asOf: asOf)
        #expect(s.bands.count == 10 && s.overall == Proportion(8, of: 20))
        let top = s.bands[0]
        #expect(top.band == 1 && s.bands.map(\.band) == Array(1...10))
        #expect(top.conversion == Proportion(0, of: 2) && isClose(top.meanPredicted, 0.965, absolute: 1e-12, relative: 0))
        #expect(top.highScoreLowConversion)  // Wilson upper of 0/2 = 0.6576 < 0.965
        #expect(s.bands.filter(\.highScoreLowConversion).map(\.band) == [1])
        #expect(s.bands[4].conversion == Proportion(2, of: 2) && s.bands[4].band == 5)
        #expect(s.bands[9].maximumProbability < s.bands[8].minimumProbability, "lowest scores last")
        #expect(ScoreVsConversion.compute(Array(js.prefix(9)), deployments: [], asOf: asOf).bands.isEmpty)
    }
}
