import BatonSupport
import Dispatch

/// Joins the chunks of one file, in file order, into a ``LeadTable``: numbers and codes are
/// concatenated, each later chunk's levels are re-coded into the first chunk's dictionary (so
/// levels stay in order of first appearance in the file), and line numbers of later chunks
/// are shifted by the lines before them.
///
/// Chunks parsed in place in the table's storage (``TableStorage``) are not moved: their codes
/// and lines are rewritten where they are. Otherwise the table's storage is allocated here and
/// each chunk copied into it. Either way the work runs one task per chunk, on all cores.
enum ChunkMerge {
    static func table(
        _ chunks: [ChunkColumns], plan: ColumnPlan, file: String, header: [String],
        delimiter: Delimiter, byteCount: Int, storage parsedInto: TableStorage? = nil, spareNumericColumns: Int = 0
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
        // The parse's storage is the table's only when every chunk sits where it belongs (a
        // chunk that outgrew its count moved out, and the rows after it would be shifted): a
        // copy never reads and writes one storage.
        let inPlace =
            parsedInto?.rows == rows && chunks.indices.allSatisfy { chunks[$0].isInPlace(in: parsedInto, at: offsets[$0]) }
        let storage =
            inPlace
            ? parsedInto.unsafelyUnwrapped
            : TableStorage(
                rows: rows, numericCount: plan.numericCount, textCount: plan.textCount, spareNumericColumns: spareNumericColumns)
        let textSlots = plan.requested.compactMap { request, slot -> Int? in
            if case .text = request { return slot } else { return nil }
        }
        // Each later chunk's codes re-coded into the first chunk's dictionary (slot-indexed).
        var interners: [LevelInterner] = chunks[0].interners
        var remaps = [[[Int32]]](repeating: [], count: chunks.count)
        for index in chunks.indices.dropFirst() {
            remaps[index] = (0..<plan.textCount).map { slot in
                textSlots.contains(slot) ? chunks[index].interners[slot].levels.map { interners[slot].code(of: $0) } : []
            }
        }
        let numericCount = plan.numericCount
        forEachChunk(chunks, rows: rows) { index in
            let chunk = chunks[index]
            let offset = offsets[index]
            let count = chunk.rows
            if !inPlace {
                for slot in 0..<numericCount {
                    (storage.numbers + slot * rows + offset).initialize(from: chunk.numberColumn(slot), count: count)
                    (storage.missing + slot * rows + offset).initialize(from: chunk.missingColumn(slot), count: count)
                }
                for slot in textSlots {
                    (storage.codes + slot * rows + offset).initialize(from: chunk.codeColumn(slot), count: count)
                }
                (storage.lines + offset).initialize(from: chunk.lines, count: count)
            }
            if index > 0 {
                for slot in textSlots {
                    let target = storage.codes + slot * rows + offset
                    remaps[index][slot].withUnsafeBufferPointer { remap in
                        for row in 0..<count { target[row] = remap[Int(target[row])] }
                    }
                }
                let shift = shifts[index]
                let lines = storage.lines + offset
                for row in 0..<count { lines[row] += shift }
            }
        }
        var numeric: [String: NumericColumn] = [:]
        var numericSlots: [String: Int] = [:]
        var text: [String: TextColumn] = [:]
        var raw: [String: RawColumn] = [:]
        var bounds: [String: BoundsColumn] = [:]
        for (request, slot) in plan.requested {
            switch request {
            case let .numeric(name):
                numericSlots[name] = slot
                let missing = storage.missingColumn(slot)
                let missingCount = missing.withUnsafeBufferPointer { flags in flags.reduce(0) { $0 + ($1 ? 1 : 0) } }
                numeric[name] = NumericColumn(
                    name: name, values: storage.numberColumn(slot), missing: missing, missingCount: missingCount)
            case let .text(name):
                text[name] = TextColumn(name: name, codes: storage.codeColumn(slot), levels: interners[slot].levels)
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
            file: file, header: header, delimiter: delimiter, rowCount: rows, lineOfRow: storage.lineColumn(),
            byteCount: byteCount, numberBlock: storage.numberBlock(slotOfColumn: numericSlots), numericColumns: numeric,
            textColumns: text, rawColumns: raw, boundsColumns: bounds)
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
