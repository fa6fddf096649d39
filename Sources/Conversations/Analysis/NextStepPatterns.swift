import Foundation

/// Next-step candidates: sentences that commit to an action, found by stated patterns (no model).
///
/// A sentence is a candidate when it holds
/// 1. a commitment: `I'll`, `I will`, `we'll`, `we will`, `let me`, `I can`, `we can` followed
///    within three words by an action verb (`send`, `share`, `follow up`, `set up`, `schedule`,
///    `book`, `forward`, `prepare`, `get back`, `loop in`, `introduce`, `call`, `review`, `sign`,
///    `confirm`, `draft`, `check`, `circle back`); or
/// 2. a proposal: `let's`, `let us`, `shall we`, `could we`, `can we`, `should we` followed within
///    three words by `meet`, `schedule`, `set up`, `book`, `talk`, `reconvene`, `catch up`,
///    `connect`, `follow up`, `review`, `call`, `demo`; or
/// 3. `next step` / `next steps`; or
/// 4. a date expression together with one of `meet`, `meeting`, `call`, `demo`, `send`, `decide`,
///    `decision`, `sign`, `review`, `deadline`, `due`.
/// Date expressions: weekday names (with `next`/`this`), `today`, `tomorrow`, `next week|month|quarter`,
/// `end of (the) week|month|quarter`, `in N days|weeks`, `within N days`, a month name with a day
/// (`15 March`, `March 15th`), an ISO date `2025-10-14`, `the 14th`. The first one found is
/// reported as the candidate's `when`, as written.
package enum NextStepPatterns {
    package struct Match: Sendable, Hashable {
        package var rule: String
        package var when: String?
    }

    package static func match(_ sentence: String) -> Match? {
        let words = WordStems.words(sentence).map { $0.word.replacingOccurrences(of: "’", with: "'") }
        let when = dateExpression(in: sentence)
        func follows(_ leads: [[String]], _ verbs: [[String]]) -> Bool {
            for index in words.indices {
                for lead in leads where index + lead.count <= words.count && Array(words[index..<(index + lead.count)]) == lead {
                    let after = index + lead.count
                    for offset in 0...3 {
                        for verb in verbs where after + offset + verb.count <= words.count {
                            if Array(words[(after + offset)..<(after + offset + verb.count)]) == verb { return true }
                        }
                    }
                }
            }
            return false
        }
        let commitments = [["i'll"], ["i", "will"], ["we'll"], ["we", "will"], ["let", "me"], ["i", "can"], ["we", "can"]]
        let actions = [
            ["send"], ["share"], ["follow", "up"], ["set", "up"], ["schedule"], ["book"], ["forward"], ["prepare"], ["get", "back"], ["loop", "in"],
            ["introduce"], ["call"], ["review"], ["sign"], ["confirm"], ["draft"], ["check"], ["circle", "back"],
        ]
        if follows(commitments, actions) { return Match(rule: "commitment", when: when) }
        let proposals = [["let's"], ["let", "us"], ["shall", "we"], ["could", "we"], ["can", "we"], ["should", "we"]]
        let meetings = [
            ["meet"], ["schedule"], ["set", "up"], ["book"], ["talk"], ["reconvene"], ["catch", "up"], ["connect"], ["follow", "up"], ["review"],
            ["call"], ["demo"],
        ]
        if follows(proposals, meetings) { return Match(rule: "proposal", when: when) }
        if follows([["next"]], [["step"], ["steps"]]) { return Match(rule: "next step", when: when) }
        let dated: Set<String> = ["meet", "meeting", "call", "demo", "send", "decide", "decision", "sign", "review", "deadline", "due"]
        if let when, words.contains(where: dated.contains) { return Match(rule: "dated action", when: when) }
        return nil
    }

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    /// The first date expression of the text, as written.
    package static func dateExpression(in text: String) -> String? {
        let words = WordStems.words(text)
        let lower = words.map(\.word)
        func span(_ from: Int, _ to: Int) -> String { String(text[words[from].range.lowerBound..<words[to].range.upperBound]) }
        for index in lower.indices {
            let word = lower[index]
            let next = index + 1 < lower.count ? lower[index + 1] : nil
            if weekdays.contains(word) {
                if index > 0, ["next", "this"].contains(lower[index - 1]) { return span(index - 1, index) }
                return span(index, index)
            }
            if word == "today" || word == "tomorrow" { return span(index, index) }
            if word == "next", let next, ["week", "month", "quarter"].contains(next) { return span(index, index + 1) }
            if word == "end", index + 2 < lower.count, lower[index + 1] == "of" {
                if ["week", "month", "quarter"].contains(lower[index + 2]) { return span(index, index + 2) }
                if lower[index + 2] == "the", index + 3 < lower.count, ["week", "month", "quarter"].contains(lower[index + 3]) {
                    return span(index, index + 3)
                }
            }
            if word == "in" || word == "within", index + 2 < lower.count, isCount(lower[index + 1]),
                ["day", "days", "week", "weeks"].contains(lower[index + 2])
            {
                return span(index, index + 2)
            }
            if months.contains(word) {
                if let next, dayNumber(next) { return span(index, index + 1) }
                if index > 0, dayNumber(lower[index - 1]) { return span(index - 1, index) }
            }
            if word.count == 4, Int(word) != nil, index + 2 < lower.count, text[words[index].range.upperBound...].hasPrefix("-"),
                lower[index + 1].count == 2, lower[index + 2].count == 2, Int(lower[index + 1]) != nil, Int(lower[index + 2]) != nil
            {
                return span(index, index + 2)
            }
            if word == "the", let next, dayNumber(next), next.count > 2 { return span(index, index + 1) }
        }
        return nil
    }

    private static func isCount(_ word: String) -> Bool {
        Int(word) != nil || ["a", "one", "two", "three", "four", "five", "six", "ten", "couple"].contains(word)
    }

    private static func dayNumber(_ word: String) -> Bool {
        let digits = word.prefix { $0.isNumber }
        guard let value = Int(digits), (1...31).contains(value) else { return false }
        let suffix = word.dropFirst(digits.count)
        return suffix.isEmpty || ["st", "nd", "rd", "th"].contains(String(suffix))
    }
}
