/// "Did you mean …?" for a mistyped key or name: the one implementation for the modules that
/// see ScoringModelFormat (the spec reader here; the hand-off playbook reader can call it too).
public enum NearestName {
    /// The allowed name closest to `name` by ``editDistance(_:_:)``, if it is within
    /// max(2, ⌊name length / 2⌋) edits; the first of equally close names in `allowed` order.
    public static func closest(to name: String, among allowed: [String]) -> String? {
        let scored = allowed.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, name.count / 2) else { return nil }
        return best
    }

    /// Levenshtein distance over Unicode scalars, compared case-insensitively (insertions,
    /// deletions and substitutions each cost 1).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
