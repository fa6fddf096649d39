/// Jaro–Winkler similarity of two strings, in [0, 1] (1: equal).
///
/// Jaro (Jaro 1989): with `m` matching characters — equal characters no farther apart than
/// `⌊max(|a|, |b|) / 2⌋ − 1` — and `t` half the number of matched characters out of order,
/// `jaro = (m/|a| + m/|b| + (m − t)/m) / 3` (0 when `m = 0`). Winkler (1990) adds a bonus for
/// a common prefix of length `ℓ ≤ 4`: `jw = jaro + ℓ · 0.1 · (1 − jaro)`, applied when
/// `jaro > 0.7` (Winkler's boost threshold), as in jellyfish's `jaro_winkler_similarity`, which
/// the tests compare against. Compared by Unicode scalar; symmetric; two empty strings are 1.
package enum JaroWinkler {
    /// The prefix scale `p` (0.1, Winkler's value; `ℓ · p ≤ 1` needs `p ≤ 0.25`).
    package static let prefixScale = 0.1
    /// The longest common prefix that earns the bonus.
    package static let maxPrefix = 4
    /// Jaro scores at or below this get no prefix bonus.
    package static let boostThreshold = 0.7

    package static func similarity(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        let score = jaro(x, y)
        guard score > boostThreshold else { return score }
        var prefix = 0
        while prefix < min(maxPrefix, x.count, y.count) && x[prefix] == y[prefix] { prefix += 1 }
        return score + Double(prefix) * prefixScale * (1 - score)
    }

    /// The Jaro similarity alone.
    package static func jaro(_ a: String, _ b: String) -> Double {
        jaro(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func jaro(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Double {
        if x.isEmpty && y.isEmpty { return 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        let window = max(0, max(x.count, y.count) / 2 - 1)
        var xMatched = [Bool](repeating: false, count: x.count)
        var yMatched = [Bool](repeating: false, count: y.count)
        var matches = 0
        for i in x.indices {
            let low = max(0, i - window)
            let high = min(y.count - 1, i + window)
            guard low <= high else { continue }
            for j in low...high where !yMatched[j] && x[i] == y[j] {
                xMatched[i] = true
                yMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var outOfOrder = 0
        var k = 0
        for i in x.indices where xMatched[i] {
            while !yMatched[k] { k += 1 }
            if x[i] != y[k] { outOfOrder += 1 }
            k += 1
        }
        let m = Double(matches)
        let t = Double(outOfOrder / 2)
        return (m / Double(x.count) + m / Double(y.count) + (m - t) / m) / 3
    }
}
