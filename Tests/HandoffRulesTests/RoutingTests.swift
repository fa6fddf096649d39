import Foundation
import Testing

@testable import HandoffRules

@Suite struct RoutingTests {
    /// Territory by country → region, industry (skipped when missing), deal size by employees.
    let policy = RoutingPolicy(
        fallbackQueue: "sales-triage",
        rules: [
            RoutingRule(dimension: .territory, field: "country", map: ["DE": "emea", "FR": "emea", "US": "na", "CA": "na"]),
            RoutingRule(dimension: .industry, field: "industry", ifMissing: .skip),
            RoutingRule(
                dimension: .dealSize, field: "employees",
                tiers: [.init(tier: "smb", below: 200), .init(tier: "mid", below: 2000), .init(tier: "enterprise", below: nil)]),
        ])
    let roster = RepRoster([
        Flow.rep("ana", territories: ["emea"], industries: ["software"], tiers: ["mid", "enterprise"]),
        Flow.rep("ben", territories: ["emea"]),
        Flow.rep("cy", territories: ["na"]),
        Flow.rep("dee", territories: ["na"], industries: ["healthcare"], tiers: ["enterprise"]),
    ])
    /// Monday 2026-11-23 11:00 New York: everyone is working.
    let monday = Flow.at(2026, 11, 23, 11)

    func route(
        _ fields: [String: String], at instant: Date? = nil, open: [String: Int] = [:],
        excluding: Set<String> = [], roster: RepRoster? = nil
    ) -> RoutingDecision {
        var router = Router(policy: policy, roster: roster ?? self.roster)
        return router.route(leadID: "L1", fields: fields, at: instant ?? monday, openHandoffs: open, excluding: excluding)
    }

    @Test func specialistGetsTheLeadTheyCover() {
        let decision = route(["country": "DE", "industry": "Software", "employees": "500"])
        #expect(decision.repID == "ana")
        #expect(decision.trail.map(\.key) == ["emea", "Software", "mid"])
        #expect(decision.trail.map(\.eligible) == [["ana", "ben"], ["ana", "ben"], ["ana", "ben"]])
        #expect(decision.repWasWorking)
    }

    @Test func generalistTakesAnIndustryNobodySpecialisesIn() {
        let decision = route(["country": "fr", "industry": "Retail", "employees": "50"])
        #expect(decision.repID == "ben")
        #expect(decision.trail[1].matchedGeneralists)
    }

    @Test func specialistWhoLacksTheTierYieldsToGeneralist() {
        // dee is the healthcare specialist but only takes enterprise deals; a 50-person clinic goes to cy.
        #expect(route(["country": "US", "industry": "healthcare", "employees": "50"]).repID == "cy")
        #expect(route(["country": "US", "industry": "healthcare", "employees": "5000"]).repID == "dee")
    }

    @Test func specialistAwayOrFullOverflowsToGeneralist() {
        let fields = ["country": "US", "industry": "healthcare", "employees": "5000"]
        #expect(route(fields, open: ["dee": 100]).repID == "cy")
        #expect(route(fields, excluding: ["dee"]).repID == "cy")
    }

    @Test func missingIndustryIsSkippedButMissingCountryIsParked() {
        #expect(route(["country": "DE", "employees": "50"]).repID == "ben")
        let decision = route(["industry": "software", "employees": "50"])
        #expect(decision.repID == nil)
        #expect(decision.alert?.reason == .missingField(rule: "territory", field: "country"))
        #expect(decision.alert?.queue == "sales-triage")
        #expect(decision.alert?.description.contains("if_missing: skip") == true)
    }

