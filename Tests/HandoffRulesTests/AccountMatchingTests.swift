import Foundation
import TestSupport
import Testing

@testable import HandoffRules

/// Account matching (issue 16): normalised keys, the free-mail list, Jaro–Winkler against the
/// published values and an independent implementation (jellyfish), and the rules' precedence
/// and tie-breakers.
@Suite struct AccountMatchingTests {
    /// Winkler's and Wikipedia's worked examples (Jaro, Jaro–Winkler), to 4 decimals.
    @Test(arguments: [
        ("MARTHA", "MARHTA", 0.9444, 0.9611),
        ("DWAYNE", "DUANE", 0.8222, 0.8400),
        ("DIXON", "DICKSONX", 0.7667, 0.8133),
    ])
    func publishedValues(a: String, b: String, jaro: Double, winkler: Double) {
        #expect(abs(JaroWinkler.jaro(a, b) - jaro) < 5e-5)
        #expect(abs(JaroWinkler.similarity(a, b) - winkler) < 5e-5)
        #expect(JaroWinkler.similarity(a, b) == JaroWinkler.similarity(b, a), "symmetric")
    }

    @Test func edgeCases() {
        #expect(JaroWinkler.similarity("acme", "acme") == 1)
        #expect(JaroWinkler.similarity("", "") == 1)
        #expect(JaroWinkler.similarity("acme", "") == 0)
        #expect(JaroWinkler.similarity("ab", "cd") == 0)
        // One character each, equal: window 0 still matches position 0.
        #expect(JaroWinkler.similarity("a", "a") == 1)
    }

    static let pairs: [(String, String)] = [
        ("acme systems", "acme systms"), ("northwind traders", "northwind trader"), ("globex", "globez"),
        ("initech", "initrode"), ("umbrella", "umbrela"), ("stark industries", "stark industires"), ("hooli", "hooly"),
        ("vandelay industries", "vandeley industries"), ("acme systems", "acme solutions"), ("müller bau", "mueller bau"),
        ("abc", "cba"), ("a", "b"), ("crate and barrel", "crate barrel"), ("x", "xx"), ("ab", "ba"), ("jones", "johnson"),
    ]

    /// The same similarities as jellyfish 1.x (`jaro_similarity`, `jaro_winkler_similarity`) to 1e-12.
    @Test func agreesWithJellyfish() async throws {
        let python = try await BlockingWork.run { try PythonTooling.venv(packages: ["jellyfish"]) }
        let input = Self.pairs.map { "\($0.0)\t\($0.1)" }.joined(separator: "\n")
        let script = """
            import sys, jellyfish
            for line in sys.argv[1].split("\\n"):
                a, b = line.split("\\t")
                print(repr(jellyfish.jaro_similarity(a, b)), repr(jellyfish.jaro_winkler_similarity(a, b)))
            """
        let (status, output) = try await BlockingWork.run { try PythonTooling.run(python.path, ["-c", script, input]) }
        try #require(status == 0, "\(output)")
        let rows = output.split(separator: "\n").map { $0.split(separator: " ").compactMap { Double($0) } }
        try #require(rows.count == Self.pairs.count)
        for (pair, row) in zip(Self.pairs, rows) {
            #expect(abs(JaroWinkler.jaro(pair.0, pair.1) - row[0]) < 1e-12, "\(pair)")
            #expect(abs(JaroWinkler.similarity(pair.0, pair.1) - row[1]) < 1e-12, "\(pair)")
        }
    }

    @Test(
        arguments: [
            ("Acme, Inc.", "acme"),
            ("ACME Incorporated", "acme"),
            ("Acme Holding GmbH & Co. KG", "acme holding"),
            ("The Boring Company", "boring"),
            ("Société Générale S.A.", "societe generale"),
            ("Crate & Barrel", "crate and barrel"),
            ("  Initech LLC ", "initech"),
            ("Müller-Bau AG", "muller bau"),
            ("Co.", nil),
            ("GmbH", nil),
            ("!!!", nil),
        ] as [(String, String?)])
    func companyNames(raw: String, normalised: String?) {
        #expect(AccountKeys.companyName(raw) == normalised)
    }

