import Conversations
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import ScoringModelFormat
import TestSupport
import Testing

/// Issue 18: tracker counts as engagement features. A captured interaction that mentions a
/// tracker becomes one `<tracker>_mention` engagement at the interaction's time; a model column
/// `competitor_mentions` counts them like any engagement (point in time, once per interaction).
@Suite struct TrackerMentionTests {
    typealias F = EngineFixture
    /// β of `competitor_mentions` (no transform): each mentioning interaction adds exactly this to the logit.
    static let mentionWeight = 0.8

    static func weights() -> WeightFile {
        var spec = F.spec
        spec.features.append(FeatureSpec(column: "competitor_mentions", type: .numeric, missing: .zero, group: .engagement))
        let encodings = F.encodings + [FeatureEncoding(column: "competitor_mentions", type: .numeric, group: .engagement, missing: .zero)]
        let base = F.weights()
        return WeightFile(
            terms: FeatureEncoding.terms(of: encodings), estimates: F.estimates + [mentionWeight], standardErrors: nil, encodings: encodings,
            spec: spec, training: base.training, metrics: base.metrics)
    }

    static let trackers = """

        trackers:
          competitors:
            category: competitor
            phrases: [Globex, Acme CRM]
          pricing:
            phrases: [price]
        """

    static func engine() async throws -> (HandoffEngine, SQLiteHandoffStore, ConversationCapture) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-mentions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteHandoffStore(path: dir.appendingPathComponent("store.sqlite").path)
        let playbook = try F.playbook(F.playbookYAML + trackers)
        let engine = try HandoffEngine(store: store, playbook: playbook, scorer: try LeadScorer(weights: weights()), knownFields: ["region"])
        try await engine.prepare(at: F.utc(2026, 3, 1, 0, 0))
        let capture = ConversationCapture(store: store, trackers: playbook.trackers, reps: try playbook.requireFlow().roster.reps)
        return (engine, store, capture)
    }

    static func call(_ text: String, at: Date?) throws -> CapturedInteraction {
        var interaction = try SpeakerLines.parse(text, source: "call.txt", kind: .call)
        interaction.occurredAt = at?.timeIntervalSince1970
        return interaction
    }

    static func logit(_ p: Double) -> Double { log(p / (1 - p)) }

    /// Captures, then applies the mention events as the route and the import do.
    static func captureAndApply(
        _ interaction: CapturedInteraction, engine: HandoffEngine, capture: ConversationCapture, at now: Date
    ) async throws -> [ApplyResult] {
        _ = try await capture.capture(interaction, leadID: "L1", source: "call.txt", at: now)
        var results: [ApplyResult] = []
        for event in try await capture.mentionEvents(interaction, leadID: "L1", source: "call.txt", recordedAt: now) {
            results.append(try await engine.apply(event))
        }
        return results
    }

    @Test func eachInteractionMentioningACompetitorAddsItsWeightOnce() async throws {
        let (engine, store, capture) = try await Self.engine()
        // Not a fit lead (small, no budget): it stays below MQL, so nothing else changes its score.
        let fields = [
            "company_size": "1-10", "budget_authority": "no", "demo_requests": "0", "email_opens": "0", "competitor_mentions": "0", "region": "emea",
        ]
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: fields))
        let first = try await Self.captureAndApply(
            try Self.call("Dana: We looked at Globex. Globex again, and Acme CRM.\nAna: And the price?", at: F.monday(10)),
            engine: engine, capture: capture, at: F.monday(12))
        // One event per tracker mentioned, however often: competitors (three hits) and pricing.
        #expect(first.map(\.status) == [.applied, .applied])
        let timeline = try #require(try await store.leadTimeline(leadID: "L1"))
        #expect(timeline.events.map(\.type) == ["lead_created", "competitors_mention", "pricing_mention"])
        let mention = try #require(timeline.events.first { $0.type == "competitors_mention" })
        #expect(mention.occurredAt == F.monday(10) && mention.id.hasPrefix("mention-") && mention.id.count == 40)
        let scores = timeline.scores.map(\.probability)
        try #require(scores.count == 3)
        #expect(abs(Self.logit(scores[1]) - Self.logit(scores[0]) - Self.mentionWeight) < 1e-9, "one interaction, one count")
        #expect(abs(Self.logit(scores[2]) - Self.logit(scores[1])) < 1e-9, "pricing feeds no column")

        // The same call again (another file, same content): nothing applied twice.
        let again = try await Self.captureAndApply(
            try Self.call("Dana: We looked at Globex. Globex again, and Acme CRM.\nAna: And the price?", at: F.monday(10)),
            engine: engine, capture: capture, at: F.monday(13))
        #expect(again.map(\.status) == [.duplicate, .duplicate])
        // A second call naming a competitor: the count is 2.
        _ = try await Self.captureAndApply(
            try Self.call("Dana: Acme CRM called us.", at: F.monday(14)), engine: engine, capture: capture, at: F.monday(14))
        let latest = try #require(try await store.leadTimeline(leadID: "L1")?.scores.last?.probability)
        #expect(abs(Self.logit(latest) - Self.logit(scores[0]) - 2 * Self.mentionWeight) < 1e-9)
    }

    @Test func anInteractionWithoutATimeCountsFromWhenItWasFirstStored() async throws {
        let (engine, store, capture) = try await Self.engine()
        let fields = [
            "company_size": "1-10", "budget_authority": "no", "demo_requests": "0", "email_opens": "0", "competitor_mentions": "0", "region": "emea",
        ]
        _ = try await engine.apply(F.created("e1", lead: "L1", at: F.monday(9), fields: fields))
        let note = try SpeakerLines.parse("They are also talking to Globex.", source: "note.txt", kind: .note, author: "ana")
        #expect(note.occurredAt == nil)
        #expect(try await Self.captureAndApply(note, engine: engine, capture: capture, at: F.monday(11)).map(\.status) == [.applied])
        // Captured again later: the same event (its time read back from the store), so a duplicate, not a conflict.
        #expect(try await Self.captureAndApply(note, engine: engine, capture: capture, at: F.monday(15)).map(\.status) == [.duplicate])
        let mention = try #require(try await store.leadTimeline(leadID: "L1")?.events.first { $0.type == "competitors_mention" })
        #expect(mention.occurredAt == F.monday(11))
    }

    @Test func theMentionEventsAreAPureFunctionOfLeadContentAndTracker() throws {
        let record = InteractionRecord(
            leadID: "L1", kind: "call", occurredAt: F.monday(10), recordedAt: F.monday(12), source: "a.vtt", subject: nil,
            contentSHA256: String(repeating: "a", count: 64), content: .emptyObject)
        func hit(_ tracker: String, _ phrase: String) -> TrackerHitRecord {
            TrackerHitRecord(
                leadID: "L1", tracker: tracker, category: tracker, phrase: phrase, quote: "…", speaker: nil, startMilliseconds: nil, line: 1)
        }
        let events = TrackerMentions.events(record, hits: [hit("pricing", "price"), hit("competitors", "Globex"), hit("competitors", "Globex")])
        #expect(events.map(\.kind) == [.engagement, .engagement])
        #expect(events.map { if case .engagement(let e) = $0.body { e.eventType } else { "" } } == ["competitors_mention", "pricing_mention"])
        #expect(events.first.map { if case .engagement(let e) = $0.body { e.content ?? "" } else { "" } } == "call: Globex")
        var other = record
        other.leadID = "L2"
        #expect(TrackerMentions.events(other, hits: [hit("competitors", "Globex")]).first?.eventID != events.first?.eventID, "ids differ per lead")
        #expect(TrackerMentions.events(record, hits: [hit("competitors", "Acme")]).first?.eventID == events.first?.eventID, "and not per phrase")
    }
}