    @Test(arguments: [
        (["country": "JP", "employees": "50"], RoutingAlert.Reason.unmappedValue(rule: "territory", field: "country", value: "JP")),
        (["country": "DE", "employees": "many"], .notANumber(rule: "deal_size", field: "employees", value: "many")),
    ])
    func unplaceableLeadsRaiseAnAlert(fields: [String: String], reason: RoutingAlert.Reason) {
        let decision = route(fields)
        #expect(
            decision.outcome
                == .queued(
                    queue: "sales-triage",
                    alert: RoutingAlert(
                        leadID: "L1", queue: "sales-triage", at: monday, reason: reason)))
    }

    @Test func noRepForTheKeyNamesTheCandidates() {
        let roster = RepRoster([Flow.rep("ana", territories: ["emea"], tiers: ["enterprise"])])
        let decision = route(["country": "DE", "employees": "10"], roster: roster)
        #expect(decision.alert?.reason == .noRepCovers(rule: "deal_size", key: "smb", candidates: ["ana"]))
    }

    @Test func everyoneUnavailableSaysWhy() {
        let back = Flow.at(2026, 11, 30)
        let roster = RepRoster([
            Flow.rep("ana", territories: ["emea"], outOfOffice: [DateInterval(start: Flow.at(2026, 11, 20), end: back)]),
            Flow.rep("ben", capacity: 3, territories: ["emea"]),
            Flow.rep("old", territories: ["emea"], status: .left),
        ])
        let decision = route(["country": "DE", "employees": "10"], open: ["ben": 3], roster: roster)
        #expect(decision.alert?.reason == .noAvailableRep(eligible: ["ana": .outOfOffice(until: back), "ben": .atCapacity(open: 3, capacity: 3)]))
        #expect(decision.alert?.description.contains("ben is at capacity (3/3)") == true)
    }

    @Test func emptyRosterStillParksTheLead() {
        let decision = route(["country": "DE", "employees": "10"], roster: RepRoster([]))
        #expect(decision.alert != nil)
    }

    @Test func categoricalDealSizeAndWildcardMap() {
        let policy = RoutingPolicy(
            fallbackQueue: "q",
            rules: [
                RoutingRule(dimension: .territory, field: "region", map: ["emea": "emea", "*": "row"]),
                RoutingRule(dimension: .dealSize, field: "budget", map: ["<10k": "smb", ">100k": "enterprise"]),
            ])
        let roster = RepRoster([Flow.rep("row", territories: ["row"], tiers: ["smb"]), Flow.rep("big", territories: ["row"], tiers: ["enterprise"])])
        var router = Router(policy: policy, roster: roster)
        #expect(router.route(leadID: "a", fields: ["region": "LATAM", "budget": ">100k"], at: monday).repID == "big")
        #expect(router.route(leadID: "b", fields: ["region": "apac", "budget": "<10K"], at: monday).repID == "row")
        #expect(
            router.route(leadID: "c", fields: ["region": "apac", "budget": "10k-100k"], at: monday).alert?.reason
                == .unmappedValue(rule: "deal_size", field: "budget", value: "10k-100k"))
    }

    /// Working hours delay, they do not block: at night the lead still goes to a rep, and when
    /// some eligible reps are working they are preferred over off-duty ones.
    @Test func workingHoursPreferButDoNotBlock() {
        let roster = RepRoster([
            Flow.rep("ny", territories: ["emea"]),
            Flow.rep("de", territories: ["emea"], calendar: Flow.berlinCalendar),
        ])
        // 2026-11-23 08:00 New York = 14:00 Berlin: only the Berlin rep is working.
        for i in 0..<3 {
            var router = Router(policy: policy, roster: roster, state: RoundRobinState(credit: ["de": -i, "ny": i]))
            let decision = router.route(leadID: "L", fields: ["country": "DE", "employees": "5"], at: Flow.at(2026, 11, 23, 8))
            #expect(decision.repID == "de")
            #expect(decision.repWasWorking)
        }
        // Sunday: nobody works; the lead is assigned anyway, flagged as off duty.
        let sunday = route(["country": "DE", "employees": "5"], at: Flow.at(2026, 11, 22, 12), roster: roster)
        #expect(sunday.repID != nil)
        #expect(!sunday.repWasWorking)
    }

    @Test func repsWhoLeftAreNeverChosen() {
        let roster = RepRoster([Flow.rep("gone", territories: ["emea"], status: .left), Flow.rep("ben", territories: ["emea"])])
        var router = Router(policy: policy, roster: roster)
        for i in 0..<10 {
            #expect(router.route(leadID: "L\(i)", fields: ["country": "DE", "employees": "5"], at: monday).repID == "ben")
        }
    }
}
