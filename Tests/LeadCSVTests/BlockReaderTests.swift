import Foundation
import LeadCSV
import TestSupport
import Testing

/// Reading a file in row blocks must give, block after block, exactly the whole-file table:
/// the same cells, the same file lines, the same errors at the same lines.
@Suite struct BlockReaderTests {
    static let columns = ParallelParseTests.columns

    func write(_ text: String, name: String = "blocks.csv") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-block-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The blocks of `url`, each checked to hold at most `blockRows` rows.
    func blocks(_ url: URL, blockRows: Int, readSize: Int) throws -> [LeadTable] {
        let reader = try LeadTableBlockReader(url: url, columns: Self.columns, blockRows: blockRows, readSize: readSize)
        var tables: [LeadTable] = []
        while let table = try reader.next() {
            #expect(table.rowCount >= 1 && table.rowCount <= blockRows)
            tables.append(table)
        }
        #expect(try reader.next() == nil, "stays at the end")
        return tables
    }

    func expectSameAsWhole(
        _ text: String, blockRows: Int, readSize: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = try write(text)
        let whole = try LeadTableReader.read(url: url, columns: Self.columns)
        let parts = try blocks(url, blockRows: blockRows, readSize: readSize)
        let context = "blockRows \(blockRows), readSize \(readSize)"
        #expect(parts.reduce(0) { $0 + $1.rowCount } == whole.rowCount, "\(context)", sourceLocation: sourceLocation)
        // All blocks but the last are full: a block ends after blockRows rows, not bytes or lines.
        #expect(parts.dropLast().allSatisfy { $0.rowCount == blockRows }, "\(context)", sourceLocation: sourceLocation)
        #expect(parts.flatMap(\.lineOfRow) == Array(whole.lineOfRow), "\(context)", sourceLocation: sourceLocation)
        #expect(parts.flatMap { $0.raw("note").values } == whole.raw("note").values, "\(context)", sourceLocation: sourceLocation)
        for name in ["n", "x"] {
            #expect(parts.flatMap { $0.numeric(name).values } == Array(whole.numeric(name).values), "\(context)", sourceLocation: sourceLocation)
            #expect(parts.flatMap { $0.numeric(name).missing } == Array(whole.numeric(name).missing), "\(context)", sourceLocation: sourceLocation)
        }
        let kinds = parts.flatMap { table in (0..<table.rowCount).map { table.text("kind")[$0] } }
        #expect(kinds == (0..<whole.rowCount).map { whole.text("kind")[$0] }, "\(context)", sourceLocation: sourceLocation)
        #expect(parts.first?.header == whole.header, sourceLocation: sourceLocation)
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func blocksConcatenateToTheWholeFile(blockRows: Int) throws {
        // Quoted cells with LF, CRLF and lone CR inside, CRLF / LF / CR row ends, blank lines, a
        // byte-order mark, and no line end after the last row; reads of 1 and 5 bytes put read
        // boundaries inside quoted cells, inside CRLF pairs and inside doubled quotes.
        let rows = ParallelParseTests.trickyRows + ParallelParseTests.trickyRows.reversed()
        var text = "\u{FEFF}\n" + ParallelParseTests.csv(rows: rows, lineEnds: ["\n", "\r\n", "\n\n", "\r"])
        text.removeLast()
        for readSize in [1, 5, 1 << 20] {
            try expectSameAsWhole(text, blockRows: blockRows, readSize: readSize)
        }
    }

    @Test func aBlockBoundaryNeverSplitsAQuotedCell() throws {
        // Every row's note spans three physical lines: a cut by lines would land inside it.
        let rows = (0..<25).map { "\"line one \($0)\nline two\r\nline three\",\($0),k\($0 % 3),\($0).5" }
        let text = ParallelParseTests.csv(rows: rows, lineEnds: ["\n"])
        for blockRows in [1, 2, 4, 10] {
            let parts = try blocks(try write(text), blockRows: blockRows, readSize: 3)
            #expect(parts.flatMap { $0.raw("note").values } == (0..<25).map { "line one \($0)\nline two\r\nline three" })
            #expect(parts.flatMap(\.lineOfRow) == (0..<25).map { 2 + 3 * $0 })
        }
    }

    @Test func aBadCellInALateBlockIsReportedAtItsFileLine() throws {
        var rows = (0..<500).map { "\"n\($0)\",\($0),red,\($0)" }
        rows[437] = "\"n437\",437,red,12abc"
        let url = try write(ParallelParseTests.csv(rows: rows, lineEnds: ["\n"]))
        let expected = LeadTableError.notANumber(file: url.path, line: 439, column: "x", value: "12abc")
        #expect(throws: expected) { try LeadTableReader.read(url: url, columns: Self.columns) }
        for blockRows in [1, 64, 1000] {
            #expect(throws: expected) { _ = try blocks(url, blockRows: blockRows, readSize: 100) }
        }
    }

    @Test func structuralErrorsMatchTheWholeFileReader() throws {
        let cases = [
            "",  // empty
            "note,n,kind,x\n\n",  // header only
            "note,n,kind,x\na,1,red,2\n\"open,2,red,3\n",  // unterminated quote
            "note,n,kind,x\na,1,red,2\nb,2,red\n",  // too few fields
            "note,n,kind\na,1,red\n",  // unknown column x
        ]
        for text in cases {
            let url = try write(text)
            var wholeError: LeadTableError?
            do { _ = try LeadTableReader.read(url: url, columns: Self.columns) } catch let error as LeadTableError { wholeError = error }
            var blockError: LeadTableError?
            do { _ = try blocks(url, blockRows: 1, readSize: 4) } catch let error as LeadTableError { blockError = error }
            #expect(wholeError != nil)
            #expect(blockError == wholeError, "\(text.debugDescription)")
        }
    }

    @Test func everyByteReadIsPassedOnInOrder() throws {
        let text = ParallelParseTests.csv(rows: ParallelParseTests.trickyRows, lineEnds: ["\r\n"])
        let url = try write(text)
        var seen: [UInt8] = []
        let reader = try LeadTableBlockReader(
            url: url, columns: Self.columns, blockRows: 2, readSize: 3,
            onBytes: { seen.append(contentsOf: $0) })
        while try reader.next() != nil {}
        #expect(seen == Array(text.utf8))
        #expect(reader.bytesRead == text.utf8.count)
    }
}
