import Foundation
import HandoffRules
import TestSupport
import Testing

@testable import HandoffRules

let samplePlaybook = """
    routing:
      fallback_queue: unassigned
    qualification:
      rules:
        - name: enterprise_ready
          stage: sql
          match: all
          when:
            - {field: company_size, in: ["1000+", "11-200"]}
            - {field: budget_authority, equals: "yes"}
            - {score: points, at_least: 450}
        - name: engaged
          stage: mql
          when:
            - {score: engagement_points, at_least: 30}
        - name: demo_or_opens
          stage: mql
          match: any
          when:
            - {field: demo_requests, at_least: 1}
            - {field: email_opens, above: 40}
      high_intent:
        - {field: demo_requests, at_least: 1}
    sla:
      high: {first_touch_business_hours: 1}
    """

@Suite struct PlaybookTests {
    @Test func parsesRulesConditionsAndLines() throws {
        let playbook = try Playbook.parse(yaml: samplePlaybook, file: "p.yaml")
        let q = try #require(playbook.qualification)
        #expect(q.rules.map(\.name) == ["enterprise_ready", "engaged", "demo_or_opens"])
        #expect(q.rules.map(\.line) == [5, 12, 16])
        #expect(q.rules[0].conditions[0] == QualificationCondition(subject: .field("company_size"), test: .isIn(["1000+", "11-200"]), line: 9))
        #expect(q.rules[0].conditions[2].test == .atLeast(450))
        #expect(q.rules[2].match == .any)
        #expect(q.highIntent == [QualificationCondition(subject: .field("demo_requests"), test: .atLeast(1), line: 23)])
    }

    @Test(arguments: [
        (
            "qualification:\n  rules:\n    - name: a\n      stge: sql\n",
            "p.yaml line 4: unknown key `qualification.rules[0].stge`. Did you mean `stage`?"
        ),
        (
            "qualification:\n  rules:\n    - name: a\n      stage: sql\n      when:\n        - {field: x, in: [a], equals: b}\n",
            "p.yaml line 6: condition `qualification.rules[0].when[0]` has several tests (in, equals)."
        ),
        (
            "qualification:\n  rules:\n    - name: a\n      stage: won\n      when: [{score: points, at_least: 1}]\n",
            "p.yaml line 4: `qualification.rules[0].stage` cannot be \"won\". Use one of: mql, sql."
        ),
        (
            "qualification:\n  rules:\n    - name: a\n      stage: sql\n      when: [{score: points, at_least: lots}]\n",
            "p.yaml line 5: `qualification.rules[0].when[0].at_least` is \"lots\", which is not a number."
        ),
        ("qualfication:\n  rules: []\n", "p.yaml line 1: unknown key `qualfication`. Did you mean `qualification`?"),
        (
            "qualification:\n  rules:\n    - name: a\n      stage: sql\n      when: [{score: points, at_least: 1}]\n    - name: a\n      stage: mql\n      when: [{score: points, at_least: 1}]\n",
            "p.yaml line 6: rule \"a\" is already defined on line 3."
        ),
    ])
    func parseErrorsNameLineAndKey(yaml: String, expectedPrefix: String) {
        do {
            _ = try Playbook.parse(yaml: yaml, file: "p.yaml")
            Issue.record("expected an error for \(yaml)")
        } catch {
            #expect(error.description.hasPrefix(expectedPrefix), "\(error.description)")
        }
    }

    @Test func otherSectionsAreIgnoredNotRejected() throws {
        let playbook = try Playbook.parse(yaml: "routing: {x: 1}\nsla: [1, 2]\ndispositions: {}\nescalation: {a: b}\n", file: "p.yaml")
        #expect(playbook.qualification == nil)
        #expect(throws: PlaybookError.missingSection(file: "p.yaml", section: "qualification")) {
            try Qualifier(playbook: playbook, scorer: Fixture.scorer())
        }
    }

    @Test func unknownFieldNamesFieldAndLine() throws {
        let yaml = samplePlaybook.replacingOccurrences(of: "{field: budget_authority, equals", with: "{field: budget_autority, equals")
        let playbook = try Playbook.parse(yaml: yaml, file: "p.yaml")
        #expect(throws: PlaybookError.unknownField(file: "p.yaml", line: 10, field: "budget_autority", suggestion: "budget_authority")) {
            try Qualifier(playbook: playbook, scorer: Fixture.scorer())
        }
        // The same field is fine when the lead data has it.
        _ = try Qualifier(playbook: playbook, scorer: Fixture.scorer(), knownFields: ["budget_autority"])
    }

    /// Issue 20: `at_least: 500` with `at_most: 400` in one `match: all` rule passed without a word.
    @Test func aRuleThatCanNeverMatchIsRefused() throws {
        let yaml = """
            qualification:
              rules:
                - name: impossible
                  stage: mql
                  when:
                    - {score: points, at_least: 500}
                    - {score: points, at_most: 400}
            """
        let error = #expect(throws: PlaybookError.self) { try Playbook.parse(yaml: yaml, file: "p.yaml") }
        #expect(error?.line == 5 && error?.description.contains("rule `impossible` can never match: score points must be ≥ 500 and ≤ 400") == true)
        // Touching bounds match one value; `match: any` is always satisfiable; `above` and `below` are open.
        _ = try Playbook.parse(yaml: yaml.replacingOccurrences(of: "at_most: 400", with: "at_most: 500"), file: "p.yaml")
        _ = try Playbook.parse(yaml: yaml.replacingOccurrences(of: "stage: mql", with: "stage: mql\n      match: any"), file: "p.yaml")
        #expect(throws: PlaybookError.self) {
            try Playbook.parse(yaml: yaml.replacingOccurrences(of: "at_most: 400", with: "below: 500"), file: "p.yaml")
        }
    }

    @Test func unknownLevelCouldNeverMatch() throws {
        let yaml = samplePlaybook.replacingOccurrences(of: "in: [\"1000+\", \"11-200\"]", with: "in: [\"1000+\", \"11-500\"]")
        let playbook = try Playbook.parse(yaml: yaml, file: "p.yaml")
        #expect {
            try Qualifier(playbook: playbook, scorer: Fixture.scorer())
        } throws: { error in
            guard case let PlaybookError.unknownLevel(_, line, field, value, suggestion, _) = error else { return false }
            return line == 9 && field == "company_size" && value == "11-500" && suggestion == "11-200"
        }
    }
}

