import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

@Suite struct EngineFlowTests {
    typealias F = EngineFixture

    @Test func scoreQualifyRouteAndEscalateEachAtItsTime() async throws {
        let (engine, store) = try await F.engine()
        let created = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        #expect(created.status == .applied)
        // η = −3 + 1.2 + 0.9 + 1.1·log1p(0) + 0.05·3 = −0.75; nurture (no demo yet), so no hand-off.
        let factor = 20 / log(2.0), offset = 600 - factor * log(50.0)
        guard case let .qualified(stage, _, rule, points)? = created.effects.first?.kind else {
            Issue.record("no qualification effect: \(created.effects)")
            return
        }
        #expect(stage == .nurture && rule == nil)
        #expect(isClose(points, offset + factor * -0.75, absolute: 1e-9, relative: 1e-12))
        #expect(created.effects.count == 1)

        // The demo request makes demo_requests 1: SQL by demo_with_budget, high priority, routed to
        // the EMEA specialist. 09:10Z is 10:10 in Berlin, so the first touch is due 11:10 Berlin = 10:10Z.
        let demo = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let kinds = demo.effects.map(\.kind)
        #expect(kinds.count == 2)
        guard case let .qualified(stage2, priority2, rule2, points2) = kinds[0] else {
            Issue.record("\(kinds)")
            return
        }
        #expect(stage2 == .sql && priority2 == .high && rule2 == "demo_with_budget")
        #expect(isClose(points2, offset + factor * (-3 + 1.2 + 0.9 + 1.1 * log(2.0) + 0.15), absolute: 1e-9, relative: 1e-12))
        #expect(kinds[1] == .handedOff(repID: "ana", priority: .high, deadline: F.monday(10, 10)))

        // Nothing is due before the deadline.
        #expect(try await engine.tick(at: F.monday(10, 9)).isEmpty)
        // Then each step at its own instant: breach + reminder at 10:10Z, manager one business hour
        // later, reassignment two hours after the deadline (12:10Z) to the generalist cy (ana excluded).
        // 12:10Z is 07:10 in New York, so cy's clock starts at 09:00 NY = 14:00Z: due 15:00Z.
        let fired = try await engine.tick(at: F.monday(12, 30))
        let expected: [EngineEffect] = [
            EngineEffect(leadID: "L1", at: F.monday(10, 10), kind: .breach(repID: "ana", kind: .firstTouch, deadline: F.monday(10, 10))),
            EngineEffect(leadID: "L1", at: F.monday(10, 10), kind: .reminder(repID: "ana", overdueSince: F.monday(10, 10))),
            EngineEffect(leadID: "L1", at: F.monday(11, 10), kind: .managerNotified(repID: "ana", manager: "lee@example.com", breach: .firstTouch)),
            EngineEffect(leadID: "L1", at: F.monday(12, 10), kind: .reassigned(fromRepID: "ana", to: .rep("cy"))),
            EngineEffect(leadID: "L1", at: F.monday(12, 10), kind: .handedOff(repID: "cy", priority: .high, deadline: F.monday(15))),
        ]
        #expect(fired == expected)
        // A second tick at the same instant fires nothing again.
        #expect(try await engine.tick(at: F.monday(12, 30)).isEmpty)

        // cy calls at 14:30Z: half a business hour after their day opened, inside the SLA.
        let call = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(14, 30), rep: "cy"))
        #expect(
            call.effects == [
                EngineEffect(
                    leadID: "L1", at: F.monday(14, 30),
                    kind: .firstTouch(repID: "cy", businessSeconds: 1800, withinSLA: true))
            ])
        #expect(try await engine.tick(at: F.monday(16)).isEmpty)

        let counts = try await store.counts()
        #expect(counts.leads == 1 && counts.events == 3 && counts.scores == 2 && counts.decisions == 2)
        #expect(counts.assignments == 2 && counts.timers == 2 && counts.contactAttempts == 1 && counts.routerStates == 1)
        let everything = try await store.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture))
        #expect(
            everything.alerts.map(\.kind).sorted() == [
                "manager-notification", "new-high-priority", "new-high-priority",
                "reassignment", "sla-reminder",
            ])
        #expect(everything.scores.allSatisfy { $0.model.sha256 == engine.model.sha256 })
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        let first = try #require(timeline.timers.first { $0.id == "L1/handoff-1" })
        #expect(first.state == .cancelled && first.firedSteps.map(\.action) == ["remind-rep", "notify-manager", "reassign"])
        let second = try #require(timeline.timers.first { $0.id == "L1/handoff-2" })
        #expect(second.state == .running && second.policy == "high")
        #expect(timeline.assignments.map(\.target) == [.rep("ana"), .rep("cy")])
        #expect(timeline.assignments[0].unassignReason == "reassigned after SLA breach")
        let evidence = try #require(timeline.decisions.last?.evidence.text)
        #expect(evidence.contains("\"deciding_rule\":\"demo_with_budget\""))
    }

    /// Issue 21 item 2: cy's call on ana's lead used to read "first touch by cy (within SLA)" and
    /// stopped ana's clock; it is an assist now: stored in the timeline, ana's breach still fires,
    /// and ana's own call is the first touch (late).
    @Test func anotherRepsAttemptIsAnAssistNotTheOwnersTouch() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let assist = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 20), rep: "cy"))
        #expect(assist.effects == [EngineEffect(leadID: "L1", at: F.monday(9, 20), kind: .assist(repID: "cy", ownerID: "ana"))])
        let fired = try await engine.tick(at: F.monday(10, 30))
        #expect(
            fired.contains(
                EngineEffect(leadID: "L1", at: F.monday(10, 10), kind: .breach(repID: "ana", kind: .firstTouch, deadline: F.monday(10, 10)))))
        let own = try await engine.apply(F.attempt("e4", lead: "L1", at: F.monday(10, 40), rep: "ana"))
        #expect(own.effects.contains { if case .firstTouch("ana", _, false) = $0.kind { true } else { false } }, "\(own.effects)")
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.contactAttempts.map(\.repID) == ["cy", "ana"], "the assist is kept in the lead's record")
    }

    @Test func aRetriedEventIdChangesNothing() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let before = try await store.counts()
        let again = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        #expect(again.status == .duplicate && again.effects.isEmpty)
        let recreated = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        #expect(recreated.status == .duplicate)
        #expect(try await store.counts() == before)
    }

    @Test func aFailingEventRollsBackWholeAndEarlierOnesStay() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let before = try await store.counts()
        // One attempt made, `unresponsive` needs six: the disposition is refused and nothing of it
        // (journal row, disposition, closed assignment, timer) is written.
        _ = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 20), rep: "ana"))
        let afterAttempt = try await store.counts()
        #expect(afterAttempt.contactAttempts == before.contactAttempts + 1)
        await #expect(throws: EngineError.self) {
            try await engine.apply(F.disposition("e4", lead: "L1", at: F.monday(9, 30), rep: "ana", code: "unresponsive"))
        }
        #expect(try await store.counts() == afterAttempt)
        let open = try await store.openHandoffs(repID: "ana")
        #expect(open.count == 1)
        // The same lead can still be dispositioned with a code that needs no attempts.
        let closed = try await engine.apply(F.disposition("e5", lead: "L1", at: F.monday(9, 40), rep: "ana", code: "bad_timing"))
        // Bad timing recycles after 90 days, on the Berlin calendar date: 2026-03-02 + 90 = 2026-05-31.
        #expect(closed.effects.last?.kind == .closed(reason: "bad_timing", reEngageOn: LocalDate("2026-05-31")))
        #expect(try await store.openHandoffs(repID: nil).isEmpty)
    }

    @Test func badInputNamesEventAndFieldAndStoresNothing() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        _ = try await engine.apply(F.attempt("e3", lead: "L1", at: F.monday(9, 30), rep: "ana"))
        let before = try await store.counts()

        func refused(_ event: InboundEvent) async -> EngineError? {
            do {
                _ = try await engine.apply(event)
                return nil
            } catch { return error }
        }
        // Unknown rep.
        let rep = await refused(F.attempt("e4", lead: "L1", at: F.monday(10), rep: "zed"))
        #expect(rep == .unknownRep(eventID: "e4", repID: "zed", field: "rep_id", known: ["ana", "bob", "cy"]))
        // Event for an unknown lead.
        let lead = await refused(F.engagement("e5", lead: "L9", at: F.monday(10), type: "webinar_attended"))
        #expect(lead == .unknownLead(eventID: "e5", leadID: "L9", type: "engagement"))
        // Out of order: a disposition older than the lead's latest event (e3 at 09:30Z). Contact
        // attempts may arrive late (CRM lag) and are judged at their own time (LateTouchTests).
        let order = await refused(F.disposition("e6", lead: "L1", at: F.monday(9, 20), rep: "ana", code: "bad_timing"))
        #expect(order == .outOfOrder(eventID: "e6", leadID: "L1", occurredAt: F.monday(9, 20), latest: F.monday(9, 30), latestEventID: "e3"))
        #expect(order?.description.contains("e6") == true && order?.description.contains("e3") == true)
        // A lead lacking the weight file's fields: all of them listed.
        let fields = await refused(F.created("e7", lead: "L2", at: F.monday(10), fields: ["demo_requests": "0", "email_opens": "1"]))
        #expect(fields == .missingFields(eventID: "e7", leadID: "L2", fields: ["company_size", "budget_authority"]))
        #expect(fields?.description.contains("\"company_size\", \"budget_authority\"") == true)
        // A second lead_created for a stored lead, and an unknown channel.
        #expect(await refused(F.created("e8", lead: "L1", at: F.monday(10), fields: F.fitLead)) == .leadAlreadyExists(eventID: "e8", leadID: "L1"))
        let channel = InboundEvent(
            eventID: "e9", kind: .contactAttempt, occurredAt: F.monday(10), leadID: "L1",
            body: .contactAttempt(.init(repID: "ana", channel: "pigeon", outcome: "sent")))
        guard case .invalidField("e9", "channel", _)? = await refused(channel) else {
            Issue.record("channel accepted")
            return
        }
        #expect(try await store.counts() == before)
        // A late engagement is stored (late data), not refused.
        let late = try await engine.apply(F.engagement("e10", lead: "L1", at: F.monday(9, 5), type: "email_open"))
        #expect(late.status == .applied)
    }

    @Test func playbookFieldsAreCheckedAgainstTheModel() async throws {
        let store = try SQLiteHandoffStore(
            path: FileManager.default.temporaryDirectory
                .appendingPathComponent("baton-engine-\(UUID().uuidString).sqlite").path)
        let scorer = try LeadScorer(weights: F.weights())
        let typo = F.playbookYAML.replacingOccurrences(of: "field: budget_authority", with: "field: budjet_authority")
        #expect(
            throws: EngineError.playbook(
                .unknownField(
                    file: "playbook.yaml", line: 8, field: "budjet_authority",
                    suggestion: "budget_authority"))
        ) {
            try HandoffEngine(store: store, playbook: try F.playbook(typo), scorer: scorer, knownFields: ["region"])
        }
        // The routing rule reads `region`; without it among the known lead fields, line 18 is named.
        #expect(throws: EngineError.playbook(.unknownField(file: "playbook.yaml", line: 18, field: "region", suggestion: nil))) {
            try HandoffEngine(store: store, playbook: try F.playbook(), scorer: scorer)
        }
    }

    @Test func aBrokenFlowSectionIsAPlaybookErrorWithItsLine() throws {
        let store = try SQLiteHandoffStore(
            path: FileManager.default.temporaryDirectory
                .appendingPathComponent("baton-engine-\(UUID().uuidString).sqlite").path)
        let broken = F.playbookYAML.replacingOccurrences(of: "time_zone: America/New_York}\n  - {id: cy", with: "time_zone: Mars/Base}\n  - {id: cy")
        let book = try F.playbook(broken)
        let scorer = try LeadScorer(weights: F.weights())
        do {
            _ = try HandoffEngine(store: store, playbook: book, scorer: scorer, knownFields: ["region"])
            Issue.record("a rep on Mars was accepted")
        } catch {
            guard case .playbook(let playbookError) = error, case .invalid = playbookError else {
                Issue.record("\(error)")
                return
            }
            #expect(playbookError.key == "reps[1].time_zone" && playbookError.line == 21)
            #expect(error.description.contains("Mars/Base"))
        }
        // The qualification reader alone still takes the same file (its other sections are not its business).
        #expect(try F.playbook(broken).qualification != nil)
    }

    @Test func fallbackQueueRaisesAnAlert() async throws {
        let (engine, store) = try await F.engine()
        var fields = F.fitLead
        fields["region"] = "apac"
        _ = try await engine.apply(F.created("e1", lead: "L3", at: F.monday(9), fields: fields))
        let result = try await engine.apply(F.engagement("e2", lead: "L3", at: F.monday(9, 10), type: "demo_request"))
        guard case let .queued(queue, reason)? = result.effects.last?.kind else {
            Issue.record("\(result.effects)")
            return
        }
        #expect(queue == "sales-triage" && reason.contains("apac"))
        let alerts = try await store.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture)).alerts
        #expect(alerts.map(\.kind) == ["fallback-queue"] && alerts.first?.target == "sales-triage")
        #expect(try await store.openHandoffs(repID: nil).map(\.assignment.target) == [.fallbackQueue("sales-triage")])
    }
}

