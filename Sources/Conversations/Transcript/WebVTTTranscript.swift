import Foundation

/// A WebVTT file (W3C, "WebVTT: The Web Video Text Tracks Format", §4 syntax and §6.1 parsing)
/// read as a transcript: one utterance per cue (or per voice span, when a cue holds several).
///
/// - Signature: an optional U+FEFF, then `WEBVTT` alone or followed by a space or tab and text
///   (§4.1); the header lines after it run to the first blank line and are skipped.
/// - Blocks are separated by blank lines. `NOTE` blocks (comments, §4.5), `STYLE` and `REGION`
///   blocks are skipped. A cue (§4.4) is an optional identifier line (without `-->`), a timing line
///   `start --> end [settings]` with timestamps `[hh:]mm:ss.ttt` (§4.6: hours of two or more
///   digits, minutes and seconds 00–59, three digits of milliseconds), then its payload lines.
/// - Payload (§4.2.2 cue text): `<v Name>` / `<v.class Name>` voice spans name the speaker;
///   other tags (`<b>`, `<i>`, `<u>`, `<c.x>`, `<lang>`, `<ruby>`, timestamp tags) are removed;
///   the character references `&amp; &lt; &gt; &lrm; &rlm; &nbsp;` (and numeric ones) decoded;
///   the payload's lines are joined with single spaces.
///
/// Stricter than a browser, which drops a cue it cannot time: a malformed timing line, an end
/// before its start, or a file without the signature is an error naming the line and column, so
/// a transcript is never stored with a cue silently missing. A block without `-->` that is not a
/// `NOTE`/`STYLE`/`REGION` is skipped with a warning naming its line. Cues without a voice have no
/// speaker (a stated fallback: the per-speaker measures are then not computed).
package enum WebVTTTranscript {
    package static func parse(_ text: String, source: String, kind: InteractionKind = .call) throws(ConversationError) -> CapturedInteraction {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        guard let signature = lines.first, signature.hasPrefix("WEBVTT"),
            signature.count == 6 || signature.dropFirst(6).first == " " || signature.dropFirst(6).first == "\t"
        else {
            throw ConversationError(source: source, line: 1, column: 1, "not a WebVTT file: the first line must be 'WEBVTT'")
        }
        var index = 1
        while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }  // header
        var utterances: [Utterance] = []
        var warnings: [String] = []
        var unvoiced = 0
        while index < lines.count {
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
            guard index < lines.count else { break }
            let blockStart = index
            var block: [Substring] = []
            while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                block.append(lines[index])
                index += 1
            }
            let head = block[0]
            if isKeyword(head, "NOTE") || isKeyword(head, "STYLE") || isKeyword(head, "REGION") { continue }
            let timingOffset: Int
            if head.contains("-->") {
                timingOffset = 0
            } else if block.count > 1, block[1].contains("-->") {
                timingOffset = 1
            } else {
                warnings.append("line \(blockStart + 1): a block without a cue timing ('-->') was skipped")
                continue
            }
            let timingLine = blockStart + timingOffset + 1
            let (start, end) = try timings(block[timingOffset], source: source, line: timingLine)
            let payload = block[(timingOffset + 1)...].joined(separator: "\n")
            let spans = voiceSpans(payload)
            for span in spans where !span.text.isEmpty {
                if span.voice == nil { unvoiced += 1 }
                utterances.append(
                    Utterance(speaker: span.voice, startMilliseconds: start, endMilliseconds: end, line: timingLine + 1, text: span.text))
            }
        }
        if !utterances.isEmpty, unvoiced == utterances.count {
            warnings.append("no cue names its speaker (<v Name>); the transcript is stored unattributed and per-speaker measures are not computed")
        } else if unvoiced > 0 {
            warnings.append("\(unvoiced) cue(s) name no speaker (<v Name>); they count for nobody in the per-speaker measures")
        }
        return CapturedInteraction(kind: kind, utterances: utterances, warnings: warnings)
    }

    private static func isKeyword(_ line: Substring, _ keyword: String) -> Bool {
        guard line.hasPrefix(keyword) else { return false }
        let next = line.dropFirst(keyword.count).first
        return next == nil || next == " " || next == "\t"
    }

    /// `start --> end [settings]`, in milliseconds.
    private static func timings(_ line: Substring, source: String, line number: Int) throws(ConversationError) -> (Int, Int) {
        guard let arrow = line.range(of: "-->") else {
            throw ConversationError(source: source, line: number, column: 1, "expected a cue timing 'start --> end'")
        }
        let startText = line[line.startIndex..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
        let after = line[arrow.upperBound...].drop { $0 == " " || $0 == "\t" }
        let endText = after.prefix { $0 != " " && $0 != "\t" }
        guard let start = timestamp(startText) else {
            throw ConversationError(
                source: source, line: number, column: 1, "'\(startText)' is not a WebVTT timestamp ([hh:]mm:ss.ttt, e.g. 00:01:02.500)")
        }
        let endColumn = line.distance(from: line.startIndex, to: after.startIndex) + 1
        guard let end = timestamp(String(endText)) else {
            throw ConversationError(
                source: source, line: number, column: endColumn, "'\(endText)' is not a WebVTT timestamp ([hh:]mm:ss.ttt, e.g. 00:01:02.500)")
        }
        guard end > start else {
            throw ConversationError(
                source: source, line: number, column: endColumn, "the cue ends (\(endText)) before or when it starts (\(startText))")
        }
        return (start, end)
    }

    /// §4.6 timestamp, in milliseconds; hours up to 9 digits (no overflow).
    package static func timestamp(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let last = parts.last else { return nil }
        let secondsParts = last.split(separator: ".", omittingEmptySubsequences: false)
        guard secondsParts.count == 2, secondsParts[0].count == 2, secondsParts[1].count == 3,
            let seconds = digits(secondsParts[0]), let millis = digits(secondsParts[1]), seconds < 60
        else { return nil }
        let minutesText = parts[parts.count - 2]
        guard minutesText.count == 2, let minutes = digits(minutesText), minutes < 60 else { return nil }
        var hours = 0
        if parts.count == 3 {
            guard parts[0].count >= 2, parts[0].count <= 9, let value = digits(parts[0]) else { return nil }
            hours = value
        }
        return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    }

    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// The payload cut at voice spans: text before the first `<v …>` has no voice.
    static func voiceSpans(_ payload: String) -> [(voice: String?, text: String)] {
        var spans: [(voice: String?, text: String)] = []
        var voice: String?
        var current = ""
        var rest = Substring(payload)
        func flush() {
            let text = HTMLText.decodeEntities(current).split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
            if !text.isEmpty || voice != nil { spans.append((voice, text)) }
            current = ""
        }
        while let open = rest.firstIndex(of: "<") {
            current += rest[rest.startIndex..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                rest = rest[open...]
                break
            }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("v ") || tag.hasPrefix("v.") || tag.hasPrefix("v\t") {
                flush()
                let annotation = tag.drop { $0 != " " && $0 != "\t" }.trimmingCharacters(in: .whitespaces)
                voice = annotation.isEmpty ? nil : HTMLText.decodeEntities(annotation)
            } else if tag == "/v" {
                flush()
                voice = nil
            }
        }
        current += rest
        flush()
        return spans.filter { !$0.text.isEmpty }
    }
}
