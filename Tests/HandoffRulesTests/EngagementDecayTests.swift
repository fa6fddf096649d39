import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@testable import HandoffRules

@Suite struct EngagementDecayTests {
    func event(_ type: String, daysAgo: Double) -> EngagementEvent {
        EngagementEvent(type: type, occurredAt: Fixture.now.addingTimeInterval(-daysAgo * Fixture.day))
    }

    @Test func halfLifeHalvesTheWeight() {
        #expect(EngagementDecay.weight(ageDays: 0, halfLifeDays: 14) == 1)
        #expect(EngagementDecay.weight(ageDays: 14, halfLifeDays: 14) == 0.5)
        #expect(EngagementDecay.weight(ageDays: 42, halfLifeDays: 14) == 0.125)
        #expect(isClose(EngagementDecay.weight(ageDays: 7, halfLifeDays: 14), 1 / 2.0.squareRoot(), relative: 1e-15))
    }

    @Test func eventTypesMapToFeaturesByNormalisedName() {
        #expect(EngagementDecay.feeds(eventType: "demo_request", column: "demo_requests"))
        #expect(EngagementDecay.feeds(eventType: "Demo Request", column: "demo_requests"))
        #expect(EngagementDecay.feeds(eventType: "webinar_attended", column: "webinars_attended"))
        #expect(EngagementDecay.feeds(eventType: "pricing-page-view", column: "pricing_page_views"))
        #expect(!EngagementDecay.feeds(eventType: "demo", column: "demo_requests"))
        #expect(!EngagementDecay.feeds(eventType: "page_view", column: "pricing_page_views"))
    }

    @Test func decayedSumSkipsOtherTypesAndFutureEvents() {
        let events = [
            event("demo_request", daysAgo: 0), event("demo_request", daysAgo: 14), event("demo_request", daysAgo: 28),
            event("email_open", daysAgo: 1), event("demo_request", daysAgo: -3),
        ]
        #expect(EngagementDecay.decayedValue(events: events, column: "demo_requests", halfLifeDays: 14, at: Fixture.now) == 1.75)
    }

    @Test func decayedValueGoesThroughTheTransform() throws {
        let scorer = try Fixture.scorer()
        let lead = Lead(
            id: "E1", fields: ["company_size": "11-200", "budget_authority": "no", "email_opens": "0", "page_views": "0"],
            createdAt: Fixture.now.addingTimeInterval(-60 * Fixture.day),
            events: [event("demo_request", daysAgo: 0), event("demo_request", daysAgo: 14), event("demo_request", daysAgo: 28)])
        let score = try scorer.score(lead, at: Fixture.now)
        let demo = try #require(score.contributions.first { $0.column == "demo_requests" })
        #expect(demo.decayed)
        #expect(demo.value == "1.75")
        #expect(isClose(demo.points, Fixture.factor * 1.1 * log1p(1.75), relative: 1e-14))
        #expect(score.reasons.first?.text == "1.75 demo requests (decayed) add \(Int((Fixture.factor * 1.1 * log1p(1.75)).rounded())) points")
        // A week later the same events are worth less.
        let later = try scorer.score(lead, at: Fixture.now.addingTimeInterval(7 * Fixture.day))
        #expect(later.engagementPoints < score.engagementPoints)
    }
}

@Suite struct HalfLifeSpecTests {
    let head = "outcome: {column: won, positive: [\"1\"]}\nfeatures:\n"

    @Test func specCarriesHalfLifeIntoTheWeightFile() throws {
        let spec = try ScoringSpec.parse(
            yaml: head + "  - {column: demo_requests, type: numeric, transform: log1p, half_life_days: 14}\n", file: "s.yaml")
        #expect(spec.features[0].halfLifeDays == 14)
        #expect(try Fixture.scorer().plan.features[2].halfLifeDays == 14)
    }

    @Test(arguments: [
        (
            "  - {column: d, type: numeric, half_life_days: 0}\n",
            "s.yaml line 3: `features[0].half_life_days` is 0; it must be a positive number of days"
        ),
        ("  - {column: d, type: categorical, half_life_days: 7}\n", "s.yaml line 3: `features[0].half_life_days` applies only to numeric features"),
    ])
    func badHalfLife(line: String, expectedPrefix: String) {
        #expect(throws: ScoringSpecError.self) { try ScoringSpec.parse(yaml: head + line, file: "s.yaml") }
        do { _ = try ScoringSpec.parse(yaml: head + line, file: "s.yaml") } catch {
            #expect(error.description.hasPrefix(expectedPrefix), "\(error.description)")
        }
    }
}
