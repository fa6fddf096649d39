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

/// Issue 16: account-aware routing ahead of the rules and round-robin. `account_owner` sends a
/// lead of an account to the rep who owns it (named in `reps[].accounts`, else the rep already
/// working one of its contacts); `sticky` sends a returning lead to its last rep; an owner who
/// cannot take it now is noted and the rules route as usual.
@Suite struct AccountRoutingTests {
    typealias F = EngineFixture

    /// The fixture's playbook with `account_owner` first, and cy (a generalist) owning Initech by name.
    static let yaml = F.playbookYAML
        .replacingOccurrences(
            of: "  rules:\n    - {match: territory",
            with: "  rules:\n    - {match: account_owner}\n    - {match: territory"
        )
        .replacingOccurrences(
            of: "territories: [\"*\"], time_zone: America/New_York}",
            with: "territories: [\"*\"], time_zone: America/New_York, accounts: [\"domain:initech.example\"]}")

    static func lead(_ id: String, email: String, region: String) -> [String: String] {
        var fields = F.fitLead
        fields["email"] = email
        fields["region"] = region
        return fields
    }

    static func handOff(_ engine: HandoffEngine, _ id: String, email: String, region: String, at: Date) async throws -> ApplyResult {
        _ = try await engine.apply(F.created("\(id)-c", lead: id, at: at, fields: lead(id, email: email, region: region)))
        return try await engine.apply(F.engagement("\(id)-d", lead: id, at: at.addingTimeInterval(60), type: "demo_request"))
    }

    static func holder(_ result: ApplyResult) -> String? {
        result.effects.lazy.compactMap { if case .handedOff(let rep, _, _) = $0.kind { rep } else { nil } }.first
    }

    @Test func theYamlHasTheRulesThisTestNeeds() throws {
        let policy = try F.playbook(Self.yaml).requireFlow().routing
        #expect(policy.accountRules == [.accountOwner] && policy.rules.map(\.name) == ["territory"])
        #expect(try F.playbook(Self.yaml).requireFlow().roster.rep("cy")?.accounts == ["domain:initech.example"])
    }

