import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import Testing

/// An integration's lead events (HubSpot property changes) bring a lead a few fields at a time:
/// the lead is stored, merged, and scored only once the model's fields are all known.
@Suite struct IncompleteLeadTests {
    typealias F = EngineFixture

    static func integration(
        _ id: String, _ kind: InboundEvent.Kind = .leadUpdated, lead: String, at: Date, _ fields: [String: String]
    )
        -> InboundEvent
    {
        InboundEvent(eventID: id, kind: kind, occurredAt: at, leadID: lead, body: .lead(.init(fields: fields, integration: "hubspot")))
    }

    @Test func aLeadBuiltPropertyByPropertyIsScoredQualifiedAndRoutedOnceComplete() async throws {
        let (engine, store) = try await F.engine()
        let first = try await engine.apply(Self.integration("h1", .leadCreated, lead: "L1", at: F.monday(9), ["company_size": "1000+"]))
        #expect(first.status == .applied && first.effects.isEmpty)
        #expect(first.missingFields == ["budget_authority", "demo_requests", "email_opens"])
        var timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.scores.isEmpty && timeline.decisions.isEmpty && timeline.assignments.isEmpty)
        #expect(engine.missingFields(of: timeline) == ["budget_authority", "demo_requests", "email_opens"])

        // Fields merge; a Baton engagement on the incomplete lead is stored and feeds demo_requests.
        let second = try await engine.apply(Self.integration("h2", lead: "L1", at: F.monday(9, 1), ["budget_authority": "yes"]))
        #expect(second.missingFields == ["demo_requests", "email_opens"] && second.effects.isEmpty)
        let demo = try await engine.apply(F.engagement("e3", lead: "L1", at: F.monday(9, 2), type: "demo_request"))
        #expect(demo.missingFields == ["email_opens"] && demo.effects.isEmpty)
        let package = try #require(try await engine.package(leadID: "L1"))
        #expect(package.gaps.contains { $0.contains("the lead is incomplete: it lacks email_opens") })

        // The last field: scored (demo + budget → SQL, high), routed to the EMEA rep, SLA started.
        let last = try await engine.apply(Self.integration("h4", lead: "L1", at: F.monday(9, 10), ["email_opens": "3", "region": "emea"]))
        #expect(last.missingFields.isEmpty)
        let kinds = last.effects.map(\.kind)
        guard case let .qualified(stage, priority, rule, _)? = kinds.first else {
            Issue.record("not qualified: \(kinds)")
            return
        }
        #expect(stage == .sql && priority == .high && rule == "demo_with_budget")
        #expect(kinds.dropFirst().first == .handedOff(repID: "ana", priority: .high, deadline: F.monday(10, 10)))
        timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.scores.count == 1 && timeline.assignments.count == 1)
        let fields = try timeline.lead.fields.decode([String: String].self)
        #expect(fields == ["company_size": "1000+", "budget_authority": "yes", "email_opens": "3", "region": "emea"])
        #expect(engine.missingFields(of: timeline).isEmpty)

        // A retried delivery is a duplicate and changes nothing.
        let again = try await engine.apply(Self.integration("h2", lead: "L1", at: F.monday(9, 1), ["budget_authority": "yes"]))
        #expect(again.status == .duplicate)
    }

    @Test func batonsOwnLeadCreatedStillNeedsTheModelsFields() async throws {
        let (engine, store) = try await F.engine()
        await #expect(throws: EngineError.missingFields(eventID: "e1", leadID: "L2", fields: ["budget_authority", "demo_requests", "email_opens"])) {
            _ = try await engine.apply(F.created("e1", lead: "L2", at: F.monday(9), fields: ["company_size": "1-10"]))
        }
        #expect(try await store.lead(id: "L2") == nil)
        // Baton's own lead_updated on an unknown lead is still refused; an integration's creates it.
        await #expect(throws: EngineError.self) {
            _ = try await engine.apply(
                InboundEvent(eventID: "e2", kind: .leadUpdated, occurredAt: F.monday(9), leadID: "L3", body: .lead(.init(fields: [:]))))
        }
        let created = try await engine.apply(Self.integration("h3", lead: "L3", at: F.monday(9), ["company_size": "1-10"]))
        #expect(created.status == .applied && created.missingFields.count == 3)
        // A second integration lead_created for a stored lead merges instead of being refused.
        let merged = try await engine.apply(Self.integration("h4", .leadCreated, lead: "L3", at: F.monday(9, 5), ["budget_authority": "no"]))
        #expect(merged.status == .applied && merged.missingFields == ["demo_requests", "email_opens"])
    }

    @Test func aLateDeliveryDoesNotOverwriteWhatALaterEventSet() async throws {
        let (engine, store) = try await F.engine()
        _ = try await engine.apply(Self.integration("h1", lead: "L4", at: F.monday(9, 30), ["company_size": "1000+"]))
        _ = try await engine.apply(Self.integration("h2", lead: "L4", at: F.monday(9, 40), ["budget_authority": "yes"]))
        // Delivered last, happened first (even before the lead's first stored event): its
        // company_size is older than the stored one and is dropped; its email_opens is new and kept.
        let late = try await engine.apply(
            Self.integration("h0", .leadCreated, lead: "L4", at: F.monday(9), ["company_size": "1-10", "email_opens": "2", "demo_requests": "0"]))
        #expect(late.status == .applied && late.missingFields.isEmpty)
        let timeline = try #require(try await store.leadTimeline(leadID: "L4"))
        let fields = try timeline.lead.fields.decode([String: String].self)
        #expect(fields == ["company_size": "1000+", "budget_authority": "yes", "email_opens": "2", "demo_requests": "0"])
        // Scored at the lead's latest instant.
        #expect(timeline.scores.map(\.scoredAt) == [F.monday(9, 40)])
    }
}
