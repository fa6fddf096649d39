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
        // Read later, the package adds the score at hand-off and the latest one; no rescoring yet,
        // so both are the hand-off's score. Apart from them it is the live package.
        let atHandoff = try #require(rebuilt.package?.scoreAtHandoff)
        #expect(atHandoff.points == live.score.points && atHandoff.probability == live.score.probability)
        #expect(atHandoff.scoredAt == "2026-03-02T09:10:00Z" && atHandoff.modelChecksum == live.score.modelChecksum)
        #expect(rebuilt.package?.scoreNow == atHandoff)
        #expect(Self.withoutReadTimeParts(rebuilt.package) == live)
        #expect(rebuilt.isComplete && rebuilt.gaps.isEmpty)
        // Read back, it names the lead's account (its e-mail domain's), with no other contact yet.
        let account = try #require(rebuilt.package?.account)
        #expect(account.accountID == "domain:example.com" && account.name == "Analytical Engines" && account.contacts == 1 && account.others.isEmpty)
        // Its buying group is the lead alone: the group's chance is the lead's own, one engaged contact.
        let group = try #require(account.buyingGroup)
        #expect(abs(group.probability - live.score.probability) < 1e-15 && group.highestLeadID == "L1")
        #expect(group.scoredContacts == 1 && group.engagedContacts == 1)
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
        let later = try #require(try await engine.package(leadID: "L1")?.package)
        #expect(Self.withoutReadTimeParts(later) == live)
        // The score now moved: six more e-mail opens at β 0.05 each are 0.3 log-odds, 0.3 · 20/ln 2
        // points on the fixture's PDO 20 scale; the pricing page view feeds no model term.
        #expect(later.scoreAtHandoff == atHandoff)
        let now = try #require(later.scoreNow)
        #expect(now.scoredAt == "2026-03-02T09:25:00Z" || now.scoredAt == "2026-03-02T09:30:00Z", "\(now.scoredAt)")
        #expect(abs(now.points - atHandoff.points - 0.3 * 20 / log(2)) < 1e-9, "\(now.points) vs \(atHandoff.points)")
        #expect(now.probability > atHandoff.probability)
        let markdown = later.markdown()
        let lines = markdown.split(separator: "\n").map(String.init)
        let thenLine = lines.first { $0.hasPrefix("- At hand-off (2026-03-02T09:10:00Z): ") }
        let nowLine = lines.first { $0.hasPrefix("- Now (\(now.scoredAt)): ") }
        #expect(thenLine?.hasSuffix(" % chance to close") == true, "\(markdown)")
        #expect(nowLine?.hasSuffix(" % chance to close (+9 points since the hand-off)") == true, "\(markdown)")
    }

    /// The package without the two score moments only a rebuilt package carries.
    /// The package without what is read at read time: the score moments and the account as it is now.
    static func withoutReadTimeParts(_ package: HandoffPackage?) -> HandoffPackage? {
        var copy = package
        copy?.scoreAtHandoff = nil
        copy?.scoreNow = nil
        copy?.account = nil
        return copy
    }

    /// A lead never handed off shows only its latest score; the lead fields naming the marketing
    /// owner are the ones the formats reference documents.
    @Test func aPackageWithoutHandOffShowsOnlyTheScoreNow() async throws {
        let (engine, _) = try await F.engine()
        _ = try await engine.apply(F.created("n1", lead: "N1", at: F.monday(9), fields: F.fitLead.merging(Self.person) { _, b in b }))
        let package = try #require(try await engine.package(leadID: "N1")?.package)
        #expect(package.scoreAtHandoff == nil)
        let now = try #require(package.scoreNow)
        #expect(now.points == package.score.points && now.scoredAt == "2026-03-02T09:00:00Z")
        #expect(!package.markdown().contains("At hand-off") && package.markdown().contains("- Now (2026-03-02T09:00:00Z): "))
        let documented = Set(try FormatsReference().names("Lead fields the package reads"))
        #expect(OwnerFields.all.isSubset(of: documented), "\(OwnerFields.all.subtracting(documented)) missing from \(FormatsReference.relativePath)")
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
