import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffTestSupport
import TestSupport
import Testing

/// The JSON the engine stores (written by ``SortedJSONEncoder``) is byte for byte what
/// Foundation's `JSONEncoder` wrote before it, for the engine's own records: a store written by
/// an earlier Baton keeps comparing equal (a redelivered event is still a duplicate of its
/// journal row, which is compared as text).
@Suite struct StoredJSONTests {
    typealias F = EngineFixture

    private static func reference<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Each stored text, decoded into its type and encoded again by `JSONEncoder`, is the text stored.
    @Test func theEngineStoresWhatJSONEncoderWouldHaveWritten() async throws {
        let (engine, store) = try await F.engine()
        var events: [InboundEvent] = []
        for (index, lead) in ["L1", "L2", "L3"].enumerated() {
            var fields = F.fitLead
            fields["note"] = "Line one\nquote \" back\\slash / tab\t é 😀 \u{1}"
            fields["email_opens"] = String(index * 4)
            events.append(F.created("\(lead)-c", lead: lead, at: F.monday(9, index), fields: fields))
            events.append(F.engagement("\(lead)-e", lead: lead, at: F.monday(9, 10 + index), type: "webinar_attended"))
        }
        events.append(F.attempt("L1-a", lead: "L1", at: F.monday(9, 30), rep: "ana"))
        events.append(F.disposition("L1-d", lead: "L1", at: F.monday(9, 40), rep: "ana", code: "bad_timing"))
        for event in events { _ = try await engine.apply(event) }

        var compared = 0
        for lead in ["L1", "L2", "L3"] {
            let timeline = try #require(try await store.leadTimeline(leadID: lead))
            #expect(timeline.lead.fields.text == (try Self.reference(timeline.lead.fields.decode([String: String].self))))
            for event in timeline.events {
                let decoded = try event.payload.decode(InboundEvent.self)
                #expect(event.payload.text == (try Self.reference(decoded)), "\(event.id)")
                compared += 1
            }
            for score in timeline.scores {
                #expect(score.reasons.text == (try Self.reference(score.reasons.decode([ReasonCode].self))))
                compared += 1
            }
            for decision in timeline.decisions {
                #expect(decision.evidence.text == (try Self.reference(decision.evidence.decode(QualificationDecision.self))))
                compared += 1
            }
        }
        #expect(compared >= events.count + 6)
        // Redelivered, each event is a duplicate of its stored row (compared as JSON text).
        for event in events { #expect(try await engine.apply(event).status == .duplicate, "\(event.eventID)") }
    }

    /// Every event of the bundled demo log encodes as `JSONEncoder` encodes it.
    @Test func theDemoEventsEncodeAsJSONEncoderEncodesThem() throws {
        let log = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Datasets/demo_events.jsonl")
        let entries = try EventLog.read(url: log)
        #expect(entries.count > 1000)
        for entry in entries {
            let event = try entry.event.get()
            let fast = try #require(SortedJSONEncoder.encode(event), "line \(entry.line)")
            #expect(String(decoding: fast, as: UTF8.self) == (try Self.reference(event)), "line \(entry.line)")
        }
    }
}
