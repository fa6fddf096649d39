/// What kind of interaction a captured text records.
package enum InteractionKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// An e-mail message (RFC 5322), from a `.eml` file or an mbox mailbox.
    case email
    /// A phone or video call transcript (WebVTT or "Speaker: text").
    case call
    /// A meeting transcript (WebVTT or "Speaker: text").
    case meeting
    /// A chat log ("[time] Speaker: text" lines).
    case chat
    /// A note typed by a rep or marketer.
    case note

    /// Whether the text is a spoken transcript, for which call measures are computed.
    package var isSpoken: Bool { self == .call || self == .meeting }
}
