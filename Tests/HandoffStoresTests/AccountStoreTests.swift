import Foundation
import HandoffPersistence
import HandoffRules
import Testing

/// Accounts in the store (issue 16): created once by id, domains added, leads linked with their
/// evidence, candidates found by id, domain and name; SQLite and PostgreSQL alike.
@Suite struct AccountStoreTests {
    @Test(arguments: StoreBackend.allCases)
    func accountsAreCreatedOnceAndLinksKeepTheirEvidence(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            try await store.upsertLead(Sample.lead("L2"))
            let acme = AccountRecord(id: "domain:acme.com", name: "acme", displayName: "ACME Inc.", domains: ["acme.com"], createdAt: T.minutes(1))
            let link1 = AccountLinkRecord(leadID: "L1", accountID: acme.id, rule: .newAccount, value: "acme.com", score: 1, linkedAt: T.minutes(1))
            guard case .committed(let first) = try await store.commit(UnitOfWork([.upsertAccount(acme), .linkLeadAccount(link1)])) else {
                Issue.record("the unit should commit")
                return
            }
            guard case .stored(let rowID) = first[0] else {
                Issue.record("a new account is stored, not \(first[0])")
                return
            }
            #expect(rowID != nil)
            // The same id again, from a second contact with a second domain and another name: one
            // account, the name kept, the domain added.
            var again = acme
            again.name = "acme corp"
            again.domains = ["acme.com", "acme.io"]
            let link2 = AccountLinkRecord(
                leadID: "L2", accountID: acme.id, rule: .companyFuzzy, value: "acme corp", score: 0.95, matchedName: "acme", linkedAt: T.minutes(2))
            guard case .committed(let second) = try await store.commit(UnitOfWork([.upsertAccount(again), .linkLeadAccount(link2)])) else {
                Issue.record("the unit should commit")
                return
            }
            #expect(second[0] == .updated)
            #expect(try await store.commit(UnitOfWork([.upsertAccount(again)])) == .committed([.unchanged]))

            let read = try #require(try await store.leadAccount(leadID: "L2"))
            #expect(read.account.id == "domain:acme.com" && read.account.name == "acme" && read.account.displayName == "ACME Inc.")
            #expect(read.account.domains == ["acme.com", "acme.io"] && read.account.contacts == 2)
            #expect(read.link == link2, "the evidence reads back as written")
            #expect(read.otherContacts == ["L1"])
            #expect(try await store.leadAccount(leadID: "nobody") == nil)

            // Candidates: by domain, by exact name, by id; every named account for the fuzzy rule.
            try await store.apply(
                .upsertAccount(AccountRecord(id: "name:initech", name: "initech", displayName: nil, domains: [], createdAt: T.minutes(3))))
            #expect(try await store.accountCandidates(ids: [], domains: ["acme.io"], name: nil, everyNamed: false).map(\.id) == ["domain:acme.com"])
            #expect(try await store.accountCandidates(ids: [], domains: [], name: "initech", everyNamed: false).map(\.id) == ["name:initech"])
            #expect(try await store.accountCandidates(ids: ["name:initech"], domains: [], name: nil, everyNamed: false).map(\.contacts) == [0])
            #expect(try await store.accountCandidates(ids: [], domains: ["x.org"], name: nil, everyNamed: false).isEmpty)
            #expect(try await store.accountCandidates(ids: [], domains: [], name: nil, everyNamed: true).count == 2)
            #expect(try await store.accountCandidates(ids: [], domains: [], name: nil, everyNamed: false).isEmpty)

            // Relinking replaces the link.
            let relink = AccountLinkRecord(
                leadID: "L2", accountID: "name:initech", rule: .explicit, value: "name:initech", score: 1, linkedAt: T.minutes(4))
            try await store.apply(.linkLeadAccount(relink))
            #expect(try await store.leadAccount(leadID: "L2")?.link == relink)
            #expect(try await store.leadAccount(leadID: "L1")?.otherContacts == [])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func badLinksAndAccountsAreRefusedByFieldAndStoreNothing(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.upsertLead(Sample.lead("L1"))
            let ghost = AccountLinkRecord(leadID: "L1", accountID: "nowhere", rule: .explicit, value: "nowhere", score: 1, linkedAt: T.minutes(1))
            let missing = await #expect(throws: StoreError.self) { try await store.apply(.linkLeadAccount(ghost)) }
            #expect(
                missing
                    == .invalidField(
                        record: "account link of lead 'L1'", field: "accountID", reason: "names no stored account 'nowhere'; store the account first")
            )
            var bad = ghost
            bad.score = .nan
            let nan = await #expect(throws: StoreError.self) { try await store.apply(.linkLeadAccount(bad)) }
            #expect(nan == .invalidField(record: "account link of lead 'L1'", field: "score", reason: "is nan, outside [0, 1]"))
            let control = AccountRecord(id: "a\nb", name: nil, displayName: nil, domains: [], createdAt: T.minutes(1))
            await #expect(throws: StoreError.self) { try await store.apply(.upsertAccount(control)) }
            // A failing unit leaves its account behind neither.
            let good = AccountRecord(id: "domain:acme.com", name: "acme", displayName: nil, domains: ["acme.com"], createdAt: T.minutes(1))
            var unknownLead = ghost
            unknownLead.leadID = "ghost"
            unknownLead.accountID = good.id
            await #expect(throws: StoreError.self) { try await store.commit(UnitOfWork([.upsertAccount(good), .linkLeadAccount(unknownLead)])) }
            #expect(try await store.accountCandidates(ids: [], domains: [], name: nil, everyNamed: true).isEmpty)
            #expect(try await store.leadAccount(leadID: "L1") == nil)
        }
    }
}