    @Test func aSecondContactGoesToTheRepAlreadyWorkingTheAccount() async throws {
        let (engine, store) = try await F.engine(yaml: Self.yaml)
        // Dana (EMEA) goes to ana by territory; Lee, of the same company but in North America, follows her to ana.
        #expect(Self.holder(try await Self.handOff(engine, "L1", email: "dana@northwind.example", region: "emea", at: F.monday(9))) == "ana")
        #expect(
            Self.holder(try await Self.handOff(engine, "L2", email: "lee@northwind.example", region: "north_america", at: F.monday(9, 30))) == "ana")
        // Another company's North America lead still goes to bob by territory.
        #expect(Self.holder(try await Self.handOff(engine, "L3", email: "kim@globex.example", region: "north_america", at: F.monday(10))) == "bob")
        let entry = try #require(try await store.decisionLedger(leadID: "L2").map { try $0.decoded() }.last { $0.kind == .routing }?.routing)
        #expect(entry.summary == "assigned to ana by `account_owner` (account domain:northwind.example, worked by ana)", "\(entry.summary)")
        #expect(entry.candidates.map(\.reason) == ["account_owner", "account_owner", "account_owner"])
        #expect(entry.candidates.first { $0.repID == "ana" }?.verdict == .chosen)
        #expect(entry.candidates.first { $0.repID == "bob" }?.detail == "not weighed: its account is ana's (`account_owner`)")
    }

    @Test func aNamedAccountGoesToItsOwnerOverTheTerritory() async throws {
        let (engine, _) = try await F.engine(yaml: Self.yaml)
        #expect(Self.holder(try await Self.handOff(engine, "L1", email: "ann@initech.example", region: "emea", at: F.monday(9))) == "cy")
    }

    @Test func anOwnerWhoCannotTakeItNowIsNotedAndTheRulesRoute() async throws {
        let yaml = Self.yaml.replacingOccurrences(
            of: "accounts: [\"domain:initech.example\"]}", with: "accounts: [\"domain:initech.example\"], capacity: 0}")
        let (engine, store) = try await F.engine(yaml: yaml)
        #expect(Self.holder(try await Self.handOff(engine, "L1", email: "ann@initech.example", region: "emea", at: F.monday(9))) == "ana")
        let entry = try #require(try await store.decisionLedger(leadID: "L1").map { try $0.decoded() }.last { $0.kind == .routing }?.routing)
        #expect(entry.rules.first?.rule == "account_owner" && entry.rules.first?.key == nil)
        #expect(entry.rules.first?.value == "account domain:initech.example, named for cy: cy at capacity 0/0")
    }

    /// An SLA reassignment never splits an account: ana works both of Northwind's contacts and
    /// misses one's deadline; with no rule for it the lead would go to cy (a generalist), so it is
    /// parked for the manager instead, named in the ledger.
    @Test func anSLAReassignmentParksRatherThanSplitTheAccount() async throws {
        let (_, store) = try await F.engine(yaml: Self.yaml)
        try await Self.parksRatherThanSplit(store)
    }

    @Test(.enabled(if: ScratchPostgres.isExpected)) func anSLAReassignmentParksRatherThanSplitOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyStore { store in try await Self.parksRatherThanSplit(store) }
    }

    static func parksRatherThanSplit(_ store: any HandoffStore) async throws {
        let engine = try await LeadMergeTests.engine(on: store, yaml: Self.yaml)
        #expect(Self.holder(try await Self.handOff(engine, "L1", email: "dana@northwind.example", region: "emea", at: F.monday(9))) == "ana")
        _ = try await engine.apply(F.attempt("L1-t", lead: "L1", at: F.monday(9, 20), rep: "ana"))
        #expect(Self.holder(try await Self.handOff(engine, "L2", email: "lee@northwind.example", region: "emea", at: F.monday(9, 30))) == "ana")
        // L2 due 10:31Z (1 business hour), manager after 1 more, reassignment after 2 more: 13:31Z.
        let fired = try await engine.tick(at: F.monday(14))
        let moved = fired.compactMap { effect -> AssignmentTarget? in
            guard effect.leadID == "L2", case .reassigned(let from, let to) = effect.kind, from == "ana" else { return nil }
            return to
        }
        #expect(moved == [.fallbackQueue("sales-triage")], "\(fired.map(\.summary))")
        #expect(try await store.openHandoffs(repID: nil).map { "\($0.lead.id):\($0.assignment.holderID)" }.sorted() == ["L1:ana", "L2:sales-triage"])
        let entry = try #require(try await store.decisionLedger(leadID: "L2").map { try $0.decoded() }.last { $0.kind == .routing }?.routing)
        #expect(entry.method == .accountKept && entry.reassignedFrom == "ana")
        #expect(
            entry.summary
                == "parked in `sales-triage`: ana missed the deadline but works account domain:northwind.example's other contacts; no other rep gets one of them automatically: a manager decides"
        )
    }

    @Test func anAccountAssignmentIsATurnTheOwnerWins() throws {
        let roster = try F.playbook(Self.yaml).requireFlow().roster
        var router = Router(policy: RoutingPolicy(fallbackQueue: "q", rules: [], accountRules: [.sticky]), roster: roster)
        let decision = router.route(
            leadID: "L1", fields: [:], at: F.monday(10), known: [Router.KnownRep(rule: .sticky, repID: "bob", evidence: "its last hand-off")])
        #expect(decision.repID == "bob")
        // Everyone gains their weight (1 each), bob pays the total (3): credits −2, +1, +1, sum 0.
        #expect(router.state.credit == ["ana": 1, "bob": -2, "cy": 1])
        // The next open turn goes to ana (tie with cy: the earlier rep on the roster).
        #expect(router.route(leadID: "L2", fields: [:], at: F.monday(10)).repID == "ana")
    }

    @Test func theRulesMustComeFirstAndOnce() throws {
        func routing(_ rules: String) -> String {
            F.playbookYAML.replacingOccurrences(
                of: "fallback_queue: sales-triage\n  rules:\n", with: "fallback_queue: sales-triage\n  rules:\n" + rules)
        }
        for (yaml, problem) in [
            (routing("    - {match: territory, field: region}\n    - {match: sticky}\n"), "list it before `match: territory`"),
            (routing("    - {match: sticky}\n    - {match: sticky}\n"), "is listed twice"),
            (routing("    - {match: sticky, field: region}\n"), "field"),
        ] {
            #expect(throws: PlaybookError.self) { _ = try F.playbook(yaml).requireFlow() }
            do {
                _ = try F.playbook(yaml).requireFlow()
            } catch {
                #expect("\(error)".contains(problem), "\(error)")
            }
        }
    }

    /// Two engines (two service instances) hand off two contacts of one new account at the same
    /// time: whichever commits second is run again, finds the first hand-off, and follows it.
    /// Repeated over twenty accounts, whatever the interleaving.
    static func neverSplit(_ first: any HandoffStore, _ second: any HandoffStore) async throws {
        func engine(_ store: any HandoffStore) throws -> HandoffEngine {
            try HandoffEngine(
                store: store, playbook: try F.playbook(Self.yaml), scorer: try LeadScorer(weights: F.weights()), knownFields: ["region"])
        }
        let one = try engine(first), two = try engine(second)
        try await one.prepare(at: F.utc(2026, 3, 1, 0, 0))
        func applyRetrying(_ engine: HandoffEngine, _ event: InboundEvent) async throws {
            for attempt in 0..<20 {
                do {
                    _ = try await engine.apply(event)
                    return
                } catch .store(_, .routerStateConflict), .store(_, .leadAlreadyAssigned) {
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...(500 << min(attempt, 6)))))
                }
            }
            Issue.record("still conflicting after 20 attempts: \(event.eventID)")
        }
        for n in 0..<20 {
            let at = F.monday(9).addingTimeInterval(Double(n) * 120)
            let a = "A\(n)", b = "B\(n)"
            _ = try await one.apply(F.created("\(a)-c", lead: a, at: at, fields: Self.lead(a, email: "x@co\(n).example", region: "emea")))
            _ = try await one.apply(F.created("\(b)-c", lead: b, at: at, fields: Self.lead(b, email: "y@co\(n).example", region: "north_america")))
            async let left: Void = applyRetrying(one, F.engagement("\(a)-d", lead: a, at: at.addingTimeInterval(30), type: "demo_request"))
            async let right: Void = applyRetrying(two, F.engagement("\(b)-d", lead: b, at: at.addingTimeInterval(30), type: "demo_request"))
            _ = try await (left, right)
            let holders = try await first.accountHolders(accountID: "domain:co\(n).example")
            #expect(holders.count == 1, "account co\(n) is worked by \(holders)")
        }
    }

    @Test func twoInstancesNeverSplitAnAccountOnSQLite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two connections to one file, as two processes would have.
        let path = dir.appendingPathComponent("store.sqlite").path
        let first = try SQLiteHandoffStore(path: path)
        let second = try SQLiteHandoffStore(path: path)
        try await Self.neverSplit(first, second)
    }

    @Test(.enabled(if: ScratchPostgres.isExpected)) func twoInstancesNeverSplitAnAccountOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyDatabase { location in
            let first = try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            let second = try await PostgresHandoffStore.open(location, options: ScratchPostgres.testOptions)
            do {
                try await Self.neverSplit(first, second)
            } catch {
                await first.close()
                await second.close()
                throw error
            }
            await first.close()
            await second.close()
        }
    }
}

