import Foundation
import TestSupport
import Testing

@testable import LeadCSV

/// The file cut into chunks parsed on several cores must give exactly the one-core table.
@Suite struct ParallelParseTests {
    static let columns: [ColumnRequest] = [.raw("note"), .numeric("n"), .text("kind"), .numeric("x")]

    /// Everything a chunk cut could get wrong: quoted line breaks (LF, CRLF, CR), quoted
    /// delimiters, doubled quotes, a quote inside an unquoted field (literal text), blank
    /// lines, missing numbers, CRLF row ends, levels first seen late in the file.
    static let trickyRows = [
        "\"a\nb\",1,red,0.5",
        "\"x,y\",2,blue,",
        "\"say \"\"hi\"\"\",3,red,1e3",
        "5 \"inch\" screen,4,green,-2",
        "\"\"\"\",5,red,7",
        "\"multi\r\nline\r\ncell\",6,blue,8",
        "\"lone\rcr\",7,violet,9",
        "plain,8,red,10",
        "\"\",9, red ,11",
        "\"ends with quote\"\"\",10,teal,12",
    ]

    static func csv(rows: [String], lineEnds: [String]) -> String {
        var text = "note,n,kind,x\n"
        for (index, row) in rows.enumerated() { text += row + lineEnds[index % lineEnds.count] }
        return text
    }

    func expectSame(_ text: String, parts: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let serial = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: 1)
        let parallel = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: parts)
        #expect(parallel.rowCount == serial.rowCount, sourceLocation: sourceLocation)
        #expect(parallel.lineOfRow == serial.lineOfRow, sourceLocation: sourceLocation)
        #expect(parallel.raw("note") == serial.raw("note"), sourceLocation: sourceLocation)
        #expect(parallel.numeric("n") == serial.numeric("n"), sourceLocation: sourceLocation)
        #expect(parallel.numeric("x") == serial.numeric("x"), sourceLocation: sourceLocation)
        #expect(parallel.text("kind") == serial.text("kind"), sourceLocation: sourceLocation)
    }

    @Test func trickyQuotedInputEqualsSerialAtEveryCutCount() throws {
        let text = Self.csv(rows: Self.trickyRows + Self.trickyRows.reversed(), lineEnds: ["\n", "\r\n", "\n\n", "\r"])
        let serial = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: 1)
        #expect(serial.rowCount == 20)
        #expect(serial.raw("note").values[0] == "a\nb")
        #expect(serial.raw("note").values[3] == "5 \"inch\" screen")
        #expect(serial.text("kind").levels == ["red", "blue", "green", "violet", "teal"])
        for parts in 2...12 { try expectSame(text, parts: parts) }
    }

    @Test func cutTargetInsideAQuotedMultiLineFieldMovesPastIt() throws {
        // One huge quoted cell with many line breaks spans the middle of the file: a cut at the
        // first line end after the midpoint would land inside it.
        let inner = String(repeating: "line, with \"\"quotes\"\"\n", count: 200)
        let rows = ["a,1,red,1", "\"\(inner)\",2,blue,2", "b,3,red,3"]
        let text = Self.csv(rows: rows, lineEnds: ["\n"])
        let table = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: 2)
        #expect(table.rowCount == 3)
        #expect(table.raw("note").values[1] == inner.replacingOccurrences(of: "\"\"", with: "\""))
        #expect(table.lineOfRow == [2, 3, 204])
        for parts in 2...9 { try expectSame(text, parts: parts) }
    }

    @Test func cutsAreRowStarts() {
        // Build the file while noting the byte offset where each row starts.
        var bytes = Array("note,n,kind,x\n".utf8)
        let start = bytes.count
        var rowStarts: Set<Int> = []
        for row in Self.trickyRows + Self.trickyRows {
            rowStarts.insert(bytes.count)
            bytes += Array((row + "\r\n").utf8)
        }
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for parts in 2...30 {
                let ranges = ChunkSplitter.ranges(base: base, start: start, end: bytes.count, parts: parts, delimiter: 0x2C)
                #expect(ranges.first?.lowerBound == start)
                #expect(ranges.last?.upperBound == bytes.count)
                for (a, b) in zip(ranges, ranges.dropFirst()) {
                    #expect(a.upperBound == b.lowerBound)
                    #expect(rowStarts.contains(b.lowerBound), "cut at \(b.lowerBound) is not a row start")
                }
            }
        }
    }

    @Test func randomFilesEqualSerial() throws {
        var random = SplitMix64(seed: 0x5EED)
        let notes = ["plain", "\"q,uo\"\"te\"", "\"new\nline\"", "", "\"\"", "x\"y", "\"cr\rlf\r\n\"", " spaced "]
        let kinds = ["a", "b", " c", "\"d\"", "e,", "f"].map { $0.hasSuffix(",") ? "\"\($0)\"" : $0 }
        let numbers = ["1", "-2.5", "", " 3 ", "1e-3", "\"4\"", "0.000001"]
        for _ in 0..<40 {
            let count = Int(random.next() % 60) + 1
            var rows: [String] = []
            for _ in 0..<count {
                let pick = { (pool: [String]) in pool[Int(random.next() % UInt64(pool.count))] }
                rows.append([pick(notes), pick(numbers), pick(kinds), pick(numbers)].joined(separator: ","))
            }
            let ends = ["\n", "\r\n", "\r", "\n\n"]
            let text = Self.csv(rows: rows, lineEnds: (0..<5).map { _ in ends[Int(random.next() % 4)] })
            for parts in [2, 3, 5, 8] { try expectSame(text, parts: parts) }
        }
    }

    @Test func errorInALaterChunkNamesTheSameLineAsSerial() throws {
        var rows = (0..<50).map { "r\($0),\($0),red,1" }
        rows[41] = "r41,forty-one,red,1"
        let text = Self.csv(rows: rows, lineEnds: ["\n"])
        let expected = LeadTableError.notANumber(file: "t.csv", line: 43, column: "n", value: "forty-one")
        #expect(throws: expected) {
            try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: 1)
        }
        for parts in 2...6 {
            #expect(throws: expected) {
                try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: parts)
            }
        }
    }

    @Test func largeFileTakesTheParallelPathAndMatchesSerial() throws {
        var text = "note,n,kind,x\n"
        var index = 0
        while text.utf8.count < LeadTableReader.parallelThreshold + 1000 {
            text += "\"row \(index)\nsecond line\",\(index),k\(index % 7),\(Double(index) / 8)\n"
            index += 1
        }
        let automatic = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns)
        let serial = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: 1)
        #expect(automatic.rowCount == index)
        #expect(automatic.lineOfRow == serial.lineOfRow)
        #expect(automatic.lineOfRow.last == 2 * index)
        #expect(automatic.numeric("n") == serial.numeric("n"))
        #expect(automatic.text("kind") == serial.text("kind"))
        #expect(automatic.raw("note") == serial.raw("note"))
    }
}

