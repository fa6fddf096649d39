/// Joins the chunks of one file, in file order, into a ``LeadTable``: numbers and codes are
/// concatenated, each later chunk's levels are re-coded into the first chunk's dictionary (so
/// levels stay in order of first appearance in the file), and line numbers of later chunks
/// are shifted by the lines before them.
enum ChunkMerge {
    static func table(_ chunks: [ChunkColumns], plan: ColumnPlan, file: String, header: [String],
                      delimiter: Delimiter, byteCount: Int) -> LeadTable {
        let rows = chunks.reduce(0) { $0 + $1.rows }
        let lineOfRow = [Int](unsafeUninitializedCapacity: rows) { out, count in
            var offset = 0
            var shift = 0
            for (index, chunk) in chunks.enumerated() {
                // A later chunk counted its lines from 1 at its first byte, which is the line
                // on which the previous chunk's cursor ended.
                if index > 0 { shift += chunks[index - 1].endLine - 1 }
                for row in 0..<chunk.rows { out[offset + row] = chunk.lines[row] + shift }
                offset += chunk.rows
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
                var missingCount = 0
                let values = concatenate(chunks, rows: rows) { $0.numberColumn(slot) }
                let missing = concatenate(chunks, rows: rows) { $0.missingColumn(slot) }
                for flag in missing where flag { missingCount += 1 }
                numeric[name] = NumericColumn(name: name, values: values, missing: missing, missingCount: missingCount)
            case let .text(name):
                var interner = chunks[0].interners[slot]
                let remaps: [[Int32]] = chunks.indices.map { index in
                    guard index > 0 else { return [] }
                    return chunks[index].interners[slot].levels.map { interner.code(of: $0) }
                }
                let codes = [Int32](unsafeUninitializedCapacity: rows) { out, count in
                    var offset = 0
                    for (index, chunk) in chunks.enumerated() {
                        let source = chunk.codeColumn(slot)
                        if index == 0 {
                            for row in 0..<chunk.rows { out[offset + row] = source[row] }
                        } else {
                            remaps[index].withUnsafeBufferPointer { remap in
                                for row in 0..<chunk.rows { out[offset + row] = remap[Int(source[row])] }
                            }
                        }
                        offset += chunk.rows
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
                var least: [UInt8]?
                var greatest: [UInt8]?
                for chunk in chunks {
                    if let low = chunk.least[slot] {
                        if let current = least {
                            if low.withUnsafeBufferPointer({ ChunkColumns.compare($0, current) }) < 0 { least = low }
                        } else {
                            least = low
                        }
                    }
                    if let high = chunk.greatest[slot] {
                        if let current = greatest {
                            if high.withUnsafeBufferPointer({ ChunkColumns.compare($0, current) }) > 0 { greatest = high }
                        } else {
                            greatest = high
                        }
                    }
                }
                bounds[name] = BoundsColumn(name: name, least: least.map { String(decoding: $0, as: UTF8.self) },
                                            greatest: greatest.map { String(decoding: $0, as: UTF8.self) })
            }
        }
        return LeadTable(file: file, header: header, delimiter: delimiter, rowCount: rows, lineOfRow: lineOfRow,
                         byteCount: byteCount, numericColumns: numeric, textColumns: text, rawColumns: raw, boundsColumns: bounds)
    }

    private static func concatenate<T>(_ chunks: [ChunkColumns], rows: Int,
                                       _ column: (ChunkColumns) -> UnsafeMutablePointer<T>) -> [T] {
        [T](unsafeUninitializedCapacity: rows) { out, count in
            var offset = 0
            guard let base = out.baseAddress else { return }
            for chunk in chunks {
                (base + offset).initialize(from: column(chunk), count: chunk.rows)
                offset += chunk.rows
            }
            count = rows
        }
    }
}
