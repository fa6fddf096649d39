import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffPostgres
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import PostgresTestSupport
import TestSupport
import Testing

/// Issue 16: an account-level qualification rule. "Two engaged contacts (five e-mail opens or
/// more), one of them with budget authority" makes a lead SQL that its own signals leave at nurture.
@Suite struct AccountQualificationTests {
    typealias F = EngineFixture

    static let yaml = F.playbookYAML.replacingOccurrences(
        of: "  high_intent:",
        with: """
              account_rules:
                - name: buying_group
                  stage: sql
                  engaged_contacts: 2
                  engaged_when: [{field: email_opens, at_least: 5}]
                  any_contact: [{field: budget_authority, equals: "yes"}]
              high_intent:
            """)

    static func contact(_ email: String, budget: String, opens: Int) -> [String: String] {
        var fields = F.fitLead
        fields["email"] = email
        fields["budget_authority"] = budget
        fields["email_opens"] = String(opens)
        return fields
    }

    static func decision(_ store: any HandoffStore, _ lead: String) async throws -> QualificationDecision {
        let record = try #require(try await store.leadTimeline(leadID: lead)?.decisions.last)
        return try record.evidence.decode(QualificationDecision.self)
    }

    @Test func theYamlHasTheRule() throws {
        let rules = try #require(try F.playbook(Self.yaml).qualification?.accountRules)
        #expect(rules.map(\.name) == ["buying_group"] && rules.first?.engagedContacts == 2 && rules.first?.anyContact.count == 1)
    }

    @Test func twoEngagedContactsOneWithBudgetMakeTheAccountsLeadSQL() async throws {
        let (_, store) = try await F.engine(yaml: Self.yaml)
        try await Self.buyingGroup(store)
    }

    @Test(.enabled(if: ScratchPostgres.isExpected)) func theSameOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyStore { store in try await Self.buyingGroup(store) }
    }

    static func buyingGroup(_ store: any HandoffStore) async throws {
        let engine = try await LeadMergeTests.engine(on: store, yaml: Self.yaml)
        // Dana: engaged (6 opens) but no budget authority; alone she stays at nurture.
        let dana = try await engine.apply(
            F.created("d1", lead: "L1", at: F.monday(9), fields: Self.contact("dana@northwind.example", budget: "no", opens: 6)))
        #expect(!dana.effects.contains { if case .handedOff = $0.kind { true } else { false } })
        var evidence = try #require(try await Self.decision(store, "L1").account)
        #expect(!evidence.passed && evidence.engagedContacts == 1 && evidence.accountID == "domain:northwind.example")
        // Lee, same company, budget authority, no opens yet: not engaged, so still one engaged contact.
        _ = try await engine.apply(
            F.created("l1", lead: "L2", at: F.monday(9, 10), fields: Self.contact("lee@northwind.example", budget: "yes", opens: 0)))
        #expect(try await Self.decision(store, "L2").stage == .nurture)
        // Kim at another company is no contact of theirs.
        _ = try await engine.apply(
            F.created("k1", lead: "L3", at: F.monday(9, 15), fields: Self.contact("kim@globex.example", budget: "yes", opens: 9)))
        #expect(try await Self.decision(store, "L3").account?.engagedContacts == 1)
        // Five opens make Lee engaged (events feed the count): two engaged contacts, one with budget
        // authority → SQL, high priority, handed off. Four were not enough.
        for n in 1...4 {
            let open = try await engine.apply(F.engagement("l\(n + 1)", lead: "L2", at: F.monday(9, 20 + n), type: "email_open"))
            #expect(!open.effects.contains { if case .handedOff = $0.kind { true } else { false } })
        }
        let third = try await engine.apply(F.engagement("l6", lead: "L2", at: F.monday(9, 25), type: "email_open"))
        #expect(third.effects.contains { if case .handedOff(_, .high, _) = $0.kind { true } else { false } }, "\(third.effects.map(\.summary))")
        let decision = try await Self.decision(store, "L2")
        #expect(decision.stage == .sql && decision.decidingRule == "buying_group" && decision.priority == .high)
        evidence = try #require(decision.account)
        #expect(evidence.passed && evidence.engagedContacts == 2 && evidence.contacts.map(\.leadID) == ["L2", "L1"])
        #expect(evidence.contacts.first?.anyContact == true && evidence.contacts.last?.anyContact == false)
        #expect(
            evidence.summary == "buying_group on account domain:northwind.example: 2 engaged contact(s) of 2 needed (L2, L1), any_contact met by L2")
        // Dana's next event finds the account qualified too.
        let again = try await engine.apply(F.engagement("d2", lead: "L1", at: F.monday(9, 30), type: "webinar_attended"))
        #expect(try await Self.decision(store, "L1").decidingRule == "buying_group")
        #expect(again.effects.contains { if case .handedOff = $0.kind { true } else { false } })
    }

    @Test(arguments: [
        ("engaged_contacts: 2", "engaged_contacts: 0", "must be 1…50"),
        ("engaged_contacts: 2", "engaged_contact: 2", "engaged_contact"),
        ("engaged_when: [{field: email_opens, at_least: 5}]", "engaged_when: []", "non-empty"),
        (
            "engaged_when: [{field: email_opens, at_least: 5}]", "engaged_when: [{field: email_opens, at_least: 5}, {field: email_opens, below: 3}]",
            "never match"
        ),
    ])
    func badRulesAreRefusedWithTheFile(_ old: String, _ new: String, _ message: String) throws {
        let yaml = Self.yaml.replacingOccurrences(of: old, with: new)
        #expect {
            _ = try F.playbook(yaml)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("playbook.yaml")
        }
    }

    @Test func anUnknownFieldInAnAccountRuleIsRefused() async throws {
        let yaml = Self.yaml.replacingOccurrences(of: "{field: email_opens, at_least: 5}", with: "{field: email_openz, at_least: 5}")
        await #expect(throws: EngineError.self) { _ = try await F.engine(yaml: yaml) }
    }
}
