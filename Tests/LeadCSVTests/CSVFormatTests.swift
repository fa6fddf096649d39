import Foundation
import LeadCSV
import Testing

@Suite struct CSVFormatTests {
    func read(_ text: String, _ columns: [ColumnRequest]) throws -> LeadTable {
        try LeadTableReader.read(text: text, file: "t.csv", columns: columns)
    }

    @Test func quotedFieldsWithDelimitersEscapesAndNewlines() throws {
        let csv = "id,note,n\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n4,plain,5\n"
        let table = try read(csv, [.raw("note"), .numeric("n"), .text("id")])
        #expect(table.raw("note").values == ["a, b", "say \"hi\"", "two\nlines", "plain"])
        #expect(table.numeric("n").values == [2, 3, 4, 5])
        #expect(table.lineOfRow == [2, 3, 4, 6])
        #expect(table.text("id").levels == ["1", "2", "3", "4"])
    }

    @Test func crlfMixedLineEndsAndBOM() throws {
        let csv = "\u{FEFF}a,b\r\n1,x\r\n2,y\n3,z\r4,x"
        let table = try read(csv, [.numeric("a"), .text("b")])
        #expect(table.header == ["a", "b"])
        #expect(table.numeric("a").values == [1, 2, 3, 4])
        #expect(table.text("b").codes == [0, 1, 2, 0])
        #expect(table.lineOfRow == [2, 3, 4, 5])
    }

    @Test func semicolonAndTabDetected() throws {
        let semi = try read("a;b\n1;\"x;y\"\n", [.raw("b")])
        #expect(semi.delimiter == .semicolon)
        #expect(semi.raw("b").values == ["x;y"])
        let tab = try read("a\tb\n1\t2\n", [.numeric("b")])
        #expect(tab.delimiter == .tab)
        #expect(tab.numeric("b").values == [2])
    }

    @Test func mixedDelimitersResolvedByRequestedNames() throws {
        // "a,b;c" splits on ',' into [a, b;c] and on ';' into [a,b, c]: only ';' yields "c".
        let table = try read("a,b;c\n1;2\n", [.numeric("c")])
        #expect(table.delimiter == .semicolon)
        #expect(throws: LeadTableError.self) { try read("a,b;c,d\n1,2\n", [.numeric("a")]) }
    }

    @Test func trimsHeaderAndCellsMissingNumbersAndBlankLines() throws {
        let table = try read(" a , b \n 1 ,  x \n\n ,y\n\n", [.numeric("a"), .text("b")])
        #expect(table.numeric("a").missing == [false, true])
        #expect(table.numeric("a").missingCount == 1)
        #expect(table.text("b").levels == ["x", "y"])
        #expect(table.lineOfRow == [2, 4])
    }

    @Test func unrequestedColumnsAreSkippedEvenIfNotNumbers() throws {
        let table = try read("a,b\nhello,1\n", [.numeric("b")])
        #expect(table.numeric("b").values == [1])
    }

    @Test func wrongFieldCountNamesPhysicalLine() throws {
        let csv = "a,b,c\n1,2,3\n\"x\ny\",2,3\n1,2\n"
        #expect(throws: LeadTableError.wrongFieldCount(file: "t.csv", line: 5, found: 2, expected: 3)) {
            try read(csv, [.numeric("b")])
        }
        let error = LeadTableError.wrongFieldCount(file: "t.csv", line: 5, found: 2, expected: 3)
        #expect(error.description.contains("t.csv line 5: 2 fields but the header has 3"))
    }

    @Test func unknownColumnSuggestsClosestHeaderNames() throws {
        let error = #expect(throws: LeadTableError.self) {
            try read("TotalVisits,Converted\n1,0\n", [.numeric("Total Visits")])
        }
        #expect(error == .unknownColumn(file: "t.csv", column: "Total Visits", suggestions: ["TotalVisits"], header: ["TotalVisits", "Converted"]))
        #expect(error?.description.contains("Did you mean \"TotalVisits\"?") == true)
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        #expect(throws: LeadTableError.emptyFile(file: "t.csv")) { try read("", []) }
        #expect(throws: LeadTableError.emptyFile(file: "t.csv")) { try read("\u{FEFF}\r\n\n", []) }
        #expect(throws: LeadTableError.noDataRows(file: "t.csv", header: ["a", "b"])) { try read("a,b\r\n", [.numeric("a")]) }
    }

    @Test func quotingErrors() throws {
        #expect(throws: LeadTableError.unterminatedQuote(file: "t.csv", line: 3)) { try read("a,b\n1,2\n\"3,4\n5,6\n", []) }
        #expect(throws: LeadTableError.textAfterClosingQuote(file: "t.csv", line: 2, column: "b")) { try read("a,b\n1,\"2\"x\n", []) }
    }

    @Test func duplicateRequestedHeader() throws {
        #expect(throws: LeadTableError.duplicateHeader(file: "t.csv", column: "a")) { try read("a,a,b\n1,2,3\n", [.numeric("a")]) }
        // An unrequested duplicate is fine.
        #expect(try read("a,a,b\n1,2,3\n", [.numeric("b")]).numeric("b").values == [3])
    }

    @Test func numbersIncludingExponentsSignsAndDecimals() throws {
        let cells = [
            "0", "-0", "+7", "3.25", "-.5", "5.", "1e3", "-2.5E-3", "+1e+2", "999999999999999", "1000000000000000", "0.1", "0.30000000000000004",
        ]
        let table = try read("x\n" + cells.joined(separator: "\n") + "\n", [.numeric("x")])
        #expect(Array(table.numeric("x").values) == cells.map { Double($0)! })
        #expect(table.numeric("x").values[1].sign == .minus)
    }

    @Test(arguments: ["abc", "1,5", "0x10", "inf", "nan", "1e", "--1", "1.2.3", "NA", "."])
    func nonNumbersAreRejectedWithLocation(value: String) throws {
        let error = #expect(throws: LeadTableError.self) {
            try LeadTableReader.read(text: "id;x\n1;2\n2;\(value)\n", file: "t.csv", columns: [.numeric("x")])
        }
        #expect(error == .notANumber(file: "t.csv", line: 3, column: "x", value: value))
        #expect(error?.description.hasPrefix("t.csv line 3, column \"x\": \"\(value)\" is not a number.") == true)
    }

    @Test func numbersBeyondTheLeadBoundAreRefusedWithLocation() throws {
        for cell in ["1000000000000001", "-1e16", "123456789012345678901234", "1e300"] {
            #expect(throws: LeadTableError.numberTooLarge(file: "t.csv", line: 3, column: "x", value: cell)) {
                try read("x\n1\n\(cell)\n", [.numeric("x")])
            }
        }
    }

    @Test func overflowIsNonFinite() throws {
        #expect(throws: LeadTableError.nonFiniteNumber(file: "t.csv", line: 2, column: "x", value: "1e999")) {
            try read("x\n1e999\n", [.numeric("x")])
        }
    }

    @Test func dictionaryCodesMatchCells() throws {
        var rng = SystemRandomNumberGenerator()
        let words = (0..<300).map { "w\($0)" }
        let cells = (0..<5000).map { _ in words.randomElement(using: &rng)! }
        let table = try read("w\n" + cells.joined(separator: "\n"), [.text("w")])
        let column = table.text("w")
        #expect((0..<cells.count).allSatisfy { column[$0] == cells[$0] })
        #expect(Set(column.levels).count == column.levels.count)
    }
}
