import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffPostgres
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import PostgresTestSupport
import ScoringModelFormat
import TestSupport
import Testing

/// Issue 16: duplicates and merges. The same person becomes one lead: a second form fill with
/// the same normalised e-mail, or a CRM merge; fields merged by the playbook's rule, engagement
/// joined, the SLA clock not restarted, the current owner kept, and every merge reversible.
@Suite struct LeadMergeTests {
    typealias F = EngineFixture

    static func engine(on store: any HandoffStore, yaml: String = F.playbookYAML) async throws -> HandoffEngine {
        let engine = try HandoffEngine(
            store: store, playbook: try F.playbook(yaml), scorer: try LeadScorer(weights: F.weights()), knownFields: ["region", "phone"])
        try await engine.prepare(at: F.utc(2026, 3, 1, 0, 0))
        return engine
    }

    static func fields(email: String, region: String = "emea", extra: [String: String] = [:]) -> [String: String] {
        var fields = F.fitLead
        fields["email"] = email
        fields["region"] = region
        fields.merge(extra) { _, new in new }
        return fields
    }

    static func merge(_ id: String, into survivor: String, _ merged: String, at: Date, kind: InboundEvent.Kind = .merge) -> InboundEvent {
        InboundEvent(eventID: id, kind: kind, occurredAt: at, leadID: survivor, body: .merge(.init(mergedLeadID: merged, note: "merged in the CRM")))
    }

    static func handedOff(_ result: ApplyResult) -> [String] {
        result.effects.compactMap { if case .handedOff(let rep, _, _) = $0.kind { rep } else { nil } }
    }

