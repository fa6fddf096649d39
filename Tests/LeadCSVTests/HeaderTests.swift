import Foundation
import LeadCSV
import Testing

/// `LeadTableReader.header(url:)` must name the columns exactly as a full read sees them.
@Suite struct HeaderTests {
    func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baton-header-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func theHeaderIsReadLikeAFullRead() throws {
        let text = "\u{FEFF}\r\n\r\n lead_id ;\"size;band\";\"say \"\"hi\"\"\"\r\nL1;a;b\r\n"
        let url = try write(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let header = try LeadTableReader.header(url: url)
        #expect(header == ["lead_id", "size;band", "say \"hi\""])
        let table = try LeadTableReader.read(url: url, columns: header.map { .raw($0) })
        #expect(table.raw("size;band").values == ["a"])
    }

    @Test func aHeaderLongerThanTheFirstReadIsReadWhole() throws {
        let names = (0..<3000).map { "column_with_a_rather_long_name_number_\($0)" }  // ~130 KB of header
        let url = try write(names.joined(separator: ",") + "\n" + names.map { _ in "1" }.joined(separator: ",") + "\n")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try LeadTableReader.header(url: url) == names)
    }

    @Test func aQuotedNameWithALineBreakAcrossTheFirstReadIsReadWhole() throws {
        let long = String(repeating: "x", count: 70_000)
        let url = try write("a,\"\(long)\nmore\",b\n1,2,3\n")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try LeadTableReader.header(url: url) == ["a", long + "\nmore", "b"])
    }

    @Test func aOneColumnFileHasOneName() throws {
        let url = try write("only\n1\n")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try LeadTableReader.header(url: url) == ["only"])
    }

    @Test func emptyAndMissingFilesAreNamed() throws {
        let empty = try write("\n\n")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect {
            try LeadTableReader.header(url: empty)
        } throws: { error in
            (error as? LeadTableError)?.description.contains(empty.path) == true
        }
        let missing = URL(fileURLWithPath: "/nonexistent/baton-\(UUID().uuidString).csv")
        #expect {
            try LeadTableReader.header(url: missing)
        } throws: { error in
            (error as? LeadTableError)?.description.contains(missing.path) == true
        }
    }
}
