import BatonSupport
import Conversations
import Foundation
import ScoringModelFormat

/// The playbook's `trackers:` section: what to listen for in e-mails, calls, chats and notes.
///
/// ```yaml
/// trackers:
///   competitors:
///     category: competitor
///     phrases: ["Acme CRM", "Globex"]
///     say: "They named {phrase}: show the built-in routing, which {phrase} sells as a services project."
/// ```
///
/// A tracker's name is lower-case letters, digits and `_`; `phrases` is a non-empty list of
/// phrases of 1–8 words each (matched by word boundary, case- and inflection-tolerant, see the
/// Conversations module's `Tracker`); `category` defaults to the name. The categories the digest
/// reads: `pain` and `need` (pain points), `competitor`, `solution`, `integration` (solutions
/// explored), `objection`. A playbook without the section has no trackers.
package enum ConversationTrackers {
    package static let keys = ["category", "phrases", "say"]

    /// Reads the `trackers:` section (``Playbook/parse(yaml:file:)`` calls it with the playbook's reader).
    static func read(_ section: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> [Tracker] {
        guard !section.isNull else { return [] }
        var trackers: [Tracker] = []
        for (name, entry) in try reader.orderedEntries(section, allowed: nil) {
            guard DispositionPolicy.isValidCode(name) else {
                throw reader.invalid(
                    entry, "`\(name)` is not a valid tracker name; use lower-case letters, digits and underscores, starting with a letter")
            }
            let fields = try reader.entries(entry, allowed: keys)
            guard let phrasesEntry = reader.given(fields, "phrases") else {
                throw reader.invalid(entry, "tracker `\(name)` needs `phrases:`, a list of the words to listen for")
            }
            let phrases = try reader.texts(phrasesEntry).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !phrases.isEmpty else { throw reader.invalid(phrasesEntry, "tracker `\(name)` lists no phrase") }
            for phrase in phrases {
                let words = phrase.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                guard (1...8).contains(words.count), phrase.utf8.count <= 200 else {
                    throw reader.invalid(phrasesEntry, "phrase \"\(phrase.prefix(60))\" must hold 1 to 8 words (at most 200 bytes)")
                }
            }
            let category = try reader.given(fields, "category").map(reader.text) ?? name
            guard DispositionPolicy.isValidCode(category) else {
                throw reader.invalid(entry, "category `\(category)` is not valid; use lower-case letters, digits and underscores")
            }
            let say = try reader.given(fields, "say").map(reader.text)
            trackers.append(Tracker(name: name, category: category, phrases: phrases, say: say))
        }
        return trackers
    }
}
