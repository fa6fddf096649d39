/// One stretch of text said or written by one speaker: a transcript cue, a chat line, a paragraph
/// of an e-mail body or of a note.
package struct Utterance: Sendable, Codable, Equatable, Hashable {
    /// Who said it, as the source names them; nil when the source names nobody.
    package var speaker: String?
    /// Start, in milliseconds from the start of the interaction (transcripts, timed chat logs); nil
    /// when the source has no times.
    package var startMilliseconds: Int?
    /// End, in milliseconds from the start of the interaction; nil when the source has none.
    package var endMilliseconds: Int?
    /// The 1-based line of the source where it starts: the file's line for transcripts, chat logs
    /// and notes, the line of the decoded message body for e-mail.
    package var line: Int
    /// The text, tags and markup removed, whitespace kept as written.
    package var text: String

    package init(speaker: String?, startMilliseconds: Int? = nil, endMilliseconds: Int? = nil, line: Int, text: String) {
        self.speaker = speaker
        self.startMilliseconds = startMilliseconds
        self.endMilliseconds = endMilliseconds
        self.line = line
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case speaker, line, text
        case startMilliseconds = "start_ms"
        case endMilliseconds = "end_ms"
    }
}
