/// An interaction read from its source, before it is tied to a lead: what kind it is, who took part,
/// when it happened, and what was said, one ``Utterance`` at a time.
package struct CapturedInteraction: Sendable, Codable, Equatable {
    package var kind: InteractionKind
    /// When it happened, seconds since 1970 UTC (an e-mail's `Date:`, a chat's first stamp); nil when
    /// the source does not say.
    package var occurredAt: Double?
    /// The e-mail's `Subject:`, decoded; nil for other kinds.
    package var subject: String?
    /// The e-mail's `Message-ID:` without angle brackets; nil for other kinds or when absent.
    package var messageID: String?
    /// Addresses (lower-cased addr-spec) of the sender: `From:` (e-mail only).
    package var from: [String]
    /// Addresses of the recipients: `To:` and `Cc:` (e-mail only).
    package var to: [String]
    package var utterances: [Utterance]
    /// Stated fallbacks taken while reading (an unknown charset read as windows-1252, a transcript
    /// without speakers, …), in plain words.
    package var warnings: [String]

    package init(
        kind: InteractionKind, occurredAt: Double? = nil, subject: String? = nil, messageID: String? = nil, from: [String] = [],
        to: [String] = [], utterances: [Utterance], warnings: [String] = []
    ) {
        self.kind = kind
        self.occurredAt = occurredAt
        self.subject = subject
        self.messageID = messageID
        self.from = from
        self.to = to
        self.utterances = utterances
        self.warnings = warnings
    }

    /// Every participant named in the utterances, in the order first seen.
    package var speakers: [String] {
        var seen = Set<String>()
        return utterances.compactMap(\.speaker).filter { seen.insert($0).inserted }
    }

    /// The whole text, utterances joined by blank lines.
    package var text: String { utterances.map(\.text).joined(separator: "\n\n") }

    enum CodingKeys: String, CodingKey {
        case kind, subject, from, to, utterances, warnings
        case occurredAt = "occurred_at"
        case messageID = "message_id"
    }
}
