import BatonSupport
import Testing

/// RFC 4180 quoting and the spreadsheet-formula guard of the CSV files Baton writes.
@Suite struct CSVCellTests {
    @Test func quotesOnlyWhatNeedsIt() {
        #expect(CSVCell.text("plain") == "plain")
        #expect(CSVCell.text("a,b") == "\"a,b\"")
        #expect(CSVCell.text("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVCell.text("two\nlines") == "\"two\nlines\"")
        #expect(CSVCell.text(" padded ") == "\" padded \"")
        #expect(CSVCell.line(["L1", "", "0.42"]) == "L1,,0.42")
    }

    @Test func formulasAreDisarmedNumbersAreNot() {
        #expect(CSVCell.text("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSVCell.text("+1 555") == "'+1 555")
        #expect(CSVCell.text("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVCell.text("-cmd") == "'-cmd")
        #expect(CSVCell.text("\tx") == "'\tx")
        #expect(CSVCell.text("-3.5") == "-3.5" && CSVCell.text("+2") == "+2")
    }
}
