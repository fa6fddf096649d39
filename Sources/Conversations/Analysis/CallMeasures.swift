import Foundation

/// Which side of the deal a speaker is on.
package enum ConversationSide: String, Sendable, Hashable, Codable {
    case rep, prospect
}

/// Measures of one spoken conversation (a call or meeting transcript), computed from its
/// utterances and which side each speaker is on. Every measure is nil when what it needs is
/// missing (times, speakers, one of the sides), never a made-up zero.
///
/// - **Talk ratio**: the rep's share of the talking, by time (the sum of each utterance's
///   end − start) when every attributed utterance has a start time, else by words (``basis`` says
///   which). An utterance without an end (the last line of a plain transcript) counts 0 ms.
/// - **Longest monologue**: the longest run of consecutive utterances by one speaker, from the
///   first one's start to the last one's end (times needed).
/// - **Questions** per side: sentences ending in `?`.
/// - **Speaker switches per minute**: changes of speaker between consecutive attributed
///   utterances, divided by the minutes from the first start to the last end (times needed).
/// - **Rep response gap**: for each prospect utterance followed by a rep one, the rep's start
///   minus the prospect's end (an overlap counts 0); the median and the count.
package struct CallMeasures: Sendable, Hashable, Codable {
    package enum Basis: String, Sendable, Hashable, Codable { case time, words }

    package var basis: Basis?
    /// The rep side's share of talk, 0…1.
    package var repTalkRatio: Double?
    package var repTalkMilliseconds: Int?
    package var prospectTalkMilliseconds: Int?
    package var repWords: Int
    package var prospectWords: Int
    package var longestMonologueMilliseconds: Int?
    package var longestMonologueSpeaker: String?
    package var repQuestions: Int
    package var prospectQuestions: Int
    package var switchesPerMinute: Double?
    package var medianRepResponseGapMilliseconds: Int?
    package var repResponses: Int
    /// Speakers on no side (not a rep and not named in the interaction's side map): counted nowhere.
    package var unassignedSpeakers: [String]

    package static func measure(_ interaction: CapturedInteraction, side: (String) -> ConversationSide?) -> CallMeasures {
        let attributed = interaction.utterances.filter { $0.speaker != nil }
        var measures = CallMeasures(
            basis: nil, repTalkRatio: nil, repTalkMilliseconds: nil, prospectTalkMilliseconds: nil, repWords: 0, prospectWords: 0,
            longestMonologueMilliseconds: nil, longestMonologueSpeaker: nil, repQuestions: 0, prospectQuestions: 0, switchesPerMinute: nil,
            medianRepResponseGapMilliseconds: nil, repResponses: 0, unassignedSpeakers: [])
        var unassigned: [String] = []
        func sideOf(_ utterance: Utterance) -> ConversationSide? {
            guard let speaker = utterance.speaker else { return nil }
            let value = side(speaker)
            if value == nil, !unassigned.contains(speaker) { unassigned.append(speaker) }
            return value
        }
        // Timed when every attributed utterance has a start. A plain transcript's last line has no
        // end: it counts 0 ms of talk (stated in the type's documentation).
        let timed = !attributed.isEmpty && attributed.allSatisfy { $0.startMilliseconds != nil }
        var repTime = 0
        var prospectTime = 0
        for utterance in attributed {
            let words = WordStems.words(utterance.text).count
            let questions = Sentences.split(utterance.text).filter { $0.hasSuffix("?") }.count
            let duration = timed ? max(0, (utterance.endMilliseconds ?? 0) - (utterance.startMilliseconds ?? 0)) : 0
            switch sideOf(utterance) {
            case .rep:
                measures.repWords += words
                measures.repQuestions += questions
                repTime += duration
            case .prospect:
                measures.prospectWords += words
                measures.prospectQuestions += questions
                prospectTime += duration
            case nil: break
            }
        }
        measures.unassignedSpeakers = unassigned
        if timed, repTime + prospectTime > 0 {
            measures.basis = .time
            measures.repTalkMilliseconds = repTime
            measures.prospectTalkMilliseconds = prospectTime
            measures.repTalkRatio = Double(repTime) / Double(repTime + prospectTime)
        } else if measures.repWords + measures.prospectWords > 0, measures.repWords > 0 || measures.prospectWords > 0 {
            measures.basis = .words
            measures.repTalkRatio = Double(measures.repWords) / Double(measures.repWords + measures.prospectWords)
        }
        guard timed else { return measures }
        // Monologues and switches.
        var runStart = 0
        var switches = 0
        for index in attributed.indices {
            let isLast = index == attributed.count - 1
            if isLast || attributed[index + 1].speaker != attributed[index].speaker {
                let last = attributed[index]
                let duration = (last.endMilliseconds ?? last.startMilliseconds ?? 0) - (attributed[runStart].startMilliseconds ?? 0)
                if duration > (measures.longestMonologueMilliseconds ?? -1) {
                    measures.longestMonologueMilliseconds = duration
                    measures.longestMonologueSpeaker = attributed[index].speaker
                }
                if !isLast { switches += 1 }
                runStart = index + 1
            }
        }
        let span =
            (attributed.map { $0.endMilliseconds ?? $0.startMilliseconds ?? 0 }.max() ?? 0) - (attributed.compactMap(\.startMilliseconds).min() ?? 0)
        if span > 0 { measures.switchesPerMinute = Double(switches) / (Double(span) / 60_000) }
        var gaps: [Int] = []
        for index in attributed.indices.dropLast() {
            let current = attributed[index]
            let next = attributed[index + 1]
            if sideOf(current) == .prospect, sideOf(next) == .rep, let end = current.endMilliseconds, let start = next.startMilliseconds {
                gaps.append(max(0, start - end))
            }
        }
        measures.repResponses = gaps.count
        if !gaps.isEmpty {
            let sorted = gaps.sorted()
            measures.medianRepResponseGapMilliseconds =
                sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        return measures
    }

    enum CodingKeys: String, CodingKey {
        case basis
        case repTalkRatio = "rep_talk_ratio"
        case repTalkMilliseconds = "rep_talk_ms"
        case prospectTalkMilliseconds = "prospect_talk_ms"
        case repWords = "rep_words"
        case prospectWords = "prospect_words"
        case longestMonologueMilliseconds = "longest_monologue_ms"
        case longestMonologueSpeaker = "longest_monologue_speaker"
        case repQuestions = "rep_questions"
        case prospectQuestions = "prospect_questions"
        case switchesPerMinute = "switches_per_minute"
        case medianRepResponseGapMilliseconds = "median_rep_response_gap_ms"
        case repResponses = "rep_responses"
        case unassignedSpeakers = "unassigned_speakers"
    }
}
