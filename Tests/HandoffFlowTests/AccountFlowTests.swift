import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

/// Issue 16, accounts through the engine: each lead event links its lead to its company's
/// account in the same unit, creating the account when nothing matches, with the evidence.
@Suite struct AccountFlowTests {
    typealias F = EngineFixture

    func fields(_ extra: [String: String]) -> [String: String] { F.fitLead.merging(extra) { _, new in new } }

    @Test func leadsOfOneCompanyShareAnAccountWithTheirEvidence() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: fields(["email": "ann@acme.com", "company": "ACME Inc."])))
        let first = try #require(try await store.leadAccount(leadID: "L1"))
        #expect(first.account.id == "domain:acme.com" && first.account.name == "acme" && first.account.displayName == "ACME Inc.")
        #expect(first.link.rule == .newAccount && first.link.value == "acme.com" && first.link.score == 1)

        // Same e-mail domain.
        _ = try await engine.apply(F.created("e2", lead: "L2", at: F.monday(9, 5), fields: fields(["email": "bo@ACME.com"])))
        let second = try #require(try await store.leadAccount(leadID: "L2"))
        #expect(second.account.id == "domain:acme.com" && second.link.rule == .emailDomain && second.link.value == "acme.com")
        #expect(second.otherContacts == ["L1"] && second.account.contacts == 2)

        // Free mail never matches by domain; the website does, and joins nothing new.
        _ = try await engine.apply(
            F.created("e3", lead: "L3", at: F.monday(9, 6), fields: fields(["email": "cy@gmail.com", "website": "https://www.acme.com/about"])))
        let third = try #require(try await store.leadAccount(leadID: "L3"))
        #expect(third.account.id == "domain:acme.com" && third.link.rule == .websiteDomain)
        #expect(third.account.domains == ["acme.com"], "gmail.com never joins an account")

        // A misspelt company name from free mail: the fuzzy rule, with its score and the name it matched.
        _ = try await engine.apply(
            F.created("e4", lead: "L4", at: F.monday(9, 7), fields: fields(["email": "di@yahoo.com", "company": "Acme Systms GmbH"])))
        _ = try await engine.apply(
            F.created("e5", lead: "L5", at: F.monday(9, 8), fields: fields(["email": "ed@hotmail.com", "company": "Acme Systems"])))
        let fuzzy = try #require(try await store.leadAccount(leadID: "L5"))
        #expect(fuzzy.account.id == "name:acme-systms" && fuzzy.link.rule == .companyFuzzy && fuzzy.link.matchedName == "acme systms")
        // Jaro–Winkler("acme systems", "acme systms"), computed by hand: m = 11, t = 0, jaro = (11/12 + 1 + 1)/3, prefix 4.
        let jaro = (11.0 / 12 + 1 + 1) / 3
        #expect(abs(fuzzy.link.score - (jaro + 4 * 0.1 * (1 - jaro))) < 1e-12)

        // Nothing to match by: no account.
        _ = try await engine.apply(F.created("e6", lead: "L6", at: F.monday(9, 9), fields: fields(["email": "fy@gmail.com"])))
        #expect(try await store.leadAccount(leadID: "L6") == nil)
    }

    @Test func anExplicitAccountIdWinsAndMovesALinkedLead() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: fields(["email": "ann@acme.com"])))
        #expect(try await store.leadAccount(leadID: "L1")?.account.id == "domain:acme.com")
        // A later update naming the CRM account moves the lead there, with explicit evidence.
        _ = try await engine.apply(
            InboundEvent(
                eventID: "e2", kind: .leadUpdated, occurredAt: F.monday(9, 1), leadID: "L1",
                body: .lead(.init(fields: ["crm_account_id": "001ACME"]))))
        let moved = try #require(try await store.leadAccount(leadID: "L1"))
        #expect(moved.account.id == "001ACME" && moved.link.rule == .explicit && moved.link.value == "001ACME")
        // A further update without an account id keeps the link.
        _ = try await engine.apply(
            InboundEvent(eventID: "e3", kind: .leadUpdated, occurredAt: F.monday(9, 2), leadID: "L1", body: .lead(.init(fields: ["title": "CTO"]))))
        #expect(try await store.leadAccount(leadID: "L1")?.link.linkedAt == moved.link.linkedAt)
        // A second lead naming the id matches it explicitly.
        _ = try await engine.apply(
            F.created("e4", lead: "L2", at: F.monday(9, 3), fields: fields(["account_id": "001ACME", "email": "x@other.org"])))
        let second = try #require(try await store.leadAccount(leadID: "L2"))
        #expect(second.account.id == "001ACME" && second.link.rule == .explicit && second.otherContacts == ["L1"])
    }

    @Test func aControlCharacterInTheAccountIdIsRefusedByFieldAndNothingIsStored() async throws {
        let (engine, store) = try await F.engine()
        let bad = F.created("e1", lead: "L1", at: F.monday(9), fields: fields(["account_id": "00\u{0}1"]))
        let error = await #expect(throws: EngineError.self) { try await engine.apply(bad) }
        guard case .invalidField(_, let field, _)? = error else {
            Issue.record("expected invalidField, got \(String(describing: error))")
            return
        }
        #expect(field == "account_id")
        #expect(try await store.leadTimeline(leadID: "L1") == nil)
    }
}
