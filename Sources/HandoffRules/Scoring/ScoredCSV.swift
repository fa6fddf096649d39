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

    /// The header line, with the id column first when `idColumn` is given.
    public static func header(idColumn: String?) -> [UInt8] {
        var header: [UInt8] = []
        if let idColumn {
            appendText(idColumn, to: &header)
            header.append(0x2C)
        }
        header.append(contentsOf: Array("probability,points,fit_points,engagement_points,stage,reason_1,reason_2,reason_3\n".utf8))
        return header
    }

    /// Formats the CSV in blocks of `blockRows` rows, one block per core at a time, each into a
    /// buffer of its own that is reused (so no output-sized buffer is ever touched), and hands
    /// the blocks to `sink` in row order, on the calling thread.
    /// - Parameter includeHeader: false for the rows alone (a part of a file written part by part).
    /// - Throws: what `sink` throws; formatting stops there.
    public static func write(
        scores: BatchScores, idColumn: String?, ids: [String]?, stages: [QualificationStage]?, blockRows: Int = 16_384,
        includeHeader: Bool = true, to sink: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        if includeHeader {
            try header(idColumn: ids == nil ? nil : idColumn).withUnsafeBufferPointer { try sink($0) }
        }
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
            for formatter in formatters where formatter.block.count > 0 {
                try sink(formatter.block.bytes)
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
        let categorical: [Bool]
        var cache: ReasonCache
        var block: ByteBlock

        init(scores: BatchScores, ids: [String]?, stages: [QualificationStage]?, capacity: Int) {
            self.scores = scores
            self.ids = ids
            self.stages = stages
            categorical = scores.plan.features.map { $0.encoding.type == .categorical }
            cache = ReasonCache(features: scores.plan.features.count)
            block = ByteBlock(capacity: capacity)
        }

        deinit { block.deallocate() }

        func format(rows: Range<Int>) {
            // Locals, not the stored properties, in the row loop: no exclusivity check per access.
            var out = block
            var cache = self.cache
            defer {
                block = out
                self.cache = cache
            }
            out.count = 0
            let stageIndex = stages.map { stages in
                rows.map { UInt8(QualificationStage.allCases.firstIndex(of: stages[$0]) ?? 0) }
            }
            for i in rows {
                if let ids {
                    ScoredCSV.appendText(ids[i], to: &out)
                    out.append(0x2C)
                }
                ScoredCSV.appendFixed(scores.probability[i], decimals: 12, to: &out)
                out.append(0x2C)
                ScoredCSV.appendFixed(scores.points[i], decimals: 6, to: &out)
                out.append(0x2C)
                ScoredCSV.appendFixed(scores.fitPoints[i], decimals: 6, to: &out)
                out.append(0x2C)
                ScoredCSV.appendFixed(scores.engagementPoints[i], decimals: 6, to: &out)
                out.append(0x2C)
                if let stageIndex { out.append(stageBytes[Int(stageIndex[i - rows.lowerBound])]) }
                for rank in 0..<3 {
                    out.append(0x2C)
                    cache.append(scores: scores, categorical: categorical, row: i, rank: rank, to: &out)
                }
                out.append(0x0A)
            }
        }
    }

    /// Reason bytes by (feature, code) or (feature, value bits); the text depends on nothing else
    /// (a code, unlike a level, also tells an unseen value from the baseline it is scored as).
    /// Each text is rendered once, into one arena; a categorical feature finds it by code in an
    /// array, a numeric one by the value's bits in an open-addressing table.
    struct ReasonCache {
        /// Rendered texts, back to back; an entry is (offset, length) into it.
        private var arena: [UInt8] = []
        private var entries: [(offset: Int, count: Int)] = []
        /// Per feature: entry by code (−1 = not rendered yet), for categorical features.
        private var byCode: [[Int32]]
        /// Per feature: open-addressing table of (value bits, entry), for numeric features.
        private var byValue: [ValueTable]

        init(features: Int) {
            byCode = Array(repeating: [], count: features)
            byValue = Array(repeating: ValueTable(), count: features)
        }

        mutating func append(scores: BatchScores, categorical: [Bool], row: Int, rank: Int, to out: inout ByteBlock) {
            let f = Int(scores.topFeature[3 * row + rank])  // total: an Int32 feature index
            guard f >= 0 else { return }
            let entry: Int
            if categorical[f] {
                let code = Int(scores.codes[f][row])
                if code < byCode[f].count, byCode[f][code] >= 0 {
                    entry = Int(byCode[f][code])
                } else {
                    entry = render(scores: scores, row: row, rank: rank)
                    if code >= byCode[f].count { byCode[f] += Array(repeating: -1, count: code + 1 - byCode[f].count) }
                    byCode[f][code] = Int32(entry)
                }
            } else {
                let key = scores.missing[f][row] ? UInt64.max : scores.rawValues[f][row].bitPattern
                if let found = byValue[f].find(key) {
                    entry = found
                } else {
                    entry = render(scores: scores, row: row, rank: rank)
                    byValue[f].insert(key, entry: entry)
                }
            }
            let (offset, count) = entries[entry]
            arena.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        }

        private mutating func render(scores: BatchScores, row: Int, rank: Int) -> Int {
            var bytes: [UInt8] = []
            if let reason = scores.reason(row: row, rank: rank) { ScoredCSV.appendText(reason.text, to: &bytes) }
            entries.append((arena.count, bytes.count))
            arena += bytes
            return entries.count - 1
        }
    }

    /// Value bits → entry, open addressing with linear probing, at most half full.
    struct ValueTable {
        private var keys: [UInt64] = []
        private var values: [Int32] = []
        private var used: [Bool] = []
        private var filled = 0

        func find(_ key: UInt64) -> Int? {
            guard !keys.isEmpty else { return nil }
            let mask = keys.count - 1
            var slot = Self.slot(key, mask: mask)
            while used[slot] {
                if keys[slot] == key { return Int(values[slot]) }
                slot = (slot + 1) & mask
            }
            return nil
        }

        mutating func insert(_ key: UInt64, entry: Int) {
            if 2 * (filled + 1) > keys.count { rehash(capacity: max(16, 2 * keys.count)) }
            let mask = keys.count - 1
            var slot = Self.slot(key, mask: mask)
            while used[slot] { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = Int32(entry)
            used[slot] = true
            filled += 1
        }

        private mutating func rehash(capacity: Int) {
            let old = (keys, values, used)
            keys = Array(repeating: 0, count: capacity)
            values = Array(repeating: 0, count: capacity)
            used = Array(repeating: false, count: capacity)
            filled = 0
            for slot in old.0.indices where old.2[slot] { insert(old.0[slot], entry: Int(old.1[slot])) }
        }

        /// Fibonacci hashing: the high bits of the product, where the key's bits are mixed.
        private static func slot(_ key: UInt64, mask: Int) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        }
    }

    /// A growable byte buffer written through a raw pointer: one capacity check per piece, no
    /// per-byte uniqueness check. Owned by one formatter, which deallocates it.
    struct ByteBlock {
        private(set) var base: UnsafeMutablePointer<UInt8>
        var count = 0
        private(set) var capacity: Int

        init(capacity: Int) {
            self.capacity = max(64, capacity)
            base = .allocate(capacity: self.capacity)
        }

        var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

        func deallocate() { base.deallocate() }

        /// Room for `extra` more bytes.
        @inline(__always) mutating func reserve(_ extra: Int) {
            guard count + extra > capacity else { return }
            let grown = max(2 * capacity, count + extra)
            let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            fresh.initialize(from: base, count: count)
            base.deallocate()
            base = fresh
            capacity = grown
        }

        @inline(__always) mutating func append(_ byte: UInt8) {
            reserve(1)
            base[count] = byte
            count += 1
        }

        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress, bytes.count > 0 else { return }
            reserve(bytes.count)
            (base + count).initialize(from: source, count: bytes.count)
            count += bytes.count
        }

        mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }
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

    /// ``appendText(_:to:)-([UInt8])`` into a block, reading the text's bytes in place.
    static func appendText(_ text: String, to out: inout ByteBlock) {
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                var quoted: [UInt8] = []
                appendText(String(decoding: bytes, as: UTF8.self), to: &quoted)
                out.append(quoted)
                return
            }
            out.append(bytes)
        }
    }

    /// `x` with exactly `decimals` digits after the point, rounded half away from zero;
    /// magnitudes too large for the integer path use Swift's shortest spelling.
    static func appendFixed(_ x: Double, decimals: Int, to out: inout [UInt8]) {
        var block = ByteBlock(capacity: 64)
        defer { block.deallocate() }
        appendFixed(x, decimals: decimals, to: &block)
        out.append(contentsOf: block.bytes)
    }

    /// Powers of ten that are exact doubles and fit a UInt64 (10⁰ … 10¹⁵).
    private static let powersOfTen: [Double] = (0...15).map { exponent in
        var power = 1.0
        for _ in 0..<exponent { power *= 10 }
        return power
    }

    /// ``appendFixed(_:decimals:to:)-([UInt8])`` into a block: the digits are written backwards,
    /// two per division by 100, into a small window, then moved into place.
    static func appendFixed(_ x: Double, decimals: Int, to out: inout ByteBlock) {
        precondition(decimals >= 0 && decimals < powersOfTen.count, "ScoredCSV.appendFixed: 0…15 decimals")
        let scaled = (abs(x) * powersOfTen[decimals]).rounded()
        guard x.isFinite, scaled < 9.0e18 else {
            out.append(Array("\(x)".utf8))
            return
        }
        var whole = UInt64(scaled)
        let negative = x < 0 && whole != 0
        // At most 19 digits, a point and a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { window in
            guard let base = window.baseAddress else { return }
            var position = 24
            @inline(__always) func pair(_ value: UInt64) {
                let r = UInt8(truncatingIfNeeded: value)
                position &-= 2
                base[position] = 0x30 &+ r / 10
                base[position &+ 1] = 0x30 &+ r % 10
            }
            var fraction = decimals
            while fraction >= 2 {
                pair(whole % 100)
                whole /= 100
                fraction &-= 2
            }
            if fraction == 1 {
                position &-= 1
                base[position] = 0x30 &+ UInt8(truncatingIfNeeded: whole % 10)
                whole /= 10
            }
            if decimals > 0 {
                position &-= 1
                base[position] = 0x2E
            }
            while whole >= 10 {
                pair(whole % 100)
                whole /= 100
            }
            if whole > 0 || base[position] == 0x2E || position == 24 {
                position &-= 1
                base[position] = 0x30 &+ UInt8(truncatingIfNeeded: whole)
            }
            if negative {
                position &-= 1
                base[position] = 0x2D
            }
            out.append(UnsafeBufferPointer(start: base + position, count: 24 &- position))
        }
    }
}
