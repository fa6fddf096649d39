import Foundation
import LeadCSV
import ScoringModelFormat
import Testing

@testable import LabTraining

/// `baton validate` scores a file part by part (``ScoredRows/loadInParts(csv:model:timings:partBytes:)``):
/// the result must be the whole read's bit for bit, and any error the whole read's, with its line.
@Suite struct ScoredRowsTests {
    /// ``LinearPredictorTests``'s spec with a `drop_row` feature in place of `missing: zero`.
    static let spec = LinearPredictorTests.yaml.replacingOccurrences(
        of: "{column: m, type: numeric, missing: zero}", with: "{column: d, type: numeric, missing: drop_row}")

    /// Rows with empty cells (some dropped), quoted levels with commas, a quoted note with line
    /// breaks, CRLF line ends and blank lines; `unseen` adds levels the model never saw.
    static func csv(rows: Int, seed: UInt64, unseen: Bool, outcome: Bool = true) -> String {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var text = outcome ? "y,n,d,k,c,note\r\n" : "n,d,k,c,note\r\n"
        let levels = ["a", "\"b, with comma\"", "c", "d"] + (unseen ? ["new", "\"also, new\""] : ["a"])
        for row in 0..<rows {
            let n = next() % 7 == 0 ? "" : String(next() % 40)
            let d = next() % 11 == 0 ? "" : String(Double(next() % 10_000) / 97)
            let k = levels[Int(next() % UInt64(levels.count))]
            let y = outcome ? (next() % 3 == 0 ? "yes," : "no,") : ""
            let note = row % 5 == 0 ? "\"line\nbreak, \"\"quoted\"\"\"" : "plain"
            text += "\(y)\(n),\(d),\(k),\(next() % 1000),\(note)" + (row % 9 == 0 ? "\n\n" : "\r\n")
        }
        return text
    }

    static func write(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func model() throws -> WeightFile {
        precondition(Self.spec.contains("drop_row"), "the spec's drop_row feature")
        let spec = try write(Self.spec, "spec.yaml")
        let training = try write(csv(rows: 400, seed: 1, unseen: false), "train.csv")
        defer { for url in [spec, training] { try? FileManager.default.removeItem(at: url) } }
        return try CalibrationLab.fit(data: training, spec: spec, penalty: 0.1).weightFile
    }

    static func expectSame(_ parts: ScoredRows, _ whole: ScoredRows, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(parts.linearPredictor.map(\.bitPattern) == whole.linearPredictor.map(\.bitPattern), sourceLocation: sourceLocation)
        #expect(parts.outcome == whole.outcome, sourceLocation: sourceLocation)
        #expect(parts.rows == whole.rows, sourceLocation: sourceLocation)
        #expect(parts.unseenLevels == whole.unseenLevels, sourceLocation: sourceLocation)
        #expect(parts.file == whole.file, sourceLocation: sourceLocation)
    }

    @Test(arguments: [1, 50, 700, 1 << 20])
    func partsEqualTheWholeReadBitForBit(partBytes: Int) throws {
        let model = try Self.model()
        for (seed, outcome) in [(2, true), (3, false)] as [(UInt64, Bool)] {
            let url = try Self.write(Self.csv(rows: 600, seed: seed, unseen: true, outcome: outcome), "score.csv")
            defer { try? FileManager.default.removeItem(at: url) }
            var timings = StageTimings()
            let whole = try ScoredRows.loadWhole(csv: url, model: model, timings: &timings)
            let parts = try #require(try ScoredRows.loadInParts(csv: url, model: model, timings: &timings, partBytes: partBytes))
            Self.expectSame(parts, whole)
            #expect(whole.rows.rowsDropped > 0 && !whole.unseenLevels.isEmpty, "the file exercises drops and unseen levels")
            #expect((whole.outcome != nil) == outcome)
            var loadTimings = StageTimings()
            Self.expectSame(try ScoredRows.load(csv: url, model: model, timings: &loadTimings), whole)
            #expect(loadTimings.stages.map(\.name) == ["read"], "one stage: each part is encoded as it is read")
        }
    }

    /// A bad cell far into the file, an empty outcome, every row dropped: the part-by-part read
    /// declines, and `load` throws what the whole read throws, with the file's line.
    @Test func errorsAreTheWholeReadsWithTheFilesLine() throws {
        let model = try Self.model()
        let clean = Self.csv(rows: 600, seed: 4, unseen: false)
        var lines = clean.components(separatedBy: "\r\n")
        lines[520] = "no,-3,2,a,1,x"  // log1p of −3 is not a number
        let bad = lines.joined(separator: "\r\n")
        var emptyOutcome = clean.components(separatedBy: "\r\n")
        emptyOutcome[480] = ",1,2,a,1,x"
        var allDropped = "y,n,d,k,c,note\n"
        for _ in 0..<300 { allDropped += "no,1,,a,1,x\n" }
        for text in [bad, emptyOutcome.joined(separator: "\r\n"), allDropped] {
            let url = try Self.write(text, "bad.csv")
            defer { try? FileManager.default.removeItem(at: url) }
            var timings = StageTimings()
            #expect(try ScoredRows.loadInParts(csv: url, model: model, timings: &timings, partBytes: 64) == nil)
            let whole = #expect(throws: DataError.self) { try ScoredRows.loadWhole(csv: url, model: model, timings: &timings) }
            let loaded = #expect(throws: DataError.self) { try ScoredRows.load(csv: url, model: model, timings: &timings) }
            #expect(loaded == whole)
        }
        let url = try Self.write(bad, "bad.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var timings = StageTimings()
        let error = #expect(throws: DataError.self) { try ScoredRows.load(csv: url, model: model, timings: &timings) }
        // The physical line: one after every line feed before the row (those of the \r\n joins too).
        let line = lines[..<520].joined(separator: "\r\n").utf8.filter { $0 == 0x0A }.count + 2
        #expect("\(String(describing: error))".contains("line \(line):"))
    }
}
