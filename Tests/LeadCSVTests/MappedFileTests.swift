import Foundation
import Testing

@testable import LeadCSV

/// Files are parsed from a read-only mapping; what comes out must be what the in-memory path
/// gives for the same bytes, and files that cannot be mapped must still be reported by name.
@Suite struct MappedFileTests {
    static let columns: [ColumnRequest] = [.raw("id"), .bounds("created_at"), .numeric("deal_size"), .text("industry"), .raw("note")]

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-mapped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aMappedFileGivesTheSameTableAsItsBytes() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = "id,created_at,deal_size,industry,note\n"
        for row in 0..<5_000 {
            text += "L\(row),2024-01-\(10 + row % 19),\(Double(row) * 1.25),\(["saas", "retail", "\"m, inc\""][row % 3]),x\(row % 7)\n"
        }
        let url = dir.appendingPathComponent("leads.csv")
        try Data(text.utf8).write(to: url)
        let mapped = MappedFile(path: url.path)
        #expect(mapped?.bytes.count == text.utf8.count)
        let fromFile = try LeadTableReader.read(url: url, columns: Self.columns)
        let fromBytes = try LeadTableReader.read(data: Data(text.utf8), file: url.path, columns: Self.columns)
        #expect(fromFile.header == fromBytes.header && fromFile.lineOfRow == fromBytes.lineOfRow && fromFile.byteCount == fromBytes.byteCount)
        #expect(fromFile.raw("id") == fromBytes.raw("id") && fromFile.raw("note") == fromBytes.raw("note"))
        #expect(fromFile.numeric("deal_size") == fromBytes.numeric("deal_size"))
        #expect(fromFile.text("industry") == fromBytes.text("industry"))
        #expect(fromFile.bounds("created_at") == fromBytes.bounds("created_at"))
        #expect(fromFile.text("industry").levels.contains("m, inc"))
        #expect(fromFile.rowCount == 5_000)
    }

    @Test func emptyFilesAndFoldersAreNotMappedAndStillNamed() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.csv")
        try Data().write(to: empty)
        #expect(MappedFile(path: empty.path) == nil)
        #expect(throws: LeadTableError.emptyFile(file: empty.path)) { try LeadTableReader.read(url: empty, columns: []) }
        #expect(MappedFile(path: dir.path) == nil)
        #expect(MappedFile(path: dir.appendingPathComponent("absent.csv").path) == nil)
        do {
            _ = try LeadTableReader.read(url: dir, columns: [])
            Issue.record("a folder was read as a table")
        } catch {
            guard case let .unreadable(file, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(file == dir.path)
        }
    }

    /// A FIFO (or a device) is refused by name before anything opens it: opening a FIFO with
    /// no writer would block the read forever, and a device cannot be read twice.
    @Test func pipesAndDevicesAreRefusedWithoutBlocking() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("leads.csv")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        for url in [fifo, URL(fileURLWithPath: "/dev/null")] {
            let refused = LeadTableError.notRegularFile(file: url.path)
            #expect(throws: refused) { try LeadTableReader.read(url: url, columns: []) }
            #expect(throws: refused) { try LeadTableReader.header(url: url) }
            #expect(throws: refused) { try LeadTableBlockReader(url: url, columns: [], blockRows: 10) }
            #expect(try LeadTableReader.mapParts(url: url, columns: []) { _ in 1 } == nil)
            #expect(refused.description.contains("save it to a file first"))
            #expect(refused.file == url.path)
        }
    }
}