    /// A second form fill of a lead already handed off joins it: no second hand-off, no new
    /// clock, the owner kept, the new values merged in (latest non-empty wins), and the id it
    /// came with keeps addressing the same person.
    static func secondFormFill(_ store: any HandoffStore) async throws {
        let engine = try await engine(on: store)
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: fields(email: "dana.smith@northwind.example")))
        #expect(handedOff(try await engine.apply(F.engagement("e2", lead: "L1", at: F.monday(9, 10), type: "demo_request"))) == ["ana"])
        let refill = try await engine.apply(
            F.created(
                "e3", lead: "L9", at: F.monday(9, 20),
                fields: fields(
                    email: "  Dana.Smith+webinar@NorthWind.example", region: "north_america", extra: ["phone": "+49 30 1234", "company_size": ""]))
        )
        #expect(refill.status == .applied)
        #expect(
            refill.effects.map(\.kind).contains(.merged(mergedLeadID: "L9", rule: "email", closedHandoffOf: nil)), "\(refill.effects.map(\.summary))")
        #expect(handedOff(refill).isEmpty)
        let merges = try await store.leadMerges(involving: "L9", includeEnded: false)
        #expect(merges.map(\.survivorID) == ["L1"] && merges.first?.rule == .email && merges.first?.evidence == "dana.smith@northwind.example")
        // Latest non-empty wins: the new region and phone; the blank company size never erases one.
        let survivor = try #require(try await store.lead(id: "L1")).fieldValues
        #expect(survivor["region"] == "north_america" && survivor["phone"] == "+49 30 1234" && survivor["company_size"] == "1000+")
        #expect(Set(merges.first?.fieldChanges.map(\.field) ?? []) == ["email", "phone", "region"])
        // The id it came with still addresses the person: ana's call on L9 is L1's first touch,
        // within the clock that started at 09:10, not a new one.
        let touch = try await engine.apply(F.attempt("e4", lead: "L9", at: F.monday(9, 30), rep: "ana"))
        #expect(
            touch.effects.map(\.kind).contains(.firstTouch(repID: "ana", businessSeconds: 1_200, withinSLA: true)), "\(touch.effects.map(\.summary))")
        let l1 = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(l1.timers.count == 1 && l1.assignments.count == 1 && l1.contactAttempts.map(\.id) == ["e4"])
        // Nothing of L9 was rewritten: its own row and journal stay under its id.
        #expect(try await store.leadTimeline(leadID: "L9")?.events.map(\.id) == ["e3", "e4"])
        #expect(try await store.openHandoffs(repID: nil).map(\.lead.id) == ["L1"])
        // A retry of the form fill is a duplicate, as any event.
        let retry = F.created(
            "e3", lead: "L9", at: F.monday(9, 20),
            fields: fields(
                email: "  Dana.Smith+webinar@NorthWind.example", region: "north_america", extra: ["phone": "+49 30 1234", "company_size": ""]))
        #expect(try await engine.apply(retry).status == .duplicate)
    }

    @Test func aSecondFormFillJoinsTheLeadWithoutANewClock() async throws {
        let (_, store) = try await F.engine()
        try await Self.secondFormFill(store)
    }

    @Test(.enabled(if: ScratchPostgres.isExpected)) func aSecondFormFillJoinsTheLeadOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyStore { store in try await Self.secondFormFill(store) }
    }

    /// A CRM merge of two leads both handed off: the survivor keeps its owner and clock, the
    /// merged lead's hand-off closes, and the survivor is scored with both histories.
    static func crmMergeKeepsTheOwner(_ store: any HandoffStore) async throws {
        let engine = try await engine(on: store)
        _ = try await engine.apply(F.created("a1", lead: "L1", at: F.monday(9), fields: fields(email: "dana@northwind.example")))
        _ = try await engine.apply(F.engagement("a2", lead: "L1", at: F.monday(9, 5), type: "demo_request"))
        _ = try await engine.apply(
            F.created("b1", lead: "L2", at: F.monday(9, 1), fields: fields(email: "d.smith@home.example", region: "north_america")))
        #expect(handedOff(try await engine.apply(F.engagement("b2", lead: "L2", at: F.monday(14, 10), type: "demo_request"))) == ["bob"])
        let before = try #require(try await store.leadTimeline(leadID: "L1")?.scores.last?.points)
        let merged = try await engine.apply(Self.merge("m1", into: "L1", "L2", at: F.monday(14, 20)))
        #expect(
            merged.effects.map(\.kind).contains(.merged(mergedLeadID: "L2", rule: "crm", closedHandoffOf: "bob")), "\(merged.effects.map(\.summary))")
        #expect(handedOff(merged).isEmpty)
        #expect(try await store.openHandoffs(repID: nil).map { "\($0.lead.id):\($0.assignment.holderID)" } == ["L1:ana"])
        #expect(try await store.leadTimeline(leadID: "L2")?.timers.allSatisfy { !$0.state.isOpen } == true)
        // Two demo requests now count for L1: log1p(2) − log1p(1) more logit, 20/ln 2 points per unit.
        let after = try #require(try await store.leadTimeline(leadID: "L1")?.scores.last)
        #expect(after.triggerEventID == "m1")
        let expected = 1.1 * (log1p(2.0) - log1p(1.0)) * 20 / log(2.0)
        #expect(abs((after.points - before) - expected) < 1e-9, "\(after.points - before) vs \(expected)")
        // The ledger tells what happened.
        let entry = try #require(try await store.decisionLedger(leadID: "L1").map { try $0.decoded() }.last { $0.source == "m1" }?.routing)
        #expect(entry.summary == "merged lead L2 by crm (merged in the CRM); ana keeps the lead; its hand-off to bob closed", "\(entry.summary)")
        // Said again, the merge changes nothing.
        let again = try await engine.apply(Self.merge("m2", into: "L1", "L2", at: F.monday(14, 25)))
        #expect(again.effects.isEmpty)
        // Latest non-empty wins: L2's fields were written a minute later.
        // Unmerged: L2 is its own lead again, L1 scored without its demo, the fields the merge changed put back.
        let fieldsMerged = try #require(try await store.lead(id: "L1")).fieldValues
        #expect(fieldsMerged["email"] == "d.smith@home.example")
        let unmerged = try await engine.apply(Self.merge("u1", into: "L1", "L2", at: F.monday(14, 30), kind: .unmerge))
        #expect(unmerged.effects.map(\.kind).contains(.unmerged(mergedLeadID: "L2")))
        #expect(try await store.leadMerges(involving: "L2", includeEnded: false).isEmpty)
        #expect(try await store.leadMerges(involving: "L2", includeEnded: true).first?.endEventID == "u1")
        let restored = try #require(try await store.lead(id: "L1")).fieldValues
        #expect(restored["email"] == "dana@northwind.example" && restored["region"] == "emea")
        #expect(abs(try #require(try await store.leadTimeline(leadID: "L1")?.scores.last?.points) - before) < 1e-9)
        _ = try await engine.apply(F.engagement("b3", lead: "L2", at: F.monday(14, 40), type: "webinar_attended"))
        #expect(try await store.leadTimeline(leadID: "L2")?.scores.last?.triggerEventID == "b3")
        // Each is found by its own e-mail again.
        #expect(try await store.leadIDs(emailKey: "dana@northwind.example") == ["L1"])
        #expect(try await store.leadIDs(emailKey: "d.smith@home.example") == ["L2"])
    }

    @Test func aCRMMergeKeepsTheSurvivorsOwnerAndIsReversible() async throws {
        let (_, store) = try await F.engine()
        try await Self.crmMergeKeepsTheOwner(store)
    }

    @Test(.enabled(if: ScratchPostgres.isExpected)) func aCRMMergeKeepsTheSurvivorsOwnerOnPostgreSQL() async throws {
        try await ScratchPostgres.withEmptyStore { store in try await Self.crmMergeKeepsTheOwner(store) }
    }

    /// Only the merged lead was handed off: the survivor takes that hand-off over with its clock
    /// (started 09:30) and the touch already made, so nothing breaches and nothing is routed again.
    @Test func theSurvivorTakesTheMergedLeadsHandoffOverWithItsClock() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("a1", lead: "L1", at: F.monday(8), fields: Self.fields(email: "dana@northwind.example")))
        _ = try await engine.apply(F.created("b1", lead: "L2", at: F.monday(9), fields: Self.fields(email: "dana.s@home.example")))
        #expect(Self.handedOff(try await engine.apply(F.engagement("b2", lead: "L2", at: F.monday(9, 30), type: "demo_request"))) == ["ana"])
        _ = try await engine.apply(F.attempt("b3", lead: "L2", at: F.monday(9, 40), rep: "ana"))
        let merged = try await engine.apply(Self.merge("m1", into: "L1", "L2", at: F.monday(10)))
        #expect(Self.handedOff(merged).isEmpty, "\(merged.effects.map(\.summary))")
        let l1 = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(l1.assignments.map(\.rule) == ["merged:L2"] && l1.assignments.first?.holderID == "ana")
        #expect(l1.timers.map(\.startedAt) == [F.monday(9, 30)] && l1.timers.first?.state == .running)
        #expect(l1.contactAttempts.map(\.id) == ["b3@L1"])
        #expect(try await store.openHandoffs(repID: nil).map(\.lead.id) == ["L1"])
        // Hours later nothing fires: the first touch was made under that clock.
        #expect(try await engine.tick(at: F.monday(16)).isEmpty)
        let entry = try #require(try await store.decisionLedger(leadID: "L1").map { try $0.decoded() }.last?.routing)
        #expect(entry.summary == "merged lead L2 by crm (merged in the CRM); took over its hand-off to ana, clock kept")
    }

    @Test func refusalsNameTheFieldAndChangeNothing() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(F.created("a1", lead: "L1", at: F.monday(9), fields: Self.fields(email: "a@one.example")))
        _ = try await engine.apply(F.created("b1", lead: "L2", at: F.monday(9), fields: Self.fields(email: "b@two.example")))
        _ = try await engine.apply(F.created("c1", lead: "L3", at: F.monday(9), fields: Self.fields(email: "c@three.example")))
        func field(_ error: EngineError?) -> String? { if case .invalidField(_, let field, _) = error { field } else { nil } }
        #expect(field(await F.refused(engine, Self.merge("m0", into: "L1", "L404", at: F.monday(10)))) == "merged_lead_id")
        #expect(field(await F.refused(engine, Self.merge("u0", into: "L1", "L2", at: F.monday(10), kind: .unmerge))) == "merged_lead_id")
        _ = try await engine.apply(Self.merge("m1", into: "L3", "L2", at: F.monday(10)))
        #expect(field(await F.refused(engine, Self.merge("m2", into: "L1", "L2", at: F.monday(10, 5)))) == "merged_lead_id")
        #expect(try await store.leadMerges(involving: "L2", includeEnded: true).map(\.survivorID) == ["L3"])
        let m2 = try await store.event(id: "m2")
        let m0 = try await store.event(id: "m0")
        #expect(m2 == nil && m0 == nil)
        // A merge naming its own lead (or, through a merge, its survivor) is refused naming the field.
        #expect(field(await F.refused(engine, Self.merge("m9", into: "L1", "L1", at: F.monday(10)))) == "merged_lead_id")
        #expect(field(await F.refused(engine, Self.merge("m8", into: "L2", "L3", at: F.monday(10)))) == "merged_lead_id")
    }

    @Test func withMergingByEmailOffASecondFormFillIsItsOwnLead() async throws {
        let (engine, store) = try await F.engine(yaml: F.playbookYAML + "\nmerge: {by_email: false}\n")
        _ = try await engine.apply(F.created("a1", lead: "L1", at: F.monday(9), fields: Self.fields(email: "dana@northwind.example")))
        _ = try await engine.apply(F.created("a2", lead: "L2", at: F.monday(9, 5), fields: Self.fields(email: "DANA@northwind.example")))
        #expect(try await store.leadMerges(involving: "L2", includeEnded: true).isEmpty)
        #expect(try await store.leadTimeline(leadID: "L2")?.scores.count == 1)
    }
}