/// Files without quotes or CRs are counted before they are parsed, and each chunk parses
/// straight into its rows of the table (``TableStorage``): the table must be the one-core one,
/// the counts exact, and a chunk that finds more rows than counted must still land right.
@Suite struct InPlaceParseTests {
    static let columns: [ColumnRequest] = [.raw("note"), .numeric("n"), .text("kind"), .numeric("x")]

    /// Random rows with blank lines, missing numbers and levels first seen late; the last line
    /// with or without its line feed.
    static func file(seed: UInt64, rows: Int) -> String {
        var random = SplitMix64(seed: seed)
        let kinds = ["red", "blue", "a level longer than sixteen bytes", " padded ", "ünïcödé", ""]
        var text = "note,n,kind,x\n"
        for row in 0..<rows {
            let late = row > rows / 2 && random.next() % 7 == 0 ? "late\(row % 5)" : kinds[Int(random.next() % UInt64(kinds.count))]
            let x = random.next() % 5 == 0 ? "" : String(Double(Int(random.next() % 2000)) / 8 - 100)
            text += "note \(row),\(random.next() % 1000),\(late),\(x)"
            if row < rows - 1 || random.next() % 2 == 0 { text += random.next() % 9 == 0 ? "\n\n" : "\n" }
        }
        return text
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func countsAreTheParsersRows(seed: UInt64) throws {
        let text = Self.file(seed: seed, rows: 500 + Int(seed) * 37)
        let bytes = Array(text.utf8)
        let serial = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: 1)
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let start = Array("note,n,kind,x\n".utf8).count
            #expect(RowCounter.rows(base: base, range: start..<bytes.count) == serial.rowCount)
            for parts in 2...9 {
                let ranges = ChunkSplitter.ranges(base: base, start: start, end: bytes.count, parts: parts, delimiter: 0x2C)
                let counts = ranges.map { RowCounter.rows(base: base, range: $0) }
                #expect(counts.reduce(0) { $0 + ($1 ?? -1_000_000) } == serial.rowCount, "parts \(parts)")
            }
        }
        for parts in 2...9 {
            let parallel = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: parts)
            #expect(parallel.lineOfRow == serial.lineOfRow, "parts \(parts)")
            #expect(parallel.raw("note") == serial.raw("note"), "parts \(parts)")
            #expect(parallel.numeric("n") == serial.numeric("n"), "parts \(parts)")
            #expect(parallel.numeric("x") == serial.numeric("x"), "parts \(parts)")
            #expect(parallel.text("kind") == serial.text("kind"), "parts \(parts)")
        }
    }

    @Test func aQuoteOrACarriageReturnIsNotCounted() {
        for text in ["a,1\n\"b\",2\n", "a,1\r\nb,2\r\n", "a,1\nb,2\rc,3\n", "a,\"1\"\n"] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { #expect(RowCounter.rows(base: $0.baseAddress!, range: 0..<bytes.count) == nil, "\(text)") }
        }
        for (text, rows) in [("", 0), ("\n\n", 0), ("a", 1), ("a\n\nb", 2), ("\na,1\n", 1), ("a,1\nb,2\n\n\nc,3", 3)] {
            let bytes = Array(text.utf8) + [0]  // an address even when empty
            bytes.withUnsafeBufferPointer { #expect(RowCounter.rows(base: $0.baseAddress!, range: 0..<(bytes.count - 1)) == rows, "\(text)") }
        }
    }

    /// Ranges of many thousand bytes, where the per-lane row counts are folded every 255 words:
    /// the count is every non-empty line's, and a quote or CR anywhere (first byte, a fold
    /// boundary, the eight-byte tail) still gives nil.
    @Test(arguments: [5, 6, 7] as [UInt64]) func longRangesCountEveryRowAndStillSeeAQuote(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        var rows = 0
        while bytes.count < 40_000 {
            let length = Int(random.next() % 40)
            if length > 0 { rows += 1 }
            bytes += Array(repeating: UInt8(ascii: "a"), count: length) + [0x0A]
        }
        bytes.removeLast(Int(random.next() % 2))  // with and without the final line feed
        bytes.withUnsafeBufferPointer { #expect(RowCounter.rows(base: $0.baseAddress!, range: 0..<bytes.count) == rows) }
        for position in [0, 255 * 8 - 1, 255 * 8, 3 * 255 * 8 + 5, bytes.count - 3, bytes.count - 1] {
            for unusual in [CSVCursor.quote, CSVCursor.carriageReturn] {
                var marked = bytes
                marked[position] = unusual
                marked.withUnsafeBufferPointer {
                    #expect(RowCounter.rows(base: $0.baseAddress!, range: 0..<marked.count) == nil, "byte \(position)")
                }
            }
        }
    }

    /// A chunk given fewer rows than it has moves to storage of its own, and the merge copies
    /// every chunk into a new table: the same table as a one-core read.
    @Test func aChunkWithMoreRowsThanCountedStillLandsRight() throws {
        let text = Self.file(seed: 9, rows: 300)
        let serial = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns, parts: 1)
        let bytes = Array(text.utf8)
        let header = ["note", "n", "kind", "x"]
        let plan = try ColumnPlan(header: header, requests: Self.columns, file: "t.csv")
        let table = try bytes.withUnsafeBufferPointer { buffer throws -> LeadTable in
            let base = buffer.baseAddress!
            let start = Array("note,n,kind,x\n".utf8).count
            let ranges = ChunkSplitter.ranges(base: base, start: start, end: bytes.count, parts: 3, delimiter: 0x2C)
            let counts = ranges.map { RowCounter.rows(base: base, range: $0)! }
            // Two rows short for the first chunk: the table has two rows too few.
            let storage = TableStorage(rows: counts.reduce(0, +) - 2, numericCount: plan.numericCount, textCount: plan.textCount)
            var offset = 0
            var chunks: [ChunkColumns] = []
            for (index, range) in ranges.enumerated() {
                let rows = index == 0 ? counts[0] - 2 : counts[index]
                chunks.append(
                    try RowParser.parse(
                        base: base, start: range.lowerBound, end: range.upperBound, firstLine: index == 0 ? 2 : 1,
                        file: "t.csv", delimiter: 0x2C, header: header, plan: plan, table: (storage, offset, rows)))
                offset += rows
            }
            #expect(chunks[0].ownsStorage && !chunks[1].ownsStorage)
            defer { for chunk in chunks { chunk.deallocate() } }
            return ChunkMerge.table(
                chunks, plan: plan, file: "t.csv", header: header, delimiter: .comma, byteCount: bytes.count, storage: storage)
        }
        #expect(table.rowCount == serial.rowCount)
        #expect(table.lineOfRow == serial.lineOfRow)
        #expect(table.raw("note") == serial.raw("note"))
        #expect(table.numeric("n") == serial.numeric("n"))
        #expect(table.numeric("x") == serial.numeric("x"))
        #expect(table.text("kind") == serial.text("kind"))
    }
}