    @Test func domains() {
        #expect(AccountKeys.emailDomain("Ada@Analytical-Engines.co.uk") == "analytical-engines.co.uk")
        #expect(AccountKeys.emailDomain("someone@gmail.com") == nil, "free mail never matches")
        #expect(AccountKeys.emailDomain("someone@GoogleMail.com") == nil)
        #expect(AccountKeys.emailDomain("someone@eu.mail.com") == nil, "a subdomain of free mail is free mail")
        #expect(AccountKeys.emailDomain("no-at-sign") == nil)
        #expect(AccountKeys.emailDomain("a@localhost") == nil)
        #expect(AccountKeys.emailDomain("a@bad_domain.com") == nil)
        #expect(AccountKeys.websiteDomain("https://www.Acme.com/about?x=1") == "acme.com")
        #expect(AccountKeys.websiteDomain("acme.com:8443") == "acme.com")
        #expect(AccountKeys.websiteDomain("http://user@shop.acme.com/") == "shop.acme.com")
        #expect(AccountKeys.websiteDomain("www.com") == "www.com")
        #expect(AccountKeys.websiteDomain("not a url") == nil)
    }

    let accounts = [
        AccountProfile(id: "A1", name: "acme systems", domains: ["acme.com"], contacts: 2, order: 1),
        AccountProfile(id: "A2", name: "globex", domains: ["globex.com", "globex.io"], contacts: 5, order: 2),
        AccountProfile(id: "A3", name: "globez", domains: ["globez.com"], contacts: 1, order: 3),
        AccountProfile(id: "A4", name: "initech", domains: ["shared.net"], contacts: 1, order: 4),
        AccountProfile(id: "A5", name: "initrode", domains: ["shared.net"], contacts: 3, order: 5),
        AccountProfile(id: "A6", name: "hoolie", domains: [], contacts: 1, order: 6),
        AccountProfile(id: "A7", name: "hoolis", domains: [], contacts: 1, order: 7),
    ]

    @Test func rulesInPrecedenceWithTheirEvidence() {
        let matcher = AccountMatcher(accounts: accounts)
        // Explicit beats every other key.
        #expect(
            matcher.match(["account_id": "A2", "email": "x@acme.com", "company": "Acme Systems"])
                == AccountMatch(accountID: "A2", rule: .explicit, value: "A2", score: 1))
        // An unknown explicit id falls through to the next rule.
        #expect(matcher.match(["account_id": "CRM-9", "email": "x@acme.com"])?.rule == .emailDomain)
        #expect(
            matcher.match(["email": "x@acme.com", "company": "Globex"])
                == AccountMatch(accountID: "A1", rule: .emailDomain, value: "acme.com", score: 1))
        // Free mail: the e-mail says nothing, the website and the name do.
        #expect(
            matcher.match(["email": "x@gmail.com", "website": "https://globex.io"])
                == AccountMatch(accountID: "A2", rule: .websiteDomain, value: "globex.io", score: 1))
        #expect(
            matcher.match(["email": "x@gmail.com", "company": "ACME Systems, Inc."])
                == AccountMatch(accountID: "A1", rule: .companyName, value: "acme systems", score: 1))
        let fuzzy = matcher.match(["email": "x@gmail.com", "company": "Acme Systms Ltd"])
        #expect(fuzzy?.accountID == "A1" && fuzzy?.rule == .companyFuzzy && fuzzy?.matchedName == "acme systems")
        #expect(abs((fuzzy?.score ?? 0) - 0.98333333333333) < 1e-12)
        // Below the threshold: a new account.
        #expect(matcher.match(["company": "Acme Solutions"]) == nil)
        #expect(matcher.match(["email": "x@gmail.com"]) == nil)
    }

    @Test func tieBreakersDoNotDependOnOrder() {
        for order in [accounts, accounts.reversed()] {
            let matcher = AccountMatcher(accounts: order)
            // A domain two accounts share: the one with more contacts.
            #expect(matcher.match(["email": "x@shared.net"])?.accountID == "A5")
            // "globey" is 0.9333 from both globex and globez: globex has more contacts.
            #expect(matcher.match(["company": "Globey"])?.accountID == "A2")
            // "hoolix" is 0.9333 from hoolie and hoolis, both one contact: the older (hoolie).
            let equal = matcher.match(["company": "Hoolix"])
            #expect(equal?.accountID == "A6" && equal?.rule == .companyFuzzy)
        }
    }

    @Test func shortNamesMatchOnlyExactly() {
        let matcher = AccountMatcher(accounts: [AccountProfile(id: "B1", name: "ibmx", domains: [], contacts: 1, order: 1)])
        #expect(matcher.match(["company": "IBMX"])?.rule == .companyName)
        #expect(matcher.match(["company": "IBMY"]) == nil)
    }
}
