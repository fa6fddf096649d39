import Foundation

/// A named list of phrases to find in conversations (a playbook tracker): `competitors` with
/// `Acme CRM` and `Globex`, `security_review` with `SOC 2` and `security questionnaire`, …
///
/// Matching is by word boundary, case-insensitive and inflection-tolerant: a phrase matches when
/// its words' stems (``WordStems``) appear consecutively among an utterance's word stems; so
/// `security review` matches "Security reviews" but not "insecurity reviewed" (a different stem),
/// and `SOC 2` matches "soc 2" but not "SOC 22". Negation is not understood ("we don't use
/// Acme" is a hit on Acme): a hit says the words were said, not what was meant.
package struct Tracker: Sendable, Hashable, Codable {
    package var name: String
    /// What the tracker is about: `competitor`, `pricing`, `timeline`, `budget`, `authority`,
    /// `need`, `integration`, `security_review`, `objection`, `pain`, `solution`, or any other word.
    package var category: String
    package var phrases: [String]
    /// The playbook's line for the rep when the tracker is hit (`{phrase}` is replaced by the phrase found).
    package var say: String?

    package init(name: String, category: String, phrases: [String], say: String? = nil) {
        self.name = name
        self.category = category
        self.phrases = phrases
        self.say = say
    }

    /// The line for the rep for a hit on `phrase`, if the tracker has one.
    package func line(for phrase: String) -> String? {
        say.map { $0.replacingOccurrences(of: "{phrase}", with: phrase) }
    }
}

/// One phrase found: which tracker and phrase, in which utterance, the sentence quoted.
package struct TrackerHit: Sendable, Hashable, Codable {
    package var tracker: String
    package var category: String
    package var phrase: String
    /// Index of the utterance in the interaction.
    package var utterance: Int
    package var speaker: String?
    package var startMilliseconds: Int?
    package var line: Int
    /// The sentence holding the match, as written.
    package var quote: String
}

/// Finds every tracker's phrases in an interaction: at most one hit per tracker and sentence (the
/// tracker's first phrase found there; a phrase said twice, or two phrases of one tracker, in one
/// sentence count once).
package enum TrackerMatcher {
    package static func hits(in interaction: CapturedInteraction, trackers: [Tracker]) -> [TrackerHit] {
        let compiled = trackers.map { tracker in
            (tracker, tracker.phrases.map { phrase in (phrase, WordStems.words(phrase).map { WordStems.stem($0.word) }) }.filter { !$0.1.isEmpty })
        }
        var hits: [TrackerHit] = []
        for (index, utterance) in interaction.utterances.enumerated() {
            for sentence in Sentences.split(utterance.text) {
                let stems = WordStems.words(sentence).map { WordStems.stem($0.word) }
                guard !stems.isEmpty else { continue }
                for (tracker, phrases) in compiled {
                    if let (phrase, _) = phrases.first(where: { contains(stems, $0.1) }) {
                        hits.append(
                            TrackerHit(
                                tracker: tracker.name, category: tracker.category, phrase: phrase, utterance: index, speaker: utterance.speaker,
                                startMilliseconds: utterance.startMilliseconds, line: utterance.line, quote: sentence))
                    }
                }
            }
        }
        return hits
    }

    static func contains(_ haystack: [String], _ needle: [String]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}
