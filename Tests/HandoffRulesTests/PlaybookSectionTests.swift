import Foundation
import HandoffRules
import Testing

@Suite struct PlaybookSectionTests {
    /// A playbook with all four flow sections plus a section owned by another part (`scoring:`),
    /// which the flow reader must leave alone.
    static let playbook = """
        scoring: {mql_threshold: 40}
        routing:
          fallback_queue: sales-triage
          rules:
            - {match: territory, field: country, map: {DE: emea, US: na}}
            - {match: industry, field: industry, if_missing: skip}
            - match: deal_size
              field: employees
              tiers: [{tier: smb, below: 200}, {tier: enterprise}]
        sla:
          working_hours: {days: [mon, tue, wed, thu, fri], from: "08:30", to: "17:30"}
          holidays:
            us: [2026-11-26, 2026-12-25]
            de: [2026-12-24, 2026-12-25]
          policies:
            high:
              first_touch_hours: 1
              escalation: {notify_manager_after_hours: 0.5, reassign_after_hours: 2}
              attempts: {minimum: 5, within_business_days: 8}
            standard:
              first_touch_hours: 4
        dispositions:
          codes:
            bad_timing: {re_engage_after_days: 120}
            student: {label: "Student, not a buyer", to: disqualified}
        reps:
          - id: ana
            name: Ana Ruiz
            email: ana@example.com
            manager: lee@example.com
            territories: [na]
            time_zone: America/New_York
            holidays: us
            weight: 2
            capacity: 30
            out_of_office: [{from: 2026-12-21, to: 2026-12-31}]
          - id: kai
            territories: [emea]
            industries: [software]
            deal_size_tiers: [enterprise]
            time_zone: Europe/Berlin
            working_hours: {days: [mon, tue, wed, thu], from: "09:00", to: "18:00"}
            holidays: de
            status: left
        """

    @Test func readsAllFourSections() throws {
        let flow = try FlowPlaybook.parse(yaml: Self.playbook)
        #expect(flow.routing.fallbackQueue == "sales-triage")
        #expect(flow.routing.rules.map(\.dimension) == [.territory, .industry, .dealSize])
        #expect(flow.routing.rules[2].tiers == [.init(tier: "smb", below: 200), .init(tier: "enterprise", below: nil)])
        #expect(flow.routing.rules[1].ifMissing == .skip)
        let high = try flow.sla.policy(named: "high")
        #expect(
            high
                == SLAPolicy(
                    name: "high", firstTouchHours: 1, notifyManagerAfterHours: 0.5, reassignAfterHours: 2,
                    minimumAttempts: 5, attemptWindowDays: 8))
        // Omitted keys take the standard defaults.
        #expect(try flow.sla.policy(named: "standard") == SLAPolicy.standard)
        #expect(flow.dispositions.code("bad_timing")?.reEngageAfterDays == 120)
        #expect(flow.dispositions.code("bad_timing")?.destination == .nurture)
        #expect(flow.dispositions.code("student")?.destination == .disqualified)
        #expect(flow.dispositions.codes.count == 6)