/// Issue 20's "stored wrong without a word", at the event door: impossible dates, ids that a
/// SQL binding or a header would cut or split, and amounts that would wrap are refused, named.
@Suite struct HostileEventTests {
    typealias F = EngineFixture

    func problem(_ json: String) -> EventLogProblem? {
        if case .failure(let problem) = EventLog.decode(Data(json.utf8)) { return problem }
        return nil
    }

    func created(id: String = "e1", lead: String = "L1", at: String = "2026-03-02T10:00:00Z") -> String {
        let encoded = String(decoding: try! JSONEncoder().encode([id, lead, at]), as: UTF8.self).dropFirst().dropLast()
        let parts = encoded.split(separator: ",", maxSplits: 2).map(String.init)
        return #"{"event_id": \#(parts[0]), "type": "lead_created", "lead_id": \#(parts[1]), "occurred_at": \#(parts[2]), "fields": {}}"#
    }

    @Test func impossibleOrUnboundedDatesAreRefusedNotMoved() {
        for bad in ["2026-02-30T10:00:00Z", "9999999-01-01T00:00:00Z", "1969-12-31T23:00:00Z", "2026-03-02T10:00:00"] {
            let p = problem(created(at: bad))
            #expect(p?.field == "occurred_at" && p?.problem.contains("RFC 3339") == true, "\(bad): \(String(describing: p))")
        }
        #expect(problem(created(at: "2024-02-29T10:00:00.250+01:00")) == nil)
    }

