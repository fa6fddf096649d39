import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffTestSupport
import TestSupport
import Testing

/// The hand-off package the engine builds at hand-off, and the one it rebuilds from the store.
@Suite struct PackageTests {
    typealias F = EngineFixture

    static let person = [
        "first_name": "Ada", "last_name": "Byron", "company": "Analytical Engines", "email": "ada@example.com",
        "pain_points": "Leads go cold; No intent data", "marketing_owner_name": "Grace Hopper",
        "marketing_owner_email": "grace@baton.example",
    ]

    @Test func theStoredPackageIsTheOneBuiltAtHandOff() async throws {
        let (engine, _) = try await F.engine()
        let fields = F.fitLead.merging(Self.person) { _, b in b }
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: fields))
        let webinar = InboundEvent(
            eventID: "e2", kind: .engagement, occurredAt: F.monday(9, 5), leadID: "L1",
            body: .engagement(.init(eventType: "webinar_attended", content: "Scaling hand-offs")))
        #expect(try await engine.apply(webinar).packages.isEmpty)  // still nurture: no hand-off, no package
        let demo = try await engine.apply(F.engagement("e3", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        #expect(demo.packages.count == 1)
        let live = try #require(demo.packages.first)
        // Independent facts: the deadline worked out in EngineFlowTests (11:10 Berlin = 10:10Z),
        // the content, the owner from the lead's fields, the rules of the approach.
        #expect(live.slaDeadline == "2026-03-02T10:10:00Z")
        #expect(live.qualification.stage == .sql && live.qualification.priority == .high && live.qualification.rule == "demo_with_budget")
        #expect(live.contentConsumed == ["Scaling hand-offs"])
        #expect(live.timeline.map(\.type) == ["webinar_attended", "demo_request"])
        #expect(live.prospect.name == "Ada Byron" && live.prospect.firmographics == ["company_size": "1000+", "budget_authority": "yes"])
        #expect(live.approach.contains("They asked for a demo: confirm a demo slot on the first call."))
        #expect(live.approach.last == "High priority: first touch before 2026-03-02T10:10:00Z.")
        #expect(live.emailDraft?.from == "Grace Hopper <grace@baton.example>")
        #expect(live.emailDraft?.to == "ada@example.com")
        // Issue 21 item 10: the draft introduces the rep the lead went to, by the playbook's name.
        let body = live.emailDraft?.body ?? ""
        #expect(body.contains("My colleague Ana works with") && body.contains("Ana will follow up") && !body.contains("{{rep_name}}"), "\(body)")

        let rebuilt = try #require(try await engine.package(leadID: "L1"))
        #expect(rebuilt.package == live)
        #expect(rebuilt.isComplete && rebuilt.gaps.isEmpty)
        let handoff = try #require(rebuilt.handoff)
        #expect(handoff.target == .rep("ana") && handoff.assignedAt == F.monday(9, 10) && handoff.isOpen)
        #expect(handoff.slaDeadline == F.monday(10, 10) && handoff.policy == "high")

        // Later events do not rewrite the hand-off's package: a new name, more engagement, a touch.
        let update = InboundEvent(
            eventID: "e4", kind: .leadUpdated, occurredAt: F.monday(9, 20), leadID: "L1",
            body: .lead(.init(fields: ["first_name": "Augusta", "email_opens": "9"])))
        _ = try await engine.apply(update)
        _ = try await engine.apply(F.engagement("e5", lead: "L1", at: F.monday(9, 25), type: "pricing_page_view"))
        _ = try await engine.apply(F.attempt("e6", lead: "L1", at: F.monday(9, 30), rep: "ana"))
        #expect(try await engine.package(leadID: "L1")?.package == live)
    }

    @Test func aLeadNeverHandedOffGetsWhatTheStoreHolds() async throws {
        let (engine, _) = try await F.engine()
        _ = try await engine.apply(F.created("n1", lead: "N1", at: F.monday(9), fields: F.fitLead.merging(Self.person) { _, b in b }))
        let stored = try #require(try await engine.package(leadID: "N1"))
        #expect(stored.handoff == nil && !stored.isComplete)
        #expect(stored.gaps.contains { $0.contains("never handed off") })
        let package = try #require(stored.package)
        #expect(package.qualification.stage == .nurture)
        #expect(package.slaDeadline == "none: not handed off")
        #expect(package.approach.first == "Not qualified yet: keep nurturing; no sales call needed.")
        #expect(package.emailDraft?.from == "Grace Hopper <grace@baton.example>")
        #expect(try await engine.package(leadID: "nobody") == nil)
    }

    @Test func extraWritesCommitWithTheEventOrNotAtAll() async throws {
        let (engine, store) = try await F.engine()
        func alert(_ id: String, lead: String) throws -> WriteOperation {
            .raiseAlert(
                AlertRecord(
                    id: id, kind: "crm-sync", leadID: lead, target: "crm", payload: try JSONText(validating: "{}"),
                    createdAt: F.monday(9)))
        }
        let ok = try alert("x1/crm-sync", lead: "X1")
        let seen = Seen()
        let applied = try await engine.apply(F.created("x1", lead: "X1", at: F.monday(9), fields: F.fitLead)) { effects in
            seen.set(effects.count)
            return [ok]
        }
        #expect(applied.status == .applied && seen.value == applied.effects.count)
        let all = ReportPeriod(start: .distantPast, end: .distantFuture)
        #expect(try await store.activity(in: all).alerts.map(\.id) == ["x1/crm-sync"])

        // A write the store refuses (router revision 42 was never saved) rolls the whole unit back:
        // neither the event nor the extra alert exists.
        let bad = try alert("x2/crm-sync", lead: "X2")
        await #expect(throws: EngineError.self) {
            _ = try await engine.apply(F.created("x2", lead: "X2", at: F.monday(9), fields: F.fitLead)) { _ in
                [bad, .saveRouterState(name: "other", state: .emptyObject, expectedRevision: 42, at: F.monday(9))]
            }
        }
        #expect(try await store.lead(id: "X2") == nil)
        #expect(try await store.activity(in: all).alerts.map(\.id) == ["x1/crm-sync"])
        // A retried event is a duplicate: its extra writes are not asked for again.
        let again = try await engine.apply(F.created("x1", lead: "X1", at: F.monday(9), fields: F.fitLead)) { _ in
            Issue.record("extra asked for a duplicate")
            return []
        }
        #expect(again.status == .duplicate)
    }
}

/// A value set from a `@Sendable` closure.
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = -1
    var value: Int { lock.withLock { stored } }
    func set(_ v: Int) { lock.withLock { stored = v } }
}
