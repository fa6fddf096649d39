import BatonSupport
import Conversations
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import Hummingbird

/// `POST /leads/{id}/interactions`: capture an e-mail, call or meeting transcript, chat or note
/// for a lead, the HTTP door to what `baton conversations import` does.
///
/// Body: `kind` (`email`, `call`, `meeting`, `chat`, `note`) and exactly one of `text` (plain:
/// `Speaker: text` lines for a call, meeting or chat, paragraphs for a note) or `raw` (the source
/// as it was: an RFC 5322 message for `email`, which needs it; a WebVTT file for a call or
/// meeting); optional `occurred_at` (RFC 3339; when the source gives no time), `author` (a note's
/// writer) and `source` (a label, default `api`). Answers 201 `{interaction_id, lead_id, status:
/// stored, tracker_hits, mention_events, warnings}`, 200 `{status: duplicate}` when the lead already has this
/// content, 400 naming the field, 404 for an unknown lead, 422 for content that cannot be read
/// (with its line and column). `mention_events` lists the tracker-mention engagements the capture
/// applied through the flow (``TrackerMentions``: `{event_id, event_type, status}`, status
/// `applied`, `duplicate` or `refused` with `problem`), on a duplicate capture too.
extension HandoffService {
    /// The most text one interaction may carry, in characters (the service's body limit applies first).
    static let interactionTextLimit = 4 << 20

