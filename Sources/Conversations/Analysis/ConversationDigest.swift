import Foundation

/// Where a digest line comes from: the stored interaction, who said it, and when (a time into a
/// transcript) or where (the line of an e-mail body, chat log or note).
package struct Citation: Sendable, Hashable, Codable {
    package var interactionID: Int64
    package var kind: InteractionKind
    package var speaker: String?
    package var startMilliseconds: Int?
    package var line: Int

    /// `interaction 12 (call), Dana Reyes, 00:01:05` or `interaction 7 (email), Dana Reyes, line 3`.
    package var text: String {
        var parts = ["interaction \(interactionID) (\(kind.rawValue))"]
        if let speaker { parts.append(speaker) }
        if let start = startMilliseconds {
            let seconds = start / 1000
            parts.append(String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60))
        } else {
            parts.append("line \(line)")
        }
        return parts.joined(separator: ", ")
    }

    enum CodingKeys: String, CodingKey {
        case kind, speaker, line
        case interactionID = "interaction_id"
        case startMilliseconds = "start_ms"
    }
}

/// One sentence of the digest, quoted as said, with its source.
package struct DigestLine: Sendable, Hashable, Codable {
    package var text: String
    package var citation: Citation
    /// For next steps: the date expression found (``NextStepPatterns``); for tracker lists: the
    /// tracker and phrase.
    package var note: String?
}

/// What was said with a lead, extractive and cited: every line is a sentence someone said or
/// wrote, never generated text, with the interaction, speaker and time or line it came from.
///
/// - **Summary**: the best ``summarySentences`` sentences by ``TextRank`` over every sentence
///   of the lead's interactions (the latest ``maximumSentences`` when there are more), in order.
/// - **Next steps**: sentences matching ``NextStepPatterns``, latest interaction first.
/// - **Pain points**: sentences by the prospect side (or an unknown side) holding a hit of a
///   tracker of category `pain` or `need`.
/// - **Solutions explored**: sentences holding a hit of category `competitor`, `solution` or
///   `integration`.
/// - **Objections**: sentences by the prospect side (or unknown) holding a hit of category `objection`.
/// Each list keeps a sentence once, and at most ``listLimit`` lines.
package struct ConversationDigest: Sendable, Hashable, Codable {
    package var summary: [DigestLine]
    package var nextSteps: [DigestLine]
    package var painPoints: [DigestLine]
    package var solutionsExplored: [DigestLine]
    package var objections: [DigestLine]
    /// Tracker hits counted by tracker name.
    package var trackerCounts: [String: Int]

    package static let summarySentences = 5
    package static let maximumSentences = 1500
    package static let listLimit = 8

    /// One interaction as stored: its id, and what was captured.
    package struct Source: Sendable {
        package var id: Int64
        package var interaction: CapturedInteraction
        package init(id: Int64, interaction: CapturedInteraction) {
            self.id = id
            self.interaction = interaction
        }
    }

    package static func build(_ sources: [Source], trackers: [Tracker], side: (String) -> ConversationSide?) -> ConversationDigest {
        build(sources, hits: sources.map { TrackerMatcher.hits(in: $0.interaction, trackers: trackers) }, side: side)
    }

    /// The digest from tracker hits already found, `hits[k]` those of `sources[k]`.
    package static func build(_ sources: [Source], hits: [[TrackerHit]], side: (String) -> ConversationSide?) -> ConversationDigest {
        struct Sentence {
            var text: String
            var citation: Citation
            var side: ConversationSide?
        }
        var sentences: [Sentence] = []
        var hitsBySentence: [Int: [TrackerHit]] = [:]
        var counts: [String: Int] = [:]
        for (source, hits) in zip(sources, hits) {
            let hitsByUtterance = Dictionary(grouping: hits, by: \.utterance)
            for (index, utterance) in source.interaction.utterances.enumerated() {
                let citation = Citation(
                    interactionID: source.id, kind: source.interaction.kind, speaker: utterance.speaker,
                    startMilliseconds: utterance.startMilliseconds,
                    line: utterance.line)
                let speakerSide = utterance.speaker.flatMap(side)
                for text in Sentences.split(utterance.text) {
                    let position = sentences.count
                    sentences.append(Sentence(text: text, citation: citation, side: speakerSide))
                    let matched = (hitsByUtterance[index] ?? []).filter { $0.quote == text }
                    if !matched.isEmpty { hitsBySentence[position] = matched }
                }
            }
            for hit in hits { counts[hit.tracker, default: 0] += 1 }
        }
        let window = max(0, sentences.count - maximumSentences)
        let ranked = TextRank.best(sentences[window...].map { TextRank.terms($0.text) }, count: summarySentences).map { $0 + window }
        func line(_ index: Int, note: String? = nil) -> DigestLine {
            DigestLine(text: sentences[index].text, citation: sentences[index].citation, note: note)
        }
        func list(categories: Set<String>, prospectOnly: Bool) -> [DigestLine] {
            var seen = Set<String>()
            var lines: [DigestLine] = []
            for index in sentences.indices {
                guard let hits = hitsBySentence[index], let hit = hits.first(where: { categories.contains($0.category) }) else { continue }
                if prospectOnly, sentences[index].side == .rep { continue }
                guard seen.insert(sentences[index].text).inserted, lines.count < listLimit else { continue }
                lines.append(line(index, note: "\(hit.tracker): \(hit.phrase)"))
            }
            return lines
        }
        var nextSteps: [DigestLine] = []
        var seenSteps = Set<String>()
        for index in sentences.indices.reversed() {
            guard let match = NextStepPatterns.match(sentences[index].text), seenSteps.insert(sentences[index].text).inserted else { continue }
            if nextSteps.count < listLimit { nextSteps.append(line(index, note: match.when)) }
        }
        return ConversationDigest(
            summary: ranked.map { line($0) }, nextSteps: nextSteps, painPoints: list(categories: ["pain", "need"], prospectOnly: true),
            solutionsExplored: list(categories: ["competitor", "solution", "integration"], prospectOnly: false),
            objections: list(categories: ["objection"], prospectOnly: true), trackerCounts: counts)
    }

    enum CodingKeys: String, CodingKey {
        case summary, objections
        case nextSteps = "next_steps"
        case painPoints = "pain_points"
        case solutionsExplored = "solutions_explored"
        case trackerCounts = "tracker_counts"
    }
}
