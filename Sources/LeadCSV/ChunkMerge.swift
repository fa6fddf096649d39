import BatonSupport
import Dispatch

/// Joins the chunks of one file, in file order, into a ``LeadTable``: numbers and codes are
/// concatenated, each later chunk's levels are re-coded into the first chunk's dictionary (so
/// levels stay in order of first appearance in the file), and line numbers of later chunks
/// are shifted by the lines before them. Each column's chunks are copied concurrently (one
/// task per chunk), so the merge, which only moves memory, runs on all cores like the parse.
enum ChunkMerge {
    static func table(
        _ chunks: [ChunkColumns], plan: ColumnPlan, file: String, header: [String],
        delimiter: Delimiter, byteCount: Int
    ) -> LeadTable {
        let rows = chunks.reduce(0) { $0 + $1.rows }
        var offsets: [Int] = [0]
        var shifts: [Int] = [0]
        for (index, chunk) in chunks.enumerated() {
            offsets.append(offsets[index] + chunk.rows)
            // A later chunk counted its lines from 1 at its first byte, which is the line on
            // which the previous chunk's cursor ended.
            shifts.append(shifts[index] + chunk.endLine - 1)
        }
        let lineOfRow = [Int](unsafeUninitializedCapacity: rows) { out, count in
            HugePages.advise(out)
            forEachChunk(chunks, rows: rows) { index in
                let chunk = chunks[index]
                let target = out.baseAddress.unsafelyUnwrapped + offsets[index]
                let shift = shifts[index]
                for row in 0..<chunk.rows { target[row] = chunk.lines[row] + shift }
            }
            count = rows
        }
        var numeric: [String: NumericColumn] = [:]
        var text: [String: TextColumn] = [:]
        var raw: [String: RawColumn] = [:]
        var bounds: [String: BoundsColumn] = [:]
        for (request, slot) in plan.requested {
            switch request {
            case let .numeric(name):
                let values = concatenate(chunks, offsets: offsets) { $0.numberColumn(slot) }
                let missing = concatenate(chunks, offsets: offsets) { $0.missingColumn(slot) }
                var missingCount = 0
                for flag in missing where flag { missingCount += 1 }
                numeric[name] = NumericColumn(name: name, values: values, missing: missing, missingCount: missingCount)
            case let .text(name):
                var interner = chunks[0].interners[slot]
                let remaps: [[Int32]] = chunks.indices.map { index in
                    guard index > 0 else { return [] }
                    return chunks[index].interners[slot].levels.map { interner.code(of: $0) }
                }
                let codes = [Int32](unsafeUninitializedCapacity: rows) { out, count in
                    HugePages.advise(out)
                    forEachChunk(chunks, rows: rows) { index in
                        let chunk = chunks[index]
                        let source = chunk.codeColumn(slot)
                        let target = out.baseAddress.unsafelyUnwrapped + offsets[index]
                        if index == 0 {
                            target.initialize(from: source, count: chunk.rows)
                        } else {
                            remaps[index].withUnsafeBufferPointer { remap in
                                for row in 0..<chunk.rows { target[row] = remap[Int(source[row])] }
                            }
                        }
                    }
                    count = rows
                }
                text[name] = TextColumn(name: name, codes: codes, levels: interner.levels)
            case let .raw(name):
                var values: [String] = []
                values.reserveCapacity(rows)
                for chunk in chunks { values.append(contentsOf: chunk.raw[slot]) }
                raw[name] = RawColumn(name: name, values: values)
            case let .bounds(name):
                var least: ByteSpan?
                var greatest: ByteSpan?
                for chunk in chunks {
                    if let low = chunk.least[slot], least.map({ ByteSpan.compare(low, $0) < 0 }) ?? true { least = low }
                    if let high = chunk.greatest[slot], greatest.map({ ByteSpan.compare(high, $0) > 0 }) ?? true { greatest = high }
                }
                bounds[name] = BoundsColumn(name: name, least: least?.text, greatest: greatest?.text)
            }
        }
        return LeadTable(
            file: file, header: header, delimiter: delimiter, rowCount: rows, lineOfRow: lineOfRow,
            byteCount: byteCount, numericColumns: numeric, textColumns: text, rawColumns: raw, boundsColumns: bounds)
    }

    private static func concatenate<T>(
        _ chunks: [ChunkColumns], offsets: [Int],
        _ column: (ChunkColumns) -> UnsafeMutablePointer<T>
    ) -> [T] {
        let rows = offsets[chunks.count]
        return [T](unsafeUninitializedCapacity: rows) { out, count in
            HugePages.advise(out)
            forEachChunk(chunks, rows: rows) { index in
                (out.baseAddress.unsafelyUnwrapped + offsets[index]).initialize(from: column(chunks[index]), count: chunks[index].rows)
            }
            count = rows
        }
    }

    /// Runs `body` for every chunk index: concurrently when there are several chunks and
    /// enough rows to be worth a thread hand-off. Each call writes only its own chunk's part.
    private static func forEachChunk(_ chunks: [ChunkColumns], rows: Int, _ body: (Int) -> Void) {
        if chunks.count > 1, rows >= 1 << 15 {
            withoutActuallyEscaping(body) { body in
                // Each iteration writes a disjoint part, and all finish before this returns.
                let task = ChunkTask(body)
                DispatchQueue.concurrentPerform(iterations: chunks.count) { task.body($0) }
            }
        } else {
            for index in chunks.indices { body(index) }
        }
    }
}

private final class ChunkTask: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}