    func addInteractionRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.post("/leads/{id}/interactions") { request, context in
            let principal = try context.require(.ingest, .marketing, .sales, .salesManager)
            let id = try context.pathIdentifier("id")
            let body = try await request.bodyBytes(limit: context.bodyLimit)
            let parsed = try Self.interactionRequest(body)
            let capture = await self.conversationCapture()
            var interaction: CapturedInteraction
            let source = parsed.source ?? "api"
            do throws(ConversationError) {
                interaction = try Self.read(parsed, author: parsed.author ?? (parsed.kind == .note ? principal.name : nil), source: source)
            } catch {
                throw APIError(
                    .unprocessableContent, code: "unreadable_content", message: error.description, field: parsed.raw == nil ? "text" : "raw")
            }
            if interaction.occurredAt == nil, let at = parsed.occurredAt { interaction.occurredAt = at.timeIntervalSince1970 }
            if interaction.utterances.isEmpty {
                throw APIError(
                    .unprocessableContent, code: "unreadable_content", message: "\(source): holds no text to capture",
                    field: parsed.raw == nil ? "text" : "raw")
            }
            guard try await self.store.lead(id: id) != nil else {
                throw APIError.notFound("lead '\(id)' is not stored; send its lead_created event first")
            }
            let now = self.now()
            let stored: ConversationCapture.Outcome
            let mentions: [InboundEvent]
            do throws(CaptureError) {
                (stored, mentions) = try await capture.captureWithMentions(interaction, leadID: id, source: source, at: now)
            } catch {
                if case .store(let storeError) = error { throw storeError }
                throw APIError(.unprocessableContent, code: "refused", message: error.description)
            }
            // The interaction is stored; its tracker mentions go through the flow as engagements
            // (journaled, rescoring the lead). One the flow refuses is reported, not fatal.
            var applied: [MentionApplied] = []
            for event in mentions {
                guard case .engagement(let engagement) = event.body else { continue }
                do throws(EngineError) {
                    let result = try await self.applyRetryingRaces(event)
                    applied.append(
                        MentionApplied(eventID: event.eventID, eventType: engagement.eventType, status: result.status.rawValue, problem: nil))
                } catch {
                    if Self.isTransient(error) {
                        throw APIError.storeUnavailable("the interaction is stored; its tracker mentions were not applied: send it again")
                    }
                    self.logger.warning("tracker mention \(event.eventID) of lead '\(id)' refused: \(error.description)")
                    applied.append(
                        MentionApplied(eventID: event.eventID, eventType: engagement.eventType, status: "refused", problem: error.description))
                }
            }
            switch stored {
            case .stored(let interactionID, let hits):
                return JSONResponse.make(
                    CaptureResponse(
                        interactionID: interactionID, leadID: id, status: "stored", trackerHits: hits, mentionEvents: applied,
                        warnings: interaction.warnings),
                    status: .created)
            case .duplicate:
                return JSONResponse.make(
                    CaptureResponse(
                        interactionID: nil, leadID: id, status: "duplicate", trackerHits: 0, mentionEvents: applied, warnings: interaction.warnings))
            }
        }
    }

    /// One tracker mention applied as an engagement (``TrackerMentions``).
    struct MentionApplied: Encodable, Sendable {
        let eventID: String
        let eventType: String
        /// `applied`, `duplicate` (sent before) or `refused` (with the flow's reason).
        let status: String
        let problem: String?

        enum CodingKeys: String, CodingKey {
            case status, problem
            case eventID = "event_id"
            case eventType = "event_type"
        }
    }

    struct CaptureResponse: Encodable, Sendable {
        @Nullable var interactionID: Int64?
        let leadID: String
        let status: String
        let trackerHits: Int
        let mentionEvents: [MentionApplied]
        let warnings: [String]

        enum CodingKeys: String, CodingKey {
            case status, warnings
            case mentionEvents = "mention_events"
            case interactionID = "interaction_id"
            case leadID = "lead_id"
            case trackerHits = "tracker_hits"
        }
    }

    struct InteractionRequest: Sendable {
        var kind: InteractionKind
        var text: String?
        var raw: String?
        var occurredAt: Date?
        var author: String?
        var source: String?
    }

    /// The request's fields, each checked, naming the field at fault.
    static func interactionRequest(_ body: Data) throws -> InteractionRequest {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body, options: .fragmentsAllowed)
        } catch {
            throw APIError(
                .badRequest, code: "invalid_json", message: "the request body \(JSONBody.syntaxProblem(body) ?? "is not JSON")", field: "(body)")
        }
        guard let object = parsed as? [String: Any] else {
            throw APIError.invalid("(body)", "must be a JSON object such as {\"kind\": \"note\", \"text\": \"…\"}")
        }
        let known: Set<String> = ["kind", "text", "raw", "occurred_at", "author", "source"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.invalid(unknown, "is not a field of an interaction (\(known.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String) throws -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw APIError.invalid(key, "must be a string") }
            return text
        }
        guard let kindText = try string("kind") else { throw APIError.invalid("kind", "is required: email, call, meeting, chat or note") }
        guard let kind = InteractionKind(rawValue: kindText) else {
            throw APIError.invalid("kind", "'\(kindText.prefix(40))' is not one of email, call, meeting, chat, note")
        }
        let text = try string("text")
        let raw = try string("raw")
        switch (text, raw) {
        case (nil, nil): throw APIError.invalid("text", "give `text` (plain) or `raw` (the source as it was)")
        case (.some, .some): throw APIError.invalid("raw", "give `text` or `raw`, not both")
        default: break
        }
        if kind == .email, raw == nil { throw APIError.invalid("raw", "an e-mail is sent whole, as an RFC 5322 message in `raw`") }
        if kind == .chat || kind == .note, raw != nil { throw APIError.invalid("raw", "a \(kind.rawValue) is plain `text`") }
        // Counted in code points, as the OpenAPI document's maxLength counts them.
        if let content = text ?? raw, content.unicodeScalars.count > interactionTextLimit {
            throw APIError.invalid(text == nil ? "raw" : "text", "is longer than \(interactionTextLimit) characters")
        }
        var occurredAt: Date?
        if let at = try string("occurred_at") {
            guard let date = EventTime.parse(at) else {
                throw APIError.invalid("occurred_at", "must be an RFC 3339 date-time such as 2025-10-06T14:00:00Z")
            }
            occurredAt = date
        }
        let author = try string("author")
        let source = try string("source")
        for (key, value) in [("author", author), ("source", source)] {
            if let value, let problem = Identifier.problem(value) { throw APIError.invalid(key, problem) }
        }
        return InteractionRequest(kind: kind, text: text, raw: raw, occurredAt: occurredAt, author: author, source: source)
    }

    static func read(_ request: InteractionRequest, author: String?, source: String) throws(ConversationError) -> CapturedInteraction {
        if let raw = request.raw {
            if request.kind == .email { return try EmailMessage.parse(ArraySlice(Array(raw.utf8)), source: source).interaction }
            return try WebVTTTranscript.parse(raw, source: source, kind: request.kind)
        }
        return try SpeakerLines.parse(request.text ?? "", source: source, kind: request.kind, author: author)
    }

    /// The capture over this service's store, with the playbook's trackers and reps (read with
    /// the rest of the playbook at start).
    func conversationCapture() async -> ConversationCapture {
        let engine = await runtime.current()
        return ConversationCapture(store: store, trackers: runtime.playbook.trackers, reps: engine.flow.roster.reps)
    }
}

extension LeadView.Detail {
    /// Puts the lead's captured interactions in its timeline (kind `interaction`, reference
    /// `interaction 12 (call)`), by time; an interaction without a time goes at its recording time.
    mutating func addInteractions(_ interactions: [InteractionRecord]) {
        guard !interactions.isEmpty else { return }
        let added = interactions.map { record in
            LeadView.TimelineView(
                at: EventTime.format(record.occurredAt ?? record.recordedAt), kind: "interaction",
                reference: "interaction \(record.rowID.map(String.init) ?? "?") (\(record.kind))")
        }
        // EventTime.format is fixed-width UTC, so the text sorts as the time; ties keep stored entries first.
        timeline = (timeline.enumerated().map { ($0.element, 0, $0.offset) } + added.enumerated().map { ($0.element, 1, $0.offset) })
            .sorted { ($0.0.at, $0.1, $0.2) < ($1.0.at, $1.1, $1.2) }.map(\.0)
    }
}