@Suite struct QualifierTests {
    func decide(_ fields: [String: String], events: [EngagementEvent] = []) throws -> (LeadScore, QualificationDecision) {
        let scorer = try Fixture.scorer()
        let qualifier = try Qualifier(playbook: Playbook.parse(yaml: samplePlaybook, file: "p.yaml"), scorer: scorer)
        let lead = Lead(id: "Q", fields: fields, createdAt: Fixture.now, events: events)
        let score = try scorer.score(lead, at: Fixture.now)
        return (score, qualifier.decide(lead, score: score, at: Fixture.now))
    }

    @Test func sqlDecisionCarriesEveryConditionWithActualValues() throws {
        let (score, decision) = try decide([
            "company_size": "1000+", "budget_authority": "y", "demo_requests": "0", "email_opens": "3", "page_views": "4",
        ])
        #expect(score.points >= 450)
        #expect(decision.stage == .sql)
        #expect(decision.priority == .high)
        #expect(decision.decidingRule == "enterprise_ready")
        let rule = try #require(decision.rules.first)
        #expect(rule.passed && rule.line == 5)
        #expect(rule.conditions.map(\.actual) == ["1000+", "yes", ConditionEvidence.shown(score.points)])
        #expect(rule.conditions[1] == ConditionEvidence(subject: "field budget_authority", test: "= yes", actual: "yes", passed: true, line: 10))
        #expect(decision.rules.map(\.name) == ["enterprise_ready", "engaged", "demo_or_opens"])
        #expect(decision.thresholdsUsed == ["points ≥ 450 (line 11)", "engagement_points ≥ 30 (line 15)"])
        #expect(decision.playbook == "p.yaml" && decision.modelChecksum == score.modelChecksum)
    }

    @Test func mqlAndNurtureKeepFailedEvidence() throws {
        let (_, mql) = try decide(["company_size": "1-10", "budget_authority": "no", "demo_requests": "2", "email_opens": "", "page_views": "1"])
        #expect(mql.stage == .mql)
        #expect(mql.decidingRule == "engaged" || mql.decidingRule == "demo_or_opens")
        #expect(mql.priority == .high)  // demo request: high intent
        #expect(
            mql.rules[0].conditions[0]
                == ConditionEvidence(subject: "field company_size", test: "in [1000+, 11-200]", actual: "1-10", passed: false, line: 9))
        let (_, nurture) = try decide(["company_size": "1-10", "budget_authority": "no", "demo_requests": "0", "email_opens": "", "page_views": "1"])
        #expect(nurture.stage == .nurture && nurture.decidingRule == nil && nurture.priority == .standard)
        #expect(nurture.rules.allSatisfy { !$0.passed })
        #expect(nurture.rules[2].conditions.map(\.actual) == ["0", "missing"])  // an empty email_opens is missing, not 0
    }

    @Test func eventFedFieldsCountEvents() throws {
        let events = [EngagementEvent(type: "demo_request", occurredAt: Fixture.now.addingTimeInterval(-40 * Fixture.day))]
        let (_, decision) = try decide(["company_size": "1-10", "budget_authority": "no", "email_opens": "0", "page_views": "1"], events: events)
        #expect(decision.highIntent.first?.actual == "1")
        #expect(decision.priority == .high)
    }

    @Test func batchStagesEqualSingleDecisions() throws {
        let scorer = try Fixture.scorer()
        let qualifier = try Qualifier(playbook: Playbook.parse(yaml: samplePlaybook, file: "p.yaml"), scorer: scorer)
        let table = GeneratedTable(rows: 2000, seed: 11)
        let scores = try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: 2000, file: "g.csv")
        let batch = qualifier.decide(batch: scores, columns: table.columns)
        var seen = Set<QualificationStage>()
        for (i, row) in table.rows.enumerated() {
            let lead = Lead(id: "\(i)", fields: row, createdAt: Fixture.now)
            let single = qualifier.decide(lead, score: try scorer.score(lead, at: Fixture.now), at: Fixture.now)
            #expect(batch.stages[i] == single.stage)
            #expect(batch.priorities[i] == single.priority)
            seen.insert(single.stage)
        }
        #expect(seen == Set(QualificationStage.allCases))
    }
}

extension ConditionEvidence {
    static func shown(_ x: Double) -> String { Qualifier.shown(x) }
}
