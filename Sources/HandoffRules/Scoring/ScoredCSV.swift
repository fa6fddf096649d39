import Foundation

/// Writes batch scores as CSV bytes, formatted straight into reusable byte blocks on all cores: no
/// per-cell strings, no output-sized buffer.
///
/// Columns: the id column (when ids are given, under its name), `probability` (12 decimals),
/// `points`, `fit_points`, `engagement_points` (6 decimals), `stage` (empty when unknown),
/// `reason_1` … `reason_3` (empty when fewer). Text is quoted only when it holds `,`, `"` or a
/// line break. Reason texts are rendered once per distinct categorical level or numeric value.
public enum ScoredCSV {
    /// The whole CSV in one buffer (small outputs and the tests; `baton score` streams with
    /// ``write(scores:idColumn:ids:stages:blockRows:to:)``).
    public static func bytes(scores: BatchScores, idColumn: String?, ids: [String]?, stages: [QualificationStage]?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + scores.rowCount * 220)
        write(scores: scores, idColumn: idColumn, ids: ids, stages: stages) { out.append(contentsOf: $0) }
        return out
    }

    /// Formats the CSV in blocks of `blockRows` rows, one block per core at a time, each into a
    /// buffer of its own that is reused (so no output-sized buffer is ever touched), and hands
    /// the blocks to `sink` in row order, on the calling thread.
    /// - Throws: what `sink` throws; formatting stops there.
    public static func write(
        scores: BatchScores, idColumn: String?, ids: [String]?, stages: [QualificationStage]?, blockRows: Int = 16_384,
        to sink: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        var header: [UInt8] = []
        if let idColumn, ids != nil {
            appendText(idColumn, to: &header)
            header.append(0x2C)
        }
        header.append(contentsOf: Array("probability,points,fit_points,engagement_points,stage,reason_1,reason_2,reason_3\n".utf8))
        try header.withUnsafeBufferPointer { try sink($0) }
        let n = scores.rowCount
        guard n > 0 else { return }
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, (n + blockRows - 1) / blockRows))
        let formatters = (0..<lanes).map { _ in BlockFormatter(scores: scores, ids: ids, stages: stages, capacity: blockRows * 220) }
        var start = 0
        while start < n {
            // One round: each lane formats the next block; then the blocks go out in order.
            let round = start
            if lanes == 1 {
                formatters[0].format(rows: round..<min(n, round + blockRows))
            } else {
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    let from = min(n, round + lane * blockRows)
                    formatters[lane].format(rows: from..<min(n, from + blockRows))
                }
            }
            for formatter in formatters where !formatter.buffer.isEmpty {
                try formatter.buffer.withUnsafeBufferPointer { try sink($0) }
            }
            start += lanes * blockRows
        }
    }

    /// One lane's reusable buffer and reason cache.
    private final class BlockFormatter: @unchecked Sendable {
        let scores: BatchScores
        let ids: [String]?
        let stages: [QualificationStage]?
        let stageBytes = QualificationStage.allCases.map { Array($0.rawValue.utf8) }
        var cache: ReasonCache
        var buffer: [UInt8] = []

        init(scores: BatchScores, ids: [String]?, stages: [QualificationStage]?, capacity: Int) {
            self.scores = scores
            self.ids = ids
            self.stages = stages
            cache = ReasonCache(features: scores.plan.features.count)
            buffer.reserveCapacity(capacity)
        }

        func format(rows: Range<Int>) {
            buffer.removeAll(keepingCapacity: true)
            for i in rows {
                if let ids {
                    appendText(ids[i], to: &buffer)
                    buffer.append(0x2C)
                }
                appendFixed(scores.probability[i], decimals: 12, to: &buffer)
                buffer.append(0x2C)
                appendFixed(scores.points[i], decimals: 6, to: &buffer)
                buffer.append(0x2C)
                appendFixed(scores.fitPoints[i], decimals: 6, to: &buffer)
                buffer.append(0x2C)
                appendFixed(scores.engagementPoints[i], decimals: 6, to: &buffer)
                buffer.append(0x2C)
                if let stages { buffer.append(contentsOf: stageBytes[QualificationStage.allCases.firstIndex(of: stages[i]) ?? 0]) }
                for rank in 0..<3 {
                    buffer.append(0x2C)
                    cache.append(scores: scores, row: i, rank: rank, to: &buffer)
                }
                buffer.append(0x0A)
            }
        }
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
