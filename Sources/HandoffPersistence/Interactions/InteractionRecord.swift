import BatonSupport
import Foundation

/// One captured interaction with a lead (an e-mail, a call or meeting transcript, a chat, a
/// note), stored once per lead and content: a second capture of the same content for the same
/// lead is ``WriteOutcome/alreadyStored``.
package struct InteractionRecord: Sendable, Hashable {
    /// The store's id, cited by the digest (`interaction 12`); nil before it is stored.
    package var rowID: Int64?
    /// The lead; must be stored.
    package var leadID: String
    /// `email`, `call`, `meeting`, `chat` or `note`.
    package var kind: String
    /// When it happened (an e-mail's Date, a chat's first stamp, the caller's time); nil when unknown.
    package var occurredAt: Date?
    /// When Baton stored it.
    package var recordedAt: Date
    /// Where it came from: a file name (`inbox.mbox:1234`) or `api`.
    package var source: String
    /// The e-mail's subject, if any.
    package var subject: String?
    /// SHA-256 (hex) of the canonical content: what makes a capture idempotent.
    package var contentSHA256: String
    /// The captured interaction as JSON: participants, utterances with speaker, time and line, warnings.
    package var content: JSONText

    package init(
        rowID: Int64? = nil, leadID: String, kind: String, occurredAt: Date?, recordedAt: Date, source: String, subject: String?,
        contentSHA256: String, content: JSONText
    ) {
        self.rowID = rowID
        self.leadID = leadID
        self.kind = kind
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.source = source
        self.subject = subject
        self.contentSHA256 = contentSHA256
        self.content = content
    }

    static let kinds: Set<String> = ["email", "call", "meeting", "chat", "note"]

    /// Checks what both backends rely on, naming the field.
    package func validated() throws(StoreError) -> InteractionRecord {
        let label = "interaction of lead '\(leadID)'"
        if let problem = Identifier.problem(leadID) { throw .invalidField(record: label, field: "lead_id", reason: problem) }
        guard Self.kinds.contains(kind) else {
            throw .invalidField(record: label, field: "kind", reason: "must be one of \(Self.kinds.sorted().joined(separator: ", "))")
        }
        guard contentSHA256.count == 64, contentSHA256.allSatisfy(\.isHexDigit) else {
            throw .invalidField(record: label, field: "content_sha256", reason: "must be 64 hex digits")
        }
        guard source.utf8.count <= 1024, !source.contains(where: { $0.isNewline }) else {
            throw .invalidField(record: label, field: "source", reason: "must be one line of at most 1024 bytes")
        }
        if let subject, subject.utf8.count > 4096 {
            throw .invalidField(record: label, field: "subject", reason: "is longer than 4096 bytes")
        }
        return self
    }
}

/// One tracker phrase found in an interaction: which tracker, the phrase as the playbook wrote
/// it, the sentence it was found in, who said it, when and on which line.
package struct TrackerHitRecord: Sendable, Hashable, Codable {
    /// The interaction's row id (set by the store when the hits are stored with it).
    package var interactionID: Int64?
    package var leadID: String
    package var tracker: String
    /// The tracker's category (`competitor`, `pricing`, …).
    package var category: String
    package var phrase: String
    /// The sentence that holds the match, as written.
    package var quote: String
    package var speaker: String?
    /// Milliseconds from the start of the interaction, when the source has times.
    package var startMilliseconds: Int?
    /// The line the utterance starts on.
    package var line: Int

    package init(
        interactionID: Int64? = nil, leadID: String, tracker: String, category: String, phrase: String, quote: String, speaker: String?,
        startMilliseconds: Int?, line: Int
    ) {
        self.interactionID = interactionID
        self.leadID = leadID
        self.tracker = tracker
        self.category = category
        self.phrase = phrase
        self.quote = quote
        self.speaker = speaker
        self.startMilliseconds = startMilliseconds
        self.line = line
    }

    enum CodingKeys: String, CodingKey {
        case tracker, category, phrase, quote, speaker, line
        case interactionID = "interaction_id"
        case leadID = "lead_id"
        case startMilliseconds = "start_ms"
    }
}