    @Test func idsThatWouldBeCutOrSplitAreRefused() {
        #expect(problem(created(lead: "L-BASE\u{0}x"))?.field == "lead_id")
        #expect(problem(created(id: "e\u{0}A"))?.field == "event_id")
        #expect(problem(created(lead: "L1\r\nBcc: evil@x.example"))?.problem.contains("U+000D") == true)
        #expect(problem(created(lead: String(repeating: "L", count: 500_000)))?.problem.contains("at most 256 bytes") == true)
        #expect(problem(created(lead: "lead 42/ä%")) == nil)
    }

    /// A `lead_created` reusing another lead's event id was created, scored and routed without its
    /// journal row; a replayed id with other content counted as a duplicate.
    @Test func eventIDsAreUniqueAcrossTheStoreAndAReuseIsAConflict() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        _ = try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        let before = try await store.counts()
        #expect(try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead)).status == .duplicate)
        #expect(try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request")).status == .duplicate)
        await #expect(throws: EngineError.eventIDReused(eventID: "e1", leadID: "L2", storedLeadID: "L1", storedType: "lead_created")) {
            try await engine.apply(F.created("e1", lead: "L2", at: F.monday(9, 30), fields: F.fitLead))
        }
        await #expect(throws: EngineError.eventIDReused(eventID: "e2", leadID: "L1", storedLeadID: "L1", storedType: "demo_request")) {
            try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "webinar_attended"))
        }
        #expect(try await store.counts() == before)
        #expect(try await store.lead(id: "L2") == nil)
    }

    /// Issue 20: a log with NUL or invalid UTF-8 said "The file isn't in the correct format. Check the path."
    @Test func aLogWithNULOrInvalidUTF8NamesTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = Array(#"{"event_id": "e1", "type": "engagement", "lead_id": "L1", "occurred_at": "2026-03-02T10:00:00Z", "event_type": "x"}"#.utf8)
        for (name, bad, expected) in [
            (
                "nul.jsonl", Array(#"{"event_id": "e"#.utf8) + [0] + Array(#"2"}"#.utf8),
                EventLogError.badByte(file: "nul.jsonl", line: 2, column: 16, problem: "a NUL byte")
            ),
            ("utf8.csv", [0x65, 0xFF, 0x2C], EventLogError.badByte(file: "utf8.csv", line: 2, column: nil, problem: "bytes that are not UTF-8")),
        ] {
            let url = dir.appendingPathComponent(name)
            try Data(good + [0x0A] + bad + [0x0A] + good).write(to: url)
            #expect(throws: expected) { try EventLog.read(url: url) }
        }
        #expect(EventLogError.badByte(file: "l", line: 2, column: nil, problem: "bytes that are not UTF-8").description.hasPrefix("l line 2: "))
    }

    @Test func anEngagementBeforeItsLeadWasCreatedIsRefused() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        let before = try await store.counts()
        let error = await #expect(throws: EngineError.self) {
            try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(8, 59), type: "webinar_attended"))
        }
        guard case .invalidField("e2", "occurred_at", let problem)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(problem.contains("before lead 'L1' was created"))
        #expect(try await store.counts() == before)
    }

    @Test func amountsThatWouldWrapAreRefused() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: F.fitLead))
        let before = try await store.counts()
        for amount in ["92233720368547758.08", "1000000000000000", "10000000000000000000000000000000000000000"] {
            let json =
                #"{"event_id": "o-\#(amount.count)", "type": "opportunity", "lead_id": "L1", "occurred_at": "2026-03-02T11:00:00Z", "opportunity_id": "O1", "amount": "\#(amount)", "currency": "EUR", "stage": "discovery"}"#
            let event = try EventLog.decode(Data(json.utf8)).get()
            await #expect(
                throws: EngineError.invalidField(
                    eventID: "o-\(amount.count)", field: "amount",
                    problem: "\(amount) is beyond 10^15 EUR, the largest amount Baton records; check the unit")
            ) {
                try await engine.apply(event)
            }
        }
        #expect(try await store.counts() == before)
        let fine =
            #"{"event_id": "o-ok", "type": "opportunity", "lead_id": "L1", "occurred_at": "2026-03-02T11:00:00Z", "opportunity_id": "O1", "amount": "999999999999999.99", "currency": "EUR", "stage": "discovery"}"#
        _ = try await engine.apply(try EventLog.decode(Data(fine.utf8)).get())
    }
}