/// The merge rules by themselves: the e-mail key and the field policy.
@Suite struct MergeRuleTests {
    @Test func theEmailKeyIsOneMailbox() {
        #expect(EmailKey.of("  Dana.Smith+Webinar@NorthWind.Example ") == "dana.smith@northwind.example")
        #expect(EmailKey.of("d.a.n.a+x@googlemail.com") == EmailKey.of("dana@gmail.com"))
        #expect(EmailKey.of("d.ana@acme.example") != EmailKey.of("dana@acme.example"), "dots matter outside Gmail")
        for bad in [
            "", "dana", "@acme.example", "dana@", "dana@localhost", "da na@acme.example", String(repeating: "a", count: 320) + "@acme.example",
        ] {
            #expect(EmailKey.of(bad) == nil, "\(bad.prefix(20))")
        }
    }

    @Test func eachRulePicksItsValueAndBlanksNeverWin() {
        let early = Date(timeIntervalSince1970: 1_000)
        let late = Date(timeIntervalSince1970: 2_000)
        let survivor = MergePolicy.Side(fields: ["source": "webinar", "phone": "1", "title": "CTO", "city": ""], createdAt: late, updatedAt: late)
        let merged = MergePolicy.Side(fields: ["source": "ads", "phone": "2", "title": "  ", "city": "Berlin"], createdAt: early, updatedAt: early)
        let policy = MergePolicy(fields: .latestNonEmpty, fieldRules: ["source": .earliestNonEmpty])
        let result = policy.merge(survivor: survivor, merged: merged)
        // source: the earlier lead's; phone: the survivor's (updated later); title: a blank never wins; city: fills the gap.
        #expect(result.fields == ["source": "ads", "phone": "1", "title": "CTO", "city": "Berlin"])
        #expect(result.changes.map(\.field) == ["city", "source"] && result.changes.last?.before == "webinar")
        let newer = MergePolicy.Side(fields: ["phone": "2"], createdAt: early, updatedAt: Date(timeIntervalSince1970: 3_000))
        #expect(MergePolicy().merge(survivor: survivor, merged: newer).fields["phone"] == "2")
        #expect(MergePolicy(fields: .survivor).merge(survivor: survivor, merged: newer).fields["phone"] == "1")
    }

    @Test func thePlaybookSectionIsReadStrictly() throws {
        let yaml = EngineFixture.playbookYAML + "\nmerge:\n  fields: survivor\n  field_rules: {lead_source: earliest_non_empty}\n"
        let policy = try EngineFixture.playbook(yaml).requireFlow().merge
        #expect(policy.byEmail && policy.fields == .survivor && policy.fieldRules == ["lead_source": .earliestNonEmpty])
        let bad = EngineFixture.playbookYAML + "\nmerge:\n  fields: newest\n"
        #expect(throws: PlaybookError.self) { try EngineFixture.playbook(bad).requireFlow() }
    }
}
