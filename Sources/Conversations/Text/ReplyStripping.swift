import Foundation

/// What a person newly wrote in an e-mail body, without the text it quotes or its signature.
///
/// Rules, applied line by line to the decoded body:
/// 1. A signature separator ends the text: `-- ` alone on a line (RFC 3676 §4.3), also `--`
///    without the space (many clients strip trailing white space); so does a line starting with
///    `Sent from my ` (mobile clients' signature).
/// 2. A forwarded or Outlook-quoted original ends the text: a line `-----Original Message-----`
///    or `---------- Forwarded message ---------`, or a line of 20 or more underscores followed
///    by a `From:` line.
/// 3. Quoted lines (starting with `>`, RFC 3676 §4.5) are dropped, as is an attribution line
///    `On … wrote:` (also wrapped over two lines: a line starting with `On ` followed by a line
///    ending in `wrote:`).
/// What is left is cut into paragraphs at blank lines, each with the body line it starts on; the
/// lines of a paragraph are joined with single spaces (mail wraps at ~72 characters, a sentence
/// does not end at a wrap).
package enum ReplyStripping {
    package static func paragraphs(_ body: String) -> [(line: Int, text: String)] {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        var kept: [(line: Int, text: String)] = []
        var index = 0
        scan: while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line == "-- " || line == "--" || trimmed.hasPrefix("Sent from my ") { break }
            if trimmed.hasPrefix("-----Original Message-----") || trimmed.hasPrefix("---------- Forwarded message") { break }
            if trimmed.count >= 20, trimmed.allSatisfy({ $0 == "_" }), index + 1 < lines.count, lines[index + 1].hasPrefix("From:") { break }
            if trimmed.hasPrefix(">") {
                index += 1
                continue
            }
            if trimmed.hasPrefix("On ") {
                if trimmed.hasSuffix("wrote:") {
                    index += 1
                    continue scan
                }
                if index + 1 < lines.count, lines[index + 1].trimmingCharacters(in: .whitespaces).hasSuffix("wrote:") {
                    index += 2
                    continue scan
                }
            }
            kept.append((index + 1, trimmed))
            index += 1
        }
        var paragraphs: [(line: Int, text: String)] = []
        var current: (line: Int, text: String)?
        for (line, text) in kept {
            if text.isEmpty {
                if let done = current { paragraphs.append(done) }
                current = nil
            } else if current == nil {
                current = (line, text)
            } else {
                current?.text += " " + text
            }
        }
        if let done = current { paragraphs.append(done) }
        return paragraphs
    }
}