/// The buying-group score of an account (issue 16): `1 − Π(1 − pᵢ)`, worked by hand.
@Suite struct BuyingGroupTests {
    @Test func atLeastOneOfTheContactsConverts() {
        let group = AccountContacts.BuyingGroup(probabilities: [("L1", 0.5), ("L2", 0.2), ("L3", 0)], engaged: 2)
        // 1 − 0.5 · 0.8 · 1 = 0.6.
        #expect(abs(group.probability - 0.6) < 1e-15)
        #expect(group.highest == 0.5 && group.highestLeadID == "L1" && group.scoredContacts == 3 && group.engagedContacts == 2)
        // Out-of-range inputs are clamped, never a probability above 1 or NaN.
        let odd = AccountContacts.BuyingGroup(probabilities: [("L1", 1.5), ("L2", -0.1)], engaged: 0)
        #expect(odd.probability == 1 && odd.highest == 1)
    }

    @Test func theRepSeesItInThePackage() async throws {
        let (engine, _) = try await EngineFixture.engine(yaml: AccountRoutingTests.yaml)
        _ = try await AccountRoutingTests.handOff(engine, "L1", email: "dana@northwind.example", region: "emea", at: EngineFixture.monday(9))
        _ = try await AccountRoutingTests.handOff(engine, "L2", email: "lee@northwind.example", region: "emea", at: EngineFixture.monday(9, 30))
        let package = try #require(try await engine.package(leadID: "L2")?.package)
        let account = try #require(package.account)
        #expect(account.contacts == 2 && account.others.map(\.leadID) == ["L1"] && account.others.first?.email == "dana@northwind.example")
        let group = try #require(account.buyingGroup)
        let p1 = try #require(try await engine.package(leadID: "L1")?.package?.scoreNow?.probability)
        let p2 = try #require(package.scoreNow?.probability)
        #expect(abs(group.probability - (1 - (1 - p1) * (1 - p2))) < 1e-12 && group.scoredContacts == 2 && group.engagedContacts == 2)
        #expect(package.markdown().contains("Buying group: "))
    }
}
