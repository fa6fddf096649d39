import Foundation

/// Words of a text and their light stems, the unit tracker phrases are matched on.
///
/// Words are maximal runs of letters and digits (an apostrophe or hyphen between two letters
/// stays inside the word: `don't`, `follow-up`), compared lower-cased. The stemmer is
/// deliberately light, one suffix per word, so a phrase matches its plural and verb forms without
/// merging unrelated words:
/// 1. a trailing `'s` is dropped;
/// 2. the first suffix of `ies`→`y`, `ions`, `ion`, `ings`, `ing`, `ed`, `es`, `s` (not after `s`:
///    `class`) whose removal leaves at least 3 characters is removed;
/// 3. then a final `e` is dropped from a stem of 4 or more characters.
/// So `price`, `prices`, `priced`, `pricing` → `pric`; `integrate`, `integrated`, `integration` →
/// `integrat`; `budget`, `budgets`, `budgeting` → `budget`. Known misses: irregular forms (`went`),
/// and pairs the one-suffix rule splits (`speed` → `spe` but `speeds` → `speed`).
package enum WordStems {
    /// The words of `text` with their character offsets.
    package static func words(_ text: String) -> [(word: String, range: Range<String.Index>)] {
        var words: [(String, Range<String.Index>)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isLetter || text[index].isNumber else {
                index = text.index(after: index)
                continue
            }
            let start = index
            while index < text.endIndex {
                let character = text[index]
                if character.isLetter || character.isNumber {
                    index = text.index(after: index)
                } else if character == "'" || character == "’" || character == "-", text.index(after: index) < text.endIndex,
                    text[text.index(after: index)].isLetter, text[text.index(before: index)].isLetter
                {
                    index = text.index(after: index)
                } else {
                    break
                }
            }
            words.append((text[start..<index].lowercased(), start..<index))
        }
        return words
    }

    /// The stem of one lower-cased word (see the type's rules).
    package static func stem(_ word: String) -> String {
        var w = word.replacingOccurrences(of: "’", with: "'")
        if w.hasSuffix("'s") { w.removeLast(2) }
        let suffixes: [(String, String)] = [
            ("ies", "y"), ("ions", ""), ("ion", ""), ("ings", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""),
        ]
        for (suffix, replacement) in suffixes where w.hasSuffix(suffix) && w.count - suffix.count >= 3 {
            if suffix == "s", w.hasSuffix("ss") { break }
            if suffix == "es", !(w.hasSuffix("ses") || w.hasSuffix("xes") || w.hasSuffix("zes") || w.hasSuffix("ches") || w.hasSuffix("shes")) {
                w.removeLast(1)  // `prices` → `price`: only the `s`
                break
            }
            w = String(w.dropLast(suffix.count)) + replacement
            break
        }
        if w.count >= 4, w.hasSuffix("e") { w.removeLast() }
        return w
    }
}
