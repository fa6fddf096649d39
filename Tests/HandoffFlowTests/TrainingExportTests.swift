import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import ScoringModelFormat
import Testing

/// The training export's point in time (issue 15): a row holds what the store held when the lead
/// was scored for hand-off, and nothing stored after that.
@Suite struct TrainingExportTests {
    typealias F = EngineFixture

    static func updated(_ id: String, lead: String, at: Date, fields: [String: String]) -> InboundEvent {
        InboundEvent(eventID: id, kind: .leadUpdated, occurredAt: at, leadID: lead, body: .lead(.init(fields: fields)))
    }

    /// L1: created without budget authority, one e-mail open, budget authority granted, then a demo
    /// request hands it off at 09:10 (SQL). After the hand-off: another open, a late open dated
    /// 09:08 (stored after the hand-off), a field change and a second demo request, then an
    /// opportunity won on 2026-03-20. L2: created at 09:30 and never handed off (nurture), with an
    /// open at 09:45.
    static func filledStore() async throws -> (SQLiteHandoffStore, handoffPoints: Double) {
        let (engine, store) = try await F.engine()
        var fields = F.fitLead
        fields["budget_authority"] = "no"
        _ = try await engine.apply(F.created("c1", lead: "L1", at: F.monday(9), fields: fields))
        _ = try await engine.apply(F.engagement("o1", lead: "L1", at: F.monday(9, 5), type: "email_open"))
        _ = try await engine.apply(Self.updated("u1", lead: "L1", at: F.monday(9, 7), fields: ["budget_authority": "yes"]))
        let demo = try await engine.apply(F.engagement("d1", lead: "L1", at: F.monday(9, 10), type: "demo_request"))
        guard case let .qualified(.sql, _, _, points)? = demo.effects.first?.kind,
            demo.effects.contains(where: { if case .handedOff = $0.kind { true } else { false } })
        else {
            Issue.record("the demo request did not hand L1 off: \(demo.effects)")
            return (store, 0)
        }
        // After the hand-off.
        _ = try await engine.apply(F.engagement("o2", lead: "L1", at: F.monday(9, 20), type: "email_open"))
        _ = try await engine.apply(F.engagement("o-late", lead: "L1", at: F.monday(9, 8), type: "email_open"))
        _ = try await engine.apply(Self.updated("u2", lead: "L1", at: F.monday(9, 30), fields: ["company_size": "1-10"]))
        _ = try await engine.apply(F.engagement("d2", lead: "L1", at: F.monday(9, 40), type: "demo_request"))
        _ = try await engine.apply(
            InboundEvent(
                eventID: "op1", kind: .opportunity, occurredAt: F.monday(11), leadID: "L1",
                body: .opportunity(.init(opportunityID: "OPP-1", amount: 12_000, currency: "EUR", stage: "proposal"))))
        _ = try await engine.apply(
            InboundEvent(
                eventID: "w1", kind: .won, occurredAt: F.utc(2026, 3, 20, 12, 0), leadID: "L1",
                body: .outcome(.init(opportunityID: "OPP-1", amount: 12_000, closeDate: F.utc(2026, 3, 20, 12, 0)))))
        var nurture = F.fitLead
        nurture["budget_authority"] = "no"
        _ = try await engine.apply(F.created("c2", lead: "L2", at: F.monday(9, 30), fields: nurture))
        _ = try await engine.apply(F.engagement("o3", lead: "L2", at: F.monday(9, 45), type: "email_open"))
        return (store, points)
    }

    @Test func aRowHoldsWhatTheScorerSawAtHandOffAndNothingLater() async throws {
        let (store, points) = try await Self.filledStore()
        let asOf = F.utc(2026, 4, 1, 0, 0)
        let rows = TrainingRow.rows(from: try await store.leadHistories(createdBefore: asOf), asOf: asOf, features: F.spec.features)
        #expect(rows.map(\.leadID) == ["L1", "L2"])
        let l1 = rows[0]
        #expect(l1.handedOff && l1.scoredAt == F.monday(9, 10) && l1.scorePoints == points)
        // One open before the hand-off (3 in the fields + 1), one demo request, budget granted
        // before it; the later opens (the late one too), the size change and the second demo are not there.
        #expect(l1.values == ["company_size": "1000+", "budget_authority": "yes", "demo_requests": "1", "email_opens": "4"])
        #expect(l1.outcome == .won && l1.closedAt == F.utc(2026, 3, 20, 12, 0))
        // Never handed off: its latest score (the open at 09:45, counted), outcome open.
        let l2 = rows[1]
        #expect(!l2.handedOff && l2.scoredAt == F.monday(9, 45) && l2.outcome == .open && l2.closedAt == nil)
        #expect(l2.values["email_opens"] == "4" && l2.values["budget_authority"] == "no")

        // As of a day before the win closed, L1 is still open; as of a day before the hand-off
        // score... the lead was created that day, so it is not there at all.
        let early = F.utc(2026, 3, 10, 0, 0)
        let before = TrainingRow.rows(from: try await store.leadHistories(createdBefore: early), asOf: early, features: F.spec.features)
        #expect(before.first?.outcome == .open && before.first?.handedOff == true)
    }

