/// "Did you mean …?" for a mistyped key, name or column: the one edit distance behind the spec
/// reader, the playbook reader and the CSV reader's column suggestions.
package enum NearestName {
    /// The allowed name closest to `name` by ``editDistance(_:_:)``, if it is within
    /// max(2, ⌊name length / 2⌋) edits; the first of equally close names in `allowed` order.
    /// For keys of a small, known vocabulary (spec and playbook keys).
    package static func closest(to name: String, among allowed: [String]) -> String? {
        let scored = allowed.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, name.count / 2) else { return nil }
        return best
    }

    /// Up to three candidates closest to `name`, nearest first (ties by name): those within a
    /// third of its length (at least 2 edits), or that contain it or are contained in it,
    /// case-insensitively. Stricter than ``closest(to:among:)`` because a CSV header is a large,
    /// open vocabulary where loose matches would mislead.
    package static func candidates(near name: String, among candidates: [String]) -> [String] {
        let limit = max(2, name.count / 3)
        let lower = name.lowercased()
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let distance = editDistance(name, candidate)
            let other = candidate.lowercased()
            if distance <= limit || (!lower.isEmpty && !other.isEmpty && (other.contains(lower) || lower.contains(other))) {
                return (candidate, distance)
            }
            return nil
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
    }

    /// Levenshtein distance over Unicode scalars, compared case-insensitively (insertions,
    /// deletions and substitutions each cost 1).
    package static func editDistance(_ a: String, _ b: String) -> Int {
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
