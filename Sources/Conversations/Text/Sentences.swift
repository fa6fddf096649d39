import Foundation

/// Sentences of an utterance, for quotes, questions and the digest.
///
/// A sentence ends at `.`, `!`, `?` (or a run of them, with closing quotes or brackets) followed
/// by white space and then an upper-case letter, a digit, a quote or the end of the text. Not an
/// end: a `.` after a single letter (`e.g.`, initials) or after a common abbreviation (`Mr`,
/// `Mrs`, `Ms`, `Dr`, `Inc`, `Ltd`, `vs`, `etc`, `approx`, `No`), and a `.` inside a number
/// (`3.5`). A line break in an utterance is read as a space.
package enum Sentences {
    package static func split(_ text: String) -> [String] {
        let characters = Array(text.replacingOccurrences(of: "\n", with: " "))
        var sentences: [String] = []
        var start = 0
        var index = 0
        let abbreviations: Set<String> = ["mr", "mrs", "ms", "dr", "inc", "ltd", "vs", "etc", "approx", "no", "e.g", "i.e"]
        while index < characters.count {
            let character = characters[index]
            guard character == "." || character == "!" || character == "?" else {
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count, ".!?\"')]”’".contains(characters[end]) { end += 1 }
            let nextIsSpace = end == characters.count || characters[end].isWhitespace
            var nextStart = end
            while nextStart < characters.count, characters[nextStart].isWhitespace { nextStart += 1 }
            let nextOpens =
                nextStart == characters.count || characters[nextStart].isUppercase || characters[nextStart].isNumber
                || "\"“‘(".contains(characters[nextStart])
            var isEnd = nextIsSpace && nextOpens
            if isEnd, character == "." {
                var wordStart = index
                while wordStart > start, !characters[wordStart - 1].isWhitespace { wordStart -= 1 }
                let word = String(characters[wordStart..<index]).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "(\"'"))
                if word.count == 1 && word.first?.isLetter == true || abbreviations.contains(word) { isEnd = false }
            }
            if isEnd {
                let sentence = String(characters[start..<end]).trimmingCharacters(in: .whitespaces)
                if !sentence.isEmpty { sentences.append(sentence) }
                start = nextStart
                index = nextStart
            } else {
                index = end
            }
        }
        let rest = String(characters[min(start, characters.count)...]).trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }
}
