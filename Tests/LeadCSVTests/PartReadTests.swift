import Foundation
import Testing

@testable import LeadCSV

/// The file read part by part (``LeadTableReader/mapParts(url:columns:partBytes:_:)``) must
/// hand out exactly the whole read's rows, in order, whatever the part size.
@Suite struct PartReadTests {
    static let columns = ParallelParseTests.columns

    /// One row's cells as the whole read or a part holds them.
    struct Row: Equatable, Sendable {
        var note: String
        var n: Double?
        var kind: String
        var x: Double?
    }

    static func rows(_ table: LeadTable) -> [Row] {
        let (note, n, kind, x) = (table.raw("note"), table.numeric("n"), table.text("kind"), table.numeric("x"))
        return (0..<table.rowCount).map { row in
            Row(
                note: note.values[row], n: n.missing[row] ? nil : n.values[row], kind: kind[row],
                x: x.missing[row] ? nil : x.values[row])
        }
    }

    @Test(arguments: [1, 7, 40, 300, 1 << 20])
    func partsConcatenateToTheWholeRead(partBytes: Int) throws {
        let base = ParallelParseTests.trickyRows + ParallelParseTests.trickyRows.reversed()
        let text = ParallelParseTests.csv(rows: base + base + base, lineEnds: ["\n", "\r\n", "\n\n", "\r"])
        let whole = try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns)
        let parts = try #require(
            try LeadTableReader.mapParts(text: text, file: "t.csv", columns: Self.columns, partBytes: partBytes) { Self.rows($0.table) })
        #expect(parts.flatMap { $0 } == Self.rows(whole))
        let indices = try #require(
            try LeadTableReader.mapParts(text: text, file: "t.csv", columns: Self.columns, partBytes: partBytes) { $0.index })
        #expect(indices == Array(indices.indices))
        if partBytes <= 40 { #expect(parts.count > 5, "small parts cut the file several times") }
        if partBytes == 1 << 20 { #expect(parts.count == 1) }
    }

    @Test func theFirstPartsLinesAreTheFiles() throws {
        let text = "\n\nnote,n,kind,x\n\na,1,red,2\nb,2,blue,3\n"
        let lines = try #require(
            try LeadTableReader.mapParts(text: text, file: "t.csv", columns: Self.columns, partBytes: 1 << 20) {
                Array($0.table.lineOfRow)
            })
        #expect(lines == [[5, 6]])
    }

    @Test func aPartThatDoesNotParseOrTransformGivesNil() throws {
        var text = "note,n,kind,x\n"
        for row in 0..<200 { text += "r\(row),\(row == 150 ? "abc" : "1"),red,2\n" }
        let parsed = try LeadTableReader.mapParts(text: text, file: "t.csv", columns: Self.columns, partBytes: 64) { $0.table.rowCount }
        #expect(parsed == nil, "row 150's n is not a number")
        #expect(throws: LeadTableError.self) { try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns) }
        let clean = text.replacingOccurrences(of: "abc", with: "3")
        let declined = try LeadTableReader.mapParts(text: clean, file: "t.csv", columns: Self.columns, partBytes: 64) { part in
            Self.rows(part.table).contains { $0.n == 3 } ? nil : part.table.rowCount
        }
        #expect(declined == nil, "the transform declined the part holding row 150")
        let counts = try #require(
            try LeadTableReader.mapParts(text: clean, file: "t.csv", columns: Self.columns, partBytes: 64) { $0.table.rowCount })
        #expect(counts.reduce(0, +) == 200)
    }

    @Test func errorsBeforeTheFirstRowAreTheWholeReadsErrors() throws {
        for text in ["", "note,n,kind,x\n", "note,n,kind\nA,1,red\n"] {
            let whole = #expect(throws: LeadTableError.self) { try LeadTableReader.read(text: text, file: "t.csv", columns: Self.columns) }
            let parts = #expect(throws: LeadTableError.self) {
                try LeadTableReader.mapParts(text: text, file: "t.csv", columns: Self.columns, partBytes: 8) { $0.table.rowCount }
            }
            #expect(parts == whole)
        }
    }

    @Test func aFileOnDiskIsReadPartByPart() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parts-\(UUID().uuidString).csv")
        var text = "note,n,kind,x\n"
        for row in 0..<5_000 { text += "r\(row),\(row % 17),\(["red", "blue", "\"green, light\""][row % 3]),\(row % 5 == 0 ? "" : "0.25")\n" }
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try LeadTableReader.read(url: url, columns: Self.columns)
        let parts = try #require(try LeadTableReader.mapParts(url: url, columns: Self.columns, partBytes: 4096) { Self.rows($0.table) })
        #expect(parts.count > 10)
        #expect(parts.flatMap { $0 } == Self.rows(whole))
        // Not a regular file: left unread (a pipe could not be read again by the whole read).
        #expect(try LeadTableReader.mapParts(url: URL(fileURLWithPath: "/dev/null"), columns: Self.columns) { $0.index } == nil)
    }
}
