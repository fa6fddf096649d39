import BatonSupport
import Foundation

/// Plain-text transcripts, chat logs and typed notes: lines of `Speaker: text`, each optionally
/// led by a time.
///
/// A line is `[time] Name: text` where
/// - the time (optional) is in brackets or parentheses, or bare and followed by a space:
///   an offset `hh:mm:ss`, `mm:ss` (optionally `.ttt` or `,ttt`), or an absolute RFC 3339 time
///   (`2025-10-01T10:02:00Z`) or `YYYY-MM-DD HH:MM[:SS]` read as UTC; absolute times become
///   offsets from the first one, which is the interaction's time;
/// - the name is 1–40 characters, at most four words, starting with a letter, without `:`,
///   digits-only words or a URL, followed by `:` and a space (or the line's end).
/// A line that is not of this shape continues the utterance before it (a wrapped line); a blank
/// line ends it. A text with no `Name:` line at all is kept unattributed, one utterance per
/// paragraph, with a warning (stated fallback: per-speaker measures are not computed).
/// Times must not go backwards: an error names the line.
package enum SpeakerLines {
    package static func parse(
        _ text: String, source: String, kind: InteractionKind, author: String? = nil
    ) throws(ConversationError) -> CapturedInteraction {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        var utterances: [Utterance] = []
        var current: Utterance?
        var origin: Double?
        var lastStart: Int?
        var named = 0
        for (offset, raw) in lines.enumerated() {
            let number = offset + 1
            var line = raw.trimmingCharacters(in: .whitespaces)[...]
            if offset == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.isEmpty {
                if let done = current { utterances.append(done) }
                current = nil
                continue
            }
            var start: Int?
            if kind != .note, let (time, rest) = leadingTime(line) {
                switch time {
                case .offset(let milliseconds): start = milliseconds
                case .absolute(let seconds):
                    if origin == nil { origin = seconds }
                    let delta = (seconds - (origin ?? seconds)) * 1000
                    guard delta.isFinite, abs(delta) < 1e15 else {
                        throw ConversationError(source: source, line: number, column: 1, "the time is out of range")
                    }
                    start = Int(delta.rounded())  // total: delta is finite and below 1e15 (checked above)
                }
                line = rest
            }
            if let start {
                if let lastStart, start < lastStart {
                    throw ConversationError(
                        source: source, line: number, column: 1, "the time goes backwards (earlier than the line before); lines must be in time order"
                    )
                }
                lastStart = start
            }
            if kind != .note, let (name, rest) = speakerPrefix(line) {
                if let done = current { utterances.append(done) }
                named += 1
                current = Utterance(speaker: name, startMilliseconds: start, line: number, text: String(rest))
            } else if var continued = current, start == nil {
                continued.text += (continued.text.isEmpty ? "" : " ") + line
                current = continued
            } else {
                if let done = current { utterances.append(done) }
                current = Utterance(speaker: kind == .note ? author : nil, startMilliseconds: start, line: number, text: String(line))
            }
        }
        if let done = current { utterances.append(done) }
        utterances = utterances.filter { !$0.text.isEmpty }
        // An utterance ends when the next one starts (the last one has no end).
        for index in utterances.indices.dropLast() {
            if utterances[index].startMilliseconds != nil { utterances[index].endMilliseconds = utterances[index + 1].startMilliseconds }
        }
        var warnings: [String] = []
        if kind != .note, named == 0, !utterances.isEmpty {
            warnings.append("no 'Speaker: text' line found; stored unattributed, and per-speaker measures are not computed")
        }
        if kind.isSpoken || kind == .chat, !utterances.isEmpty, utterances.allSatisfy({ $0.startMilliseconds == nil }) {
            warnings.append("no line carries a time; measures that need times (monologues, gaps, switches per minute) are not computed")
        }
        return CapturedInteraction(kind: kind, occurredAt: origin, utterances: utterances, warnings: warnings)
    }

    enum LeadingTime {
        case offset(Int)
        case absolute(Double)
    }

    static func leadingTime(_ line: Substring) -> (LeadingTime, Substring)? {
        var text = line
        var closer: Character?
        if let first = text.first, first == "[" || first == "(" {
            closer = first == "[" ? "]" : ")"
            text = text.dropFirst()
        }
        let token: Substring
        if let closer {
            guard let close = text.firstIndex(of: closer) else { return nil }
            token = text[text.startIndex..<close]
            text = text[text.index(after: close)...]
        } else {
            // `2025-10-01 10:02:00 Name: …` has a space inside the time.
            let words = text.split(separator: " ", maxSplits: 2)
            if words.count >= 2, words[0].count == 10, words[0].dropFirst(4).first == "-", words[1].contains(":"),
                absolute(words[0] + " " + words[1]) != nil
            {
                token = text[words[0].startIndex..<words[1].endIndex]
            } else {
                token = text.prefix { $0 != " " && $0 != "\t" }
            }
            guard token.endIndex < text.endIndex else { return nil }
            text = text[token.endIndex...]
        }
        let rest = text.drop { $0 == " " || $0 == "\t" || $0 == "-" }
        if let milliseconds = offset(token) { return (.offset(milliseconds), rest) }
        if let seconds = absolute(token) { return (.absolute(seconds), rest) }
        return nil
    }

    /// `hh:mm:ss[.ttt]` or `mm:ss[.ttt]`.
    static func offset(_ token: Substring) -> Int? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let lastPart = parts.last else { return nil }
        let secondParts = lastPart.split(whereSeparator: { $0 == "." || $0 == "," })
        guard secondParts.count == 1 || secondParts.count == 2, secondParts[0].count == 2, let seconds = Int(secondParts[0]), seconds < 60
        else { return nil }
        var millis = 0
        if secondParts.count == 2 {
            guard (1...3).contains(secondParts[1].count), let fraction = Int(secondParts[1]) else { return nil }
            millis = fraction * [100, 10, 1][secondParts[1].count - 1]
        }
        let numbers = parts.dropLast().map { part -> Int? in part.count <= 6 && part.allSatisfy(\.isNumber) ? Int(part) : nil }
        guard numbers.allSatisfy({ $0 != nil }) else { return nil }
        let values = numbers.compactMap { $0 }
        let (hours, minutes) = values.count == 2 ? (values[0], values[1]) : (0, values[0])
        guard minutes < 60 || values.count == 1 else { return nil }
        return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    }

    static func absolute(_ token: Substring) -> Double? {
        if let seconds = RFC3339.secondsSince1970(String(token)) { return seconds }
        let pieces = token.split(separator: " ")
        guard pieces.count == 2 else { return nil }
        var clock = String(pieces[1])
        if clock.count == 5 { clock += ":00" }
        return RFC3339.secondsSince1970("\(pieces[0])T\(clock)Z")
    }

    static func speakerPrefix(_ line: Substring) -> (String, Substring)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[line.startIndex..<colon].trimmingCharacters(in: .whitespaces)
        let after = line[line.index(after: colon)...]
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        let words = name.split(separator: " ")
        guard (1...40).contains(name.count), (1...4).contains(words.count), name.first?.isLetter == true,
            !words.contains(where: { $0.allSatisfy(\.isNumber) }), !name.lowercased().hasPrefix("http")
        else { return nil }
        return (name, after.drop { $0 == " " || $0 == "\t" })
    }
}