    @Test func exportCountsOpenLeadsApartAndWritesTheCSV() async throws {
        let (store, _) = try await Self.filledStore()
        let asOf = F.utc(2026, 7, 1, 0, 0)
        let export = try TrainingExport.build(
            histories: try await store.leadHistories(createdBefore: asOf), asOf: asOf, features: F.spec.features,
            outcomeWindowDays: 90, firstLead: nil, specFile: "spec.yaml")
        #expect(export.won == 1 && export.lost == 0 && export.openPastWindow == 1 && export.openMaturing == 0 && export.handedOff == 1)
        let lines = export.csv().split(separator: "\n").map(String.init)
        #expect(
            lines[0]
                == "lead_id,created_at,scored_at,handed_off,score_model,score_points,score_probability,outcome,won,closed_at,closed_by,company_size,budget_authority,demo_requests,email_opens"
        )
        #expect(lines[1].hasPrefix("L1,2026-03-02T09:00:00Z,2026-03-02T09:10:00Z,1,"))
        #expect(lines[1].hasSuffix(",won,1,2026-03-20T12:00:00Z,won,1000+,yes,1,4"))
        // Open: `won` is empty, so a fit refuses the row instead of reading it as lost.
        #expect(lines[2].hasPrefix("L2,") && lines[2].hasSuffix(",open,,,,1000+,no,0,4"))
        // With a 125-day window (2026-03-02 + 125 days is past 2026-07-01) the open lead is still maturing.
        let longer = try TrainingExport.build(
            histories: try await store.leadHistories(createdBefore: asOf), asOf: asOf, features: F.spec.features,
            outcomeWindowDays: 125, firstLead: nil, specFile: "spec.yaml")
        #expect(longer.openPastWindow == 0 && longer.openMaturing == 1)
        // Under the names another spec reads (recalibrate --db): time, id and outcome renamed, its labels.
        let renamed = export.csv(renaming: ["created_at": "created", "won": "converted", "lead_id": "id"], labels: ("yes", "0"))
            .split(separator: "\n").map(String.init)
        #expect(renamed[0].hasPrefix("id,created,scored_at,handed_off,score_model,score_points,score_probability,outcome,converted,closed_at,"))
        #expect(renamed[1].contains(",won,yes,2026-03-20T12:00:00Z,") && renamed[2].contains(",open,,,"))
        let spec = export.spec(from: F.spec)
        #expect(spec.outcome == OutcomeSpec(column: "won", positive: ["1"]) && spec.time == "created_at" && spec.id == "lead_id")
    }

    /// Sales closing a lead by a disposition: disqualified (no re-engage date) is lost, recycled
    /// to nurture (a re-engage date) stays open.
    @Test func dispositionsCloseOrRecycleTheLead() async throws {
        let (engine, store) = try await F.engine()
        var ready = F.fitLead
        ready["demo_requests"] = "1"
        for (lead, code) in [("L3", "wrong_fit"), ("L4", "bad_timing")] {
            _ = try await engine.apply(F.created("c-\(lead)", lead: lead, at: F.monday(9), fields: ready))
            _ = try await engine.apply(F.disposition("p-\(lead)", lead: lead, at: F.monday(10), rep: "ana", code: code))
        }
        let asOf = F.utc(2026, 4, 1, 0, 0)
        let rows = TrainingRow.rows(from: try await store.leadHistories(createdBefore: asOf), asOf: asOf, features: F.spec.features)
        #expect(rows.map(\.handedOff) == [true, true])
        #expect(rows[0].outcome == .lost && rows[0].closedAt == F.monday(10) && rows[0].closedBy == "disposition: wrong_fit")
        #expect(rows[1].outcome == .open && rows[1].closedAt == nil && rows[1].closedBy.isEmpty)
        // As of before the disposition, both are open.
        let before = TrainingRow.rows(from: try await store.leadHistories(createdBefore: asOf), asOf: F.monday(9, 30), features: F.spec.features)
        #expect(before.map(\.outcome) == [.open, .open])
    }

    @Test func badInputSaysWhatToChange() async throws {
        let (store, _) = try await Self.filledStore()
        let asOf = F.utc(2026, 4, 1, 0, 0)
        let histories = try await store.leadHistories(createdBefore: asOf)
        // An as-of before the first lead.
        let early = F.utc(2026, 1, 1, 0, 0)
        #expect(throws: TrainingExportError.asOfBeforeFirstLead(asOf: early, firstLead: F.monday(9))) {
            try TrainingExport.build(
                histories: [], asOf: early, features: F.spec.features, outcomeWindowDays: 90, firstLead: F.monday(9), specFile: "s.yaml")
        }
        let message = TrainingExportError.asOfBeforeFirstLead(asOf: early, firstLead: F.monday(9)).description
        #expect(message == "--as-of 2026-01-01 is before the store's first lead (created 2026-03-02T09:00:00Z): pass a later --as-of")
        // A spec feature the leads never carried, with the nearest field named.
        let features = F.spec.features + [FeatureSpec(column: "emial_opens", type: .numeric), FeatureSpec(column: "webinar_minutes", type: .numeric)]
        do {
            _ = try TrainingExport.build(
                histories: histories, asOf: asOf, features: features, outcomeWindowDays: 90, firstLead: nil, specFile: "s.yaml")
            Issue.record("no error")
        } catch {
            guard case let .featuresNeverCarried(columns, carried, _, leads) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(columns == ["emial_opens", "webinar_minutes"] && leads == 2)
            #expect(carried == ["budget_authority", "company_size", "demo_requests", "email_opens", "region"])
            #expect(error.description.contains("emial_opens → email_opens?") && error.description.contains("remove them from the spec"))
        }
        // A feature named like one of the export's own columns.
        #expect(throws: TrainingExportError.columnClash(column: "outcome", spec: "s.yaml")) {
            try TrainingExport.build(
                histories: histories, asOf: asOf, features: [FeatureSpec(column: "outcome", type: .categorical)],
                outcomeWindowDays: 90, firstLead: nil, specFile: "s.yaml")
        }
    }
}
