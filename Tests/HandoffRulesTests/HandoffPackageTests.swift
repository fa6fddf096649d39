import Foundation
import HandoffRules
import TestSupport
import Testing

@Suite struct HandoffPackageTests {
    func package(owner: MarketingOwner? = nil) throws -> HandoffPackage {
        let scorer = try Fixture.scorer()
        let qualifier = try Qualifier(playbook: Playbook.parse(yaml: samplePlaybook, file: "p.yaml"), scorer: scorer)
        let events = [
            EngagementEvent(
                type: "content_download", occurredAt: Fixture.now.addingTimeInterval(-20 * Fixture.day),
                contentTitle: "Lead scoring 101", asset: "whitepaper"),
            EngagementEvent(type: "demo_request", occurredAt: Fixture.now.addingTimeInterval(-1 * Fixture.day), detail: "from pricing page"),
            EngagementEvent(
                type: "webinar_attended", occurredAt: Fixture.now.addingTimeInterval(-5 * Fixture.day),
                contentTitle: "Routing without tears"),
        ]
        let lead = Lead(
            id: "L42",
            fields: [
                "first_name": "Ada", "last_name": "Byron", "company": "Analytical Engines", "job_title": "VP Operations",
                "email": "ada@example.com", "company_size": "1000+", "budget_authority": "no", "email_opens": "12", "page_views": "30",
                "pain_points": "Leads go cold before sales calls; No view of intent", "solutions_explored": "spreadsheets",
                "notes": "Met at the Lisbon fair",
            ], createdAt: Fixture.now.addingTimeInterval(-30 * Fixture.day), events: events)
        let score = try scorer.score(lead, at: Fixture.now)
        let decision = qualifier.decide(lead, score: score, at: Fixture.now)
        return HandoffPackage(
            lead: lead, score: score, decision: decision,
            slaDeadline: Date(timeIntervalSince1970: 1_750_003_600), owner: owner)
    }

    @Test func markdownHasTheKeyLines() throws {
        let package = try package()
        let lines = package.markdown().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "# Hand-off: Ada Byron, Analytical Engines")
        #expect(lines.contains("**MQL** · priority **high** · first touch due by **2025-06-15T16:06:40Z** · lead `L42`"))
        #expect(lines.contains("- Role: VP Operations"))
        #expect(lines.contains("- Company size: 1000+"))
        #expect(lines.contains("- Budget authority: no"))
        #expect(lines.contains { $0.hasPrefix("- Budget authority 'no' costs 26 points against 'yes'") })
        // Timeline oldest first, with content and detail.
        let journey = lines.filter { $0.hasPrefix("- 2025-") }
        #expect(
            journey == [
                "- 2025-05-26T15:06:40Z content_download: Lead scoring 101",
                "- 2025-06-10T15:06:40Z webinar_attended: Routing without tears",
                "- 2025-06-14T15:06:40Z demo_request (from pricing page)",
            ])
        #expect(lines.contains("Content consumed: \"Lead scoring 101\", \"Routing without tears\""))
        #expect(lines.contains("- Pain: Leads go cold before sales calls"))
        #expect(lines.contains("- Pain: No view of intent"))
        #expect(lines.contains("- Explored: spreadsheets"))
        #expect(lines.contains("- Notes: Met at the Lisbon fair"))
        #expect(!lines.contains("## Warm introduction (draft)"))
    }

    @Test func approachFollowsTheRules() throws {
        let approach = try package().approach
        #expect(approach.first?.hasPrefix("Marketing-qualified (rule ") == true)
        #expect(approach.contains("They asked for a demo: confirm a demo slot on the first call."))
        #expect(approach.contains("Budget authority is 'no': ask who signs off and bring the economic buyer in early."))
        #expect(approach.contains("Reference what they read most recently: \"Routing without tears\"."))
        #expect(approach.contains("Lead with their stated pain: Leads go cold before sales calls."))
        #expect(approach.last == "High priority: first touch before 2025-06-15T16:06:40Z.")
        #expect(!approach.contains { $0.contains("pricing") })  // no pricing-page views
    }

    @Test func jsonHasStableKeys() throws {
        let bytes = try package().jsonBytes()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "lead_id", "prospect", "score", "qualification", "timeline", "content_consumed",
                "pain_points", "solutions_explored", "notes", "approach", "sla_deadline",
            ])
        let score = try #require(object["score"] as? [String: Any])
        #expect(Set(score.keys) == ["points", "probability", "fit_points", "engagement_points", "reasons", "model_sha256"])
        #expect((object["sla_deadline"] as? String) == "2025-06-15T16:06:40Z")
        // Same package, same bytes.
        #expect(try package().jsonBytes() == bytes)
    }

    @Test func warmIntroductionDraft() throws {
        let package = try package(owner: MarketingOwner(name: "Grace Hopper", email: "grace@baton.example", title: "Field Marketing"))
        let draft = try #require(package.emailDraft)
        #expect(draft.from == "Grace Hopper <grace@baton.example>")
        #expect(draft.to == "ada@example.com")
        #expect(draft.subject == "An introduction for Analytical Engines")
        #expect(draft.body.hasPrefix("Hi Ada,\n\nThank you for spending time with \"Routing without tears\"."))
        #expect(draft.body.contains("You mentioned leads go cold before sales calls."))
        #expect(draft.body.contains("{{rep_name}}"), "without a rep (a parked lead) the placeholder stays for the sender")
        #expect(draft.body.hasSuffix("Best regards,\nGrace Hopper\nField Marketing"))
        #expect(package.markdown().contains("## Warm introduction (draft)\nFrom: Grace Hopper <grace@baton.example>"))
    }
}
