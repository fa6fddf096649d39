/// Writes batch scores as CSV bytes into one preallocated buffer: no per-cell strings.
///
/// Columns: the id column (when ids are given, under its name), `probability` (12 decimals),
/// `points`, `fit_points`, `engagement_points` (6 decimals), `stage` (empty when unknown),
/// `reason_1` … `reason_3` (empty when fewer). Text is quoted only when it holds `,`, `"` or a
/// line break. Reason texts are rendered once per distinct categorical level or numeric value.
public enum ScoredCSV {
    public static func bytes(scores: BatchScores, idColumn: String?, ids: [String]?, stages: [QualificationStage]?) -> [UInt8] {
        let n = scores.rowCount
        var out: [UInt8] = []
        out.reserveCapacity(64 + n * 220)
        if let idColumn, ids != nil {
            appendText(idColumn, to: &out)
            out.append(0x2C)
        }
        out.append(contentsOf: Array("probability,points,fit_points,engagement_points,stage,reason_1,reason_2,reason_3\n".utf8))
        let stageBytes = QualificationStage.allCases.map { Array($0.rawValue.utf8) }
        var cache = ReasonCache(features: scores.plan.features.count)
        for i in 0..<n {
            if let ids {
                appendText(ids[i], to: &out)
                out.append(0x2C)
            }
            appendFixed(scores.probability[i], decimals: 12, to: &out)
            out.append(0x2C)
            appendFixed(scores.points[i], decimals: 6, to: &out)
            out.append(0x2C)
            appendFixed(scores.fitPoints[i], decimals: 6, to: &out)
            out.append(0x2C)
            appendFixed(scores.engagementPoints[i], decimals: 6, to: &out)
            out.append(0x2C)
            if let stages { out.append(contentsOf: stageBytes[QualificationStage.allCases.firstIndex(of: stages[i]) ?? 0]) }
            for rank in 0..<3 {
                out.append(0x2C)
                cache.append(scores: scores, row: i, rank: rank, to: &out)
            }
            out.append(0x0A)
        }
        return out
    }

    /// Reason bytes by (feature, code) or (feature, value bits); the text depends on nothing else
    /// (a code, unlike a level, also tells an unseen value from the baseline it is scored as).
    struct ReasonCache {
        var byKey: [[UInt64: [UInt8]]]
        init(features: Int) { byKey = Array(repeating: [:], count: features) }

        mutating func append(scores: BatchScores, row: Int, rank: Int, to out: inout [UInt8]) {
            let f = Int(scores.topFeature[3 * row + rank])  // total: an Int32 feature index
            guard f >= 0 else { return }
            let key: UInt64
            if scores.plan.features[f].encoding.type == .categorical {
                key = UInt64(scores.codes[f][row])
            } else {
                key = scores.missing[f][row] ? UInt64.max : scores.rawValues[f][row].bitPattern
            }
            if let bytes = byKey[f][key] {
                out.append(contentsOf: bytes)
                return
            }
            var bytes: [UInt8] = []
            if let reason = scores.reason(row: row, rank: rank) { ScoredCSV.appendText(reason.text, to: &bytes) }
            byKey[f][key] = bytes
            out.append(contentsOf: bytes)
        }
    }

    /// A CSV field, quoted when needed.
    static func appendText(_ text: String, to out: inout [UInt8]) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(0x22)
        for byte in utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    /// `x` with exactly `decimals` digits after the point, rounded half away from zero;
    /// magnitudes too large for the integer path use Swift's shortest spelling.
    static func appendFixed(_ x: Double, decimals: Int, to out: inout [UInt8]) {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard x.isFinite, scaled < 9.0e18 else {
            out.append(contentsOf: Array("\(x)".utf8))
            return
        }
        var whole = UInt64(scaled)
        if x < 0 && whole != 0 { out.append(0x2D) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var count = 0
            repeat {
                digits[count] = 0x30 + UInt8(whole % 10)
                whole /= 10
                count += 1
            } while whole > 0
            while count <= decimals {
                digits[count] = 0x30
                count += 1
            }
            for k in stride(from: count - 1, through: decimals, by: -1) { out.append(digits[k]) }
            if decimals > 0 {
                out.append(0x2E)
                for k in stride(from: decimals - 1, through: 0, by: -1) { out.append(digits[k]) }
            }
        }
    }
}
