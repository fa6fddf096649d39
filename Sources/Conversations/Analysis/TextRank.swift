import Foundation

/// TextRank over sentences (Mihalcea & Tarau, "TextRank: Bringing Order into Texts", EMNLP 2004,
/// §4), computed as the Python `sumy` package's `TextRankSummarizer` computes it, so the two pick
/// the same sentences (checked in the tests):
///
/// - each sentence is its list of word stems without stop words;
/// - the similarity of sentences i and j is the paper's overlap
///   `Σ_{w ∈ Sᵢ} count(w in Sⱼ) / (ln|Sᵢ| + ln|Sⱼ|)` (1 when both logs are 0; 0 with no overlap),
///   for every pair **including i = j** (sumy keeps each sentence's overlap with itself, the paper
///   has no self-loops; it raises every sentence's weight by its own length term);
/// - each row is divided by its sum + 10⁻⁷, damped `M = (1 − d)/n + d·W` with d = 0.85;
/// - the power method from the uniform vector, `p ← Mᵀp`, until the Euclidean change is ≤ 10⁻⁴.
/// The best `count` sentences by rank are returned in text order; equal ranks keep text order.
package enum TextRank {
    package static let damping = 0.85
    package static let epsilon = 1e-4

    /// Ranks of each sentence (the stationary vector).
    package static func ranks(_ sentences: [[String]]) -> [Double] {
        let n = sentences.count
        guard n > 0 else { return [] }
        var weights = [Double](repeating: 0, count: n * n)
        // Each sentence's word counts once, not once per pair (up to n² dictionaries otherwise).
        let counts = sentences.map(wordCounts)
        for i in 0..<n {
            for j in i..<n {
                let rating = similarity(sentences[i], counts[j], length: sentences[j].count)
                weights[i * n + j] = rating
                weights[j * n + i] = rating
            }
        }
        let teleport = (1 - damping) / Double(n)
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<n { sum += weights[i * n + j] }
            let scale = 1 / (sum + 1e-7)
            for j in 0..<n { weights[i * n + j] = teleport + damping * weights[i * n + j] * scale }
        }
        var p = [Double](repeating: 1 / Double(n), count: n)
        // The chain is irreducible and aperiodic (teleport > 0): the iteration converges; the cap
        // only bounds the work on pathological input.
        for _ in 0..<10_000 {
            var next = [Double](repeating: 0, count: n)
            for i in 0..<n where p[i] != 0 {
                let weight = p[i]
                for j in 0..<n { next[j] += weights[i * n + j] * weight }
            }
            var change = 0.0
            for j in 0..<n { change += (next[j] - p[j]) * (next[j] - p[j]) }
            p = next
            if change.squareRoot() <= epsilon { break }
        }
        return p
    }

    /// Indices of the best `count` sentences, in text order.
    package static func best(_ sentences: [[String]], count: Int) -> [Int] {
        let ranks = ranks(sentences)
        let order = ranks.indices.sorted { ranks[$0] != ranks[$1] ? ranks[$0] > ranks[$1] : $0 < $1 }
        return Array(order.prefix(max(0, count))).sorted()
    }

    /// Occurrences of each word in a sentence.
    static func wordCounts(_ sentence: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for word in sentence { counts[word, default: 0] += 1 }
        return counts
    }

    /// The similarity of `a` and a sentence of `length` words whose word counts are `counts`.
    static func similarity(_ a: [String], _ counts: [String: Int], length: Int) -> Double {
        var overlap = 0
        for word in a { overlap += counts[word] ?? 0 }
        guard overlap > 0 else { return 0 }
        let norm = log(Double(a.count)) + log(Double(length))
        return abs(norm) < 1e-8 ? Double(overlap) : Double(overlap) / norm
    }

    /// English stop words left out of the similarity (function words that say nothing of the topic).
    package static let stopWords: Set<String> = [
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being",
        "both", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "having", "he", "her", "here",
        "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "more", "most", "my", "no", "not", "now", "of", "off",
        "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than",
        "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
        "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
        "yours", "i'm", "i'll", "we'll", "we're", "it's", "don't", "that's", "let's", "you're",
    ]

    /// A sentence as TextRank reads it: lower-cased words without stop words, stemmed (``WordStems``).
    package static func terms(_ sentence: String) -> [String] {
        WordStems.words(sentence).map(\.word).filter { !stopWords.contains($0) }.map(WordStems.stem)
    }
}