        let ana = try #require(flow.roster.rep("ana"))
        #expect(ana.weight == 2 && ana.capacity == 30 && ana.manager == "lee@example.com")
        #expect(ana.industries == ["*"])
        #expect(ana.calendar.hours == WorkingHours(opensAtMinute: 8 * 60 + 30, closesAtMinute: 17 * 60 + 30))
        #expect(ana.calendar.holidays == [Flow.date("2026-11-26"), Flow.date("2026-12-25")])
        // Out of office from 21 Dec 00:00 to the end of 31 Dec, New York time.
        #expect(ana.outOfOffice == [DateInterval(start: Flow.at(2026, 12, 21), end: Flow.at(2027, 1, 1))])
        #expect(ana.isOutOfOffice(at: Flow.at(2026, 12, 31, 23, 59)))
        #expect(!ana.isOutOfOffice(at: Flow.at(2027, 1, 1)))
        let kai = try #require(flow.roster.rep("kai"))
        #expect(kai.status == .left)
        #expect(kai.calendar.timeZone.identifier == "Europe/Berlin")
        #expect(kai.calendar.hours.days == [.mon, .tue, .wed, .thu])
    }

    @Test func playbookDrivesRouterAndClock() throws {
        let flow = try FlowPlaybook.parse(yaml: Self.playbook)
        var router = flow.router()
        let decision = router.route(leadID: "L", fields: ["country": "US", "employees": "12"], at: Flow.at(2026, 11, 23, 9))
        #expect(decision.repID == "ana")
        // kai has left: an EMEA lead is parked with an alert.
        let parked = router.route(leadID: "M", fields: ["country": "DE", "employees": "5000"], at: Flow.at(2026, 11, 23, 9))
        #expect(parked.alert?.queue == "sales-triage")
        // ana works 08:30–17:30: handed off Fri 20 Nov 17:00, 30 min that evening + 30 min from
        // Monday 08:30 → Mon 09:00 (the 9–5 default would give Mon 10:00).
        let state = try flow.slaClock.transition(
            SLAState(leadID: "L"), .handedOff(repID: "ana", policy: "high"),
            at: Flow.at(2026, 11, 20, 17))
        #expect(state.state.firstTouchDeadline == Flow.at(2026, 11, 23, 9))
    }

    @Test func defaultsWhenSLAAndDispositionsAreMissing() throws {
        let yaml = """
            routing: {fallback_queue: q}
            reps: [{id: a, time_zone: UTC}]
            """
        let flow = try FlowPlaybook.parse(yaml: yaml)
        #expect(flow.sla.policies == ["high": .high, "standard": .standard])
        #expect(flow.dispositions.codes == DispositionCode.standard)
        #expect(flow.roster.rep("a")?.calendar.hours == .nineToFive)
    }

    /// Each broken playbook names the key path and line, what is wrong and what to do.
    @Test(
        arguments: [
            (
                "routing: {fallback_queue: q, rules: [{match: region, field: country}]}\nreps: []",
                "routing.rules[0].match", 1, "use territory, industry or deal_size"
            ),
            (
                "routing:\n  fallback_queue: q\n  rules:\n    - match: deal_size\n      field: employees\n",
                "routing.rules[0].match", 4, "needs `tiers`"
            ),
            (
                "routing:\n  fallback_queue: q\n  rules:\n    - match: deal_size\n      field: size\n      tiers: [{tier: a}, {tier: b, below: 5}]\n",
                "routing.rules[0].tiers", 6, "only the last tier"
            ),
            (
                "routing: {fallback_queue: q}\nsla:\n  policies:\n    high:\n      first_tuoch_hours: 1\nreps: []",
                "sla.policies.high.first_tuoch_hours", 5, "Did you mean `first_touch_hours`?"
            ),
            (
                "routing: {fallback_queue: q}\nsla:\n  policies:\n    high: {escalation: {notify_manager_after_hours: 3, reassign_after_hours: 2}}\nreps: []",
                "sla.policies.high", 4, "not before notify_manager_after_hours"
            ),
            (
                "routing: {fallback_queue: q}\nsla:\n  working_hours: {from: \"9am\", to: \"17:00\"}\nreps: []",
                "sla.working_hours.from", 3, "HH:MM"
            ),
            (
                "routing: {fallback_queue: q}\nsla:\n  holidays: {us: [2026-13-01]}\nreps: []",
                "sla.holidays.us[0]", 3, "YYYY-MM-DD"
            ),
            (
                "routing: {fallback_queue: q}\nreps:\n  - id: a\n    time_zone: Mars/Olympus\n",
                "reps[0].time_zone", 4, "IANA name"
            ),
            (
                "routing: {fallback_queue: q}\nreps:\n  - id: a\n    weight: 0\n    time_zone: UTC\n",
                "reps[0].weight", 4, "≥ 1"
            ),
            ("routing: {fallback_queue: q}\nreps:\n  - id: a\n", "reps[0].time_zone", 3, "Add `time_zone:`"),
            (
                "routing: {fallback_queue: q}\nreps:\n  - {id: a, time_zone: UTC}\n  - {id: a, time_zone: UTC}\n",
                "reps[1].id", 4, "unique id"
            ),
            (
                "routing: {fallback_queue: q}\nreps:\n  - id: a\n    time_zone: UTC\n    holidays: fr\n",
                "reps[0].holidays", 5, "holiday list `fr`"
            ),
            (
                "routing: {fallback_queue: q}\ndispositions:\n  codes:\n    unresponsive: {requires_minimum_attempts: false}\nreps: []",
                "dispositions.codes.unresponsive.requires_minimum_attempts", 4, "always requires"
            ),
            (
                "routing: {fallback_queue: q}\ndispositions:\n  codes:\n    Ghosted: {to: nurture}\nreps: []",
                "dispositions.codes.Ghosted", 4, "lower-case letters"
            ),
            (
                "routing: {fallback_queue: q}\ndispositions:\n  codes:\n    student: {label: Student}\nreps: []",
                "dispositions.codes.student", 4, "needs `to: nurture`"
            ),
            (
                "routing: {fallback_queue: q}\ndispositions:\n  codes:\n    wrong_fit: {re_engage_after_days: 30}\nreps: []",
                "dispositions.codes.wrong_fit.re_engage_after_days", 4, "not re-engaged"
            ),
            ("routing: {fallback_queue: q}\n", "reps", nil, "no `reps:` section"),
        ] as [(String, String, Int?, String)])
    func brokenPlaybooksSayWhereAndWhat(yaml: String, keyPath: String, line: Int?, hint: String) {
        do {
            _ = try FlowPlaybook.parse(yaml: yaml)
            Issue.record("expected an error at \(keyPath)")
        } catch {
            #expect(error.key == keyPath)
            #expect(error.line == line)
            #expect(error.description.contains(hint), "\(error)")
        }
    }

    /// `sla.touches_from` names the team pool whose attempts stop any owner's clock; only known reps.
    @Test func touchesFromNamesKnownRepsOnly() throws {
        let yaml = Self.playbook.replacingOccurrences(of: "sla:\n", with: "sla:\n  touches_from: [kai]\n")
        #expect(try FlowPlaybook.parse(yaml: yaml).sla.touchesFrom == ["kai"])
        #expect(try FlowPlaybook.parse(yaml: Self.playbook).sla.touchesFrom.isEmpty, "by default only the owner's attempts count")
        let wrong = Self.playbook.replacingOccurrences(of: "sla:\n", with: "sla:\n  touches_from: [ana, zed]\n")
        let error = #expect(throws: PlaybookError.self) { try FlowPlaybook.parse(yaml: wrong, file: "p.yaml") }
        #expect(
            error?.description.contains("`sla.touches_from`") == true && error?.description.contains("zed") == true, "\(String(describing: error))")
        #expect(error?.description.contains("line 11") == true, "\(String(describing: error))")
    }

    @Test func errorNamesTheFile() {
        do {
            _ = try FlowPlaybook.parse(
                yaml: "routing: {fallback_queue: q}\nreps:\n  - id: a\n    time_zone: Mars/Olympus\n",
                file: "playbook.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "playbook.yaml line 4, `reps[0].time_zone`: `Mars/Olympus` is not a time zone; use an IANA name such as Europe/Berlin or America/New_York"
            )
        }
    }

    @Test func malformedYAMLReportsTheLine() {
        do {
            _ = try FlowPlaybook.parse(yaml: "routing:\n  rules: [\n  - x: 1\n", file: "p.yaml")
            Issue.record("expected a syntax error")
        } catch {
            guard case .yaml(.syntax(file: "p.yaml", let line, _)) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(line >= 3)
            #expect(error.description.contains("not valid YAML"))
        }
    }

    @Test func typeMismatchSaysWhatWasExpected() {
        do {
            _ = try FlowPlaybook.parse(yaml: "routing: {fallback_queue: q}\nsla:\n  policies:\n    high:\n      attempts: {minimum: six}\nreps: []")
            Issue.record("expected a type error")
        } catch {
            #expect(
                error == .yaml(.notANumber(file: "playbook", line: 5, key: "sla.policies.high.attempts.minimum", value: "six", wholeNumber: true)))
            #expect(error.description.contains("whole number"))
        }
    }
}
