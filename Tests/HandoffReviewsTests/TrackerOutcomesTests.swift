import Foundation
import HandoffPersistence
import HandoffReviews
import TestSupport
import Testing

/// Issue 18: tracker frequencies by outcome in the review, with Wilson intervals and a minimum
/// count per outcome. Twelve won and twelve lost leads with conversations (copies of the week
/// fixture's won L1 and lost L2), hand-counted mentions.
@Suite struct TrackerOutcomesTests {
    static func journeys(won: Int, lost: Int, silentWon: Int = 0) -> (journeys: [LeadJourney], withInteractions: Set<String>) {
        let all = WeekFixture.journeys()
        let winner = all.first { $0.lead.id == "L1" }!, loser = all.first { $0.lead.id == "L2" }!
        var journeys: [LeadJourney] = []
        var talked = Set<String>()
        func copy(_ journey: LeadJourney, _ id: String, talked isTalking: Bool) {
            var j = journey
            j.lead.id = id
            journeys.append(j)
            if isTalking { talked.insert(id) }
        }
        for i in 0..<won { copy(winner, "W\(i)", talked: true) }
        for i in 0..<lost { copy(loser, "X\(i)", talked: true) }
        // Won leads without captured conversations say nothing about trackers.
        for i in 0..<silentWon { copy(winner, "S\(i)", talked: false) }
        return (journeys, talked)
    }

    static func hit(_ lead: String, _ tracker: String, _ category: String) -> TrackerHitRecord {
        TrackerHitRecord(
            interactionID: 1, leadID: lead, tracker: tracker, category: category, phrase: tracker, quote: "…", speaker: "Prospect",
            startMilliseconds: nil, line: 1)
    }

    @Test func sharesOfWonAndLostLeadsThatMentionedEachTracker() {
        let (journeys, talked) = Self.journeys(won: 12, lost: 12, silentWon: 5)
        var hits = (0..<5).map { Self.hit("W\($0)", "security-review", "security") }
        hits += [Self.hit("W0", "security-review", "security")]  // a second mention counts the lead once
        hits += (0..<2).map { Self.hit("X\($0)", "security-review", "security") }
        hits += [Self.hit("X3", "competitor-acme", "competitor"), Self.hit("S0", "competitor-acme", "competitor")]
        let t = TrackerOutcomes.compute(
            journeys, withInteractions: talked, hits: hits, asOf: WeekFixture.asOf, configuration: AnalyticsConfiguration())
        #expect(t.wonLeads == 12 && t.lostLeads == 12 && t.isShown)
        #expect(t.rows.map(\.tracker) == ["competitor-acme", "security-review"])
        let security = t.rows[1]
        #expect(security.won == Proportion(5, of: 12) && security.lost == Proportion(2, of: 12))
        #expect(t.rows[0].won == Proportion(0, of: 12) && t.rows[0].lost == Proportion(1, of: 12))
        // Wilson 95 % for 5/12 by hand: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964.
        #expect(security.won.formatted == "41.7 % (5/12; 95 % CI 19.3–68.0 %)")
    }

    @Test func outcomesAfterTheReviewDateAndTooFewLeadsShowNoTable() {
        let (journeys, talked) = Self.journeys(won: 12, lost: 9)
        let hits = [Self.hit("W0", "budget", "budget")]
        var configuration = AnalyticsConfiguration()
        let few = TrackerOutcomes.compute(journeys, withInteractions: talked, hits: hits, asOf: WeekFixture.asOf, configuration: configuration)
        #expect(!few.isShown && few.rows.isEmpty && few.lostLeads == 9)
        configuration.trackerMinimumPerOutcome = 9
        #expect(TrackerOutcomes.compute(journeys, withInteractions: talked, hits: hits, asOf: WeekFixture.asOf, configuration: configuration).isShown)
        // Before the fixture's deals closed (2025-10-10 and -11) no lead counts as won or lost.
        let early = TrackerOutcomes.compute(
            journeys, withInteractions: talked, hits: hits, asOf: at("2025-10-09T00:00:00Z"), configuration: configuration)
        #expect(early.wonLeads == 0 && early.lostLeads == 0 && !early.isShown)
    }
}
