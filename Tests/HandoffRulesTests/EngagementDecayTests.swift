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

/// Issue 21 item 3: with `half_life_days`, the playbook saw the lead's field (`demo_requests`
/// "0") while the score used the events, so a rule never fired for a lead the score ranked as
/// engaged. Events now win over the field (counted), `value: decayed` reads the decayed sum the
/// score used, and the evidence names which number it shows.
@Suite struct DecayedRuleTests {
    static func playbook(_ condition: String) -> String {
        """
        qualification:
          rules:
            - name: engaged
              stage: mql
              when:
                - \(condition)
        """
    }

    func decide(_ condition: String) throws -> ConditionEvidence {
        let scorer = try Fixture.scorer()
        let qualifier = try Qualifier(playbook: Playbook.parse(yaml: Self.playbook(condition), file: "p.yaml"), scorer: scorer)
        let day = Fixture.day
        let lead = Lead(
            id: "D", fields: ["company_size": "11-200", "budget_authority": "no", "demo_requests": "0", "email_opens": "0", "page_views": "0"],
            createdAt: Fixture.now.addingTimeInterval(-60 * day),
            events: [0.0, 14, 28].map { EngagementEvent(type: "demo_request", occurredAt: Fixture.now.addingTimeInterval(-$0 * day)) })
        let decision = qualifier.decide(lead, score: try scorer.score(lead, at: Fixture.now), at: Fixture.now)
        return try #require(decision.rules.first?.conditions.first)
    }

    @Test func eventsWinOverTheFieldAndValueDecayedReadsWhatTheScoreUsed() throws {
        // The lead's form says 0; three demo requests arrived since: the rule counts the events.
        let counted = try decide("{field: demo_requests, at_least: 3}")
        #expect(counted.passed && counted.actual == "3" && counted.value == "count of events", "\(counted)")
        let scored = try decide("{field: demo_requests, at_least: 1.5, value: decayed}")
        #expect(scored.passed && scored.actual == "1.75" && scored.value == "decayed, half-life 14 days", "\(scored)")
        let decayed = try decide("{field: demo_requests, at_least: 2, value: decayed}")
        #expect(!decayed.passed && decayed.actual == "1.75")
        let explicit = try decide("{field: demo_requests, at_least: 3, value: count}")
        #expect(explicit == counted)
        let plain = try decide("{field: company_size, in: [11-200]}")
        #expect(plain.passed && plain.value == nil, "a field no event feeds needs no label")
    }

    @Test func valueDecayedNeedsAHalfLifeAndANumberTest() throws {
        let scorer = try Fixture.scorer()
        let noHalfLife = #expect(throws: PlaybookError.self) {
            try Qualifier(
                playbook: Playbook.parse(yaml: Self.playbook("{field: email_opens, at_least: 1, value: decayed}"), file: "p.yaml"), scorer: scorer)
        }
        #expect(
            noHalfLife?.description.contains("half_life_days") == true && noHalfLife?.description.contains("line 6") == true,
            "\(String(describing: noHalfLife))")
        let textTest = #expect(throws: PlaybookError.self) {
            try Playbook.parse(yaml: Self.playbook("{field: company_size, in: [11-200], value: count}"), file: "p.yaml")
        }
        #expect(textTest?.description.contains("`value:` only") == true, "\(String(describing: textTest))")
        let wrongChoice = #expect(throws: PlaybookError.self) {
            try Playbook.parse(yaml: Self.playbook("{field: demo_requests, at_least: 1, value: raw}"), file: "p.yaml")
        }
        #expect(wrongChoice?.description.contains("decayed") == true, "\(String(describing: wrongChoice))")
    }

    /// The byte-wise path for ASCII names gives what the character-wise path gives, on hand-picked
    /// names and on seeded random ones (letters of both cases, s, digits, separators, "\r\n").
    @Test func asciiNamesNormaliseAsTheCharacterPathDoes() {
        for name in ["demo_requests", "Demo Request", "demo-requests", "S", "ss", "_s_", "a--b  c__s", "", "  ", "PRICING_PAGE_VIEWS", "x\r\ns"] {
            #expect(EngagementDecay.asciiNormalizedName(name) == EngagementDecay.unicodeNormalizedName(name), "\(name.debugDescription)")
        }
        var rng = SplitMix64(seed: 41)
        let pieces = ["a", "S", "s", "z", "Q", "7", "-", " ", "_", "\r\n", "\t"]
        for _ in 0..<5000 {
            let name = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(EngagementDecay.asciiNormalizedName(name) == EngagementDecay.unicodeNormalizedName(name), "\(name.debugDescription)")
            #expect(EngagementDecay.normalizedName(name) == EngagementDecay.unicodeNormalizedName(name))
        }
        #expect(EngagementDecay.normalizedName("Démo Requests") == "démo_request")
    }
}
